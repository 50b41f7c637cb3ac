"""The public online form (/khao-sat/<code>/): no account, reached by the one-time link
or the QR code printed on the respondent's paper form.

One step per element of the form, then the respondent's profile and suggestions; each
step's answers are saved in the respondent's draft as soon as it is sent, so a phone
that loses its signal loses at most the step on screen, and opening the link again
returns to where the respondent stopped. Where scripts run, each choice is also saved
as it is made (static/sipas/online.js posts the step with go=save; 204). Sending the
last step counts the answer once (cchc.sipas.services.collect.online_submit);
afterwards the link shows a thank-you page.

A code that is unknown, refused or a reserve not brought in gets the same neutral
"not found" page as a mistyped one. Failed look-ups are counted per client address
(an HMAC of it, in the cache: no address is stored) and an address that keeps
guessing is turned away for an hour.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cchc.lib.client_ip import client_ip
from cchc.sipas.models import SCALE
from cchc.sipas.services import collect

# Failed code look-ups allowed per client address and window before it is turned away.
GUESS_LIMIT = 20
GUESS_WINDOW_SECONDS = 3600


def _guess_key(request) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"sipas-code:{client_ip(request)}".encode(), hashlib.sha256
    )
    return f"sipas:guess:{digest.hexdigest()}"


def _guessing(request) -> bool:
    return (cache.get(_guess_key(request)) or 0) >= GUESS_LIMIT


def _missed(request) -> None:
    key = _guess_key(request)
    if not cache.add(key, 1, timeout=GUESS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired in between: a new window
            cache.add(key, 1, timeout=GUESS_WINDOW_SECONDS)


def _not_found(request):
    return render(request, "sipas/online_not_found.html", {}, status=404)


def _too_many(request):
    return render(request, "sipas/online_too_many.html", {}, status=429)


# Steps -------------------------------------------------------------------------------


def _steps(questionnaire) -> list[dict]:
    """One step per element, then the profile and suggestion step."""
    steps = [{"element": e, "title": f"{e['code']}. {e['title']}"} for e in questionnaire.elements]
    steps.append({"element": None, "title": "Thông tin về Ông/Bà và góp ý"})
    return steps


def _read_step(questionnaire, step: dict, data) -> tuple[dict, dict[str, str]]:
    """The step's values from the POST, and errors by field id."""
    values: dict = {"answers": {}, "profile": {}}
    errors: dict[str, str] = {}
    if step["element"] is not None:
        for item in step["element"]["items"]:
            raw = (data.get(f"item_{item['code']}") or "").strip()
            try:
                collect.scale_value(raw, label=f"Câu {item['code']}")
            except ValidationError as exc:
                errors[f"item_{item['code']}"] = exc.messages[0]
            else:
                values["answers"][item["code"]] = raw
        return values, errors
    for question in questionnaire.profile:
        raw = (data.get(f"profile_{question['code']}") or "").strip()
        if raw and raw not in [str(v) for v, _ in question["choices"]]:
            errors[f"profile_{question['code']}"] = f"{question['label']}: lựa chọn không hợp lệ."
        else:
            values["profile"][question["code"]] = raw
    suggestion = (data.get("suggestion") or "").strip()
    if len(suggestion) > collect.SUGGESTION_MAX:
        errors["suggestion"] = (
            f"Góp ý dài quá {collect.SUGGESTION_MAX} ký tự (hiện có {len(suggestion)} ký tự)."
        )
    values["suggestion"] = suggestion
    return values, errors


def _step_context(respondent, steps, index, draft, errors, posted=None) -> dict:
    step = steps[index]
    answers = (posted or {}).get("answers") or (draft.get("answers") or {})
    profile = (posted or {}).get("profile") or (draft.get("profile") or {})
    items = []
    if step["element"] is not None:
        items = [
            {
                "code": item["code"],
                "id": "cau-" + item["code"].replace(".", "-"),
                "name": f"item_{item['code']}",
                "text": item["text"],
                "value": str(answers.get(item["code"]) or ""),
                "error": errors.get(f"item_{item['code']}"),
            }
            for item in step["element"]["items"]
        ]
    questions = []
    if step["element"] is None:
        questions = [
            {
                "code": q["code"],
                "id": f"hoi-{q['code']}",
                "name": f"profile_{q['code']}",
                "label": q["label"],
                "choices": [(str(v), label) for v, label in q["choices"]],
                "value": str(profile.get(q["code"]) or ""),
                "error": errors.get(f"profile_{q['code']}"),
            }
            for q in respondent.questionnaire.profile
        ]
    id_of = {i["name"]: i["id"] for i in items} | {q["name"]: q["id"] for q in questions}
    id_of["suggestion"] = "gop-y"
    return {
        "respondent": respondent,
        "survey": respondent.survey,
        "unit": respondent.unit,
        "steps": steps,
        "step": step,
        "index": index,
        "number": index + 1,
        "last": index == len(steps) - 1,
        "items": items,
        "questions": questions,
        "suggestion": (posted or {}).get("suggestion", draft.get("suggestion") or ""),
        "suggestion_error": errors.get("suggestion"),
        "error_summary": [(id_of.get(name, ""), message) for name, message in errors.items()],
        "scale": SCALE,
        "suggestion_max": collect.SUGGESTION_MAX,
    }


# Views -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def online_start(request):
    """Where a respondent types the code printed on the paper form."""
    error = ""
    if request.method == "POST":
        code = collect.normalize_code(request.POST.get("code", ""))
        if collect.code_is_wellformed(code):
            return redirect("sipas:online", code=code)
        error = "Mã phiếu gồm 8 ký tự in trên phiếu khảo sát, ví dụ 7KQ4M9XA."
    return render(
        request,
        "sipas/online_start.html",
        {"error": error, "value": request.POST.get("code", "")},
        status=422 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def online_form(request, code: str):
    if _guessing(request):
        return _too_many(request)
    respondent = collect.respondent_for_link(code)
    if respondent is None:
        _missed(request)
        return _not_found(request)
    state = collect.online_state(respondent)
    if state == "gone":
        _missed(request)
        return _not_found(request)
    if state == "answered":
        again = request.method == "POST"
        return render(
            request,
            "sipas/online_thanks.html",
            {"respondent": respondent, "again": again},
            status=409 if again else 200,
        )
    if state == "closed":
        return render(
            request, "sipas/online_closed.html", {"survey": respondent.survey}, status=410
        )
    steps = _steps(respondent.questionnaire)
    draft = respondent.draft or {}
    reached = min(int(draft.get("step") or 0), len(steps) - 1)
    if request.method == "GET":
        wanted = request.GET.get("buoc", "")
        index = int(wanted) - 1 if wanted.isdigit() else reached
        index = max(0, min(index, reached, len(steps) - 1))
        return render(
            request, "sipas/online_form.html", _step_context(respondent, steps, index, draft, {})
        )
    index = request.POST.get("step", "")
    index = int(index) - 1 if index.isdigit() else reached
    index = max(0, min(index, len(steps) - 1))
    values, errors = _read_step(respondent.questionnaire, steps[index], request.POST)
    if errors:
        context = _step_context(respondent, steps, index, draft, errors, posted=values)
        return render(request, "sipas/online_form.html", context, status=422)
    going = request.POST.get("go", "next")
    if going == "save":
        # the page's autosave (static/sipas/online.js): each choice kept as it is made
        collect.online_save_draft(respondent=respondent, step=index, data=values)
        return HttpResponse(status=204)
    following = index - 1 if going == "back" else index + 1
    collect.online_save_draft(
        respondent=respondent, step=min(max(following, index), len(steps) - 1), data=values
    )
    if going == "send" and index == len(steps) - 1:
        try:
            collect.online_submit(respondent=respondent)
        except ValidationError:
            pass  # counted meanwhile (another tab, a double tap): the thank-you page says so
        return redirect("sipas:online", code=respondent.code)
    following = max(0, min(following, len(steps) - 1))
    return redirect(f"{reverse('sipas:online', args=[respondent.code])}?buoc={following + 1}")


urlpatterns = [
    path("khao-sat/", online_start, name="online_start"),
    path("khao-sat/<str:code>/", online_form, name="online"),
]
