"""Printable paper forms: one A4 form per sampled respondent, as one PDF per unit.

Drawn with WeasyPrint from the respondent's questionnaire (the same data the online
form and the data entry screen use), with the respondent's short code in large type
and a QR code (segno) of the online form's one-time link, so the respondent may
answer on paper or on a phone. No contact data is printed: the post office addresses
the envelopes from its own list.

Each choice of a profile question carries its number, which is what the operator
types when keying the form (cchc.sipas.services.collect.parse_answers).
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.urls import reverse

from cchc.lib.links import public_url
from cchc.sipas.models import SCALE, Respondent, Survey


def online_link(code: str) -> str:
    """The one-time link of a code, absolute (BASE_URL): what its QR code carries."""
    return public_url(reverse("sipas:online", args=[code]))


def qr_code(link: str) -> segno.QRCode:
    # error level M: a creased or stained form still scans
    return segno.make_qr(link, error="m")


def qr_data_uri(link: str) -> str:
    return qr_code(link).svg_data_uri(scale=4, border=2, dark="#000")


@dataclass(frozen=True)
class PaperForm:
    respondent: Respondent
    link: str
    qr: str  # data URI of the QR code's SVG
    profile: list[dict]  # the profile questions, each choice with its number


def numbered_profile(questionnaire) -> list[dict]:
    return [
        {
            "code": q["code"],
            "label": q["label"],
            "choices": [(n, label) for n, (_v, label) in enumerate(q["choices"], start=1)],
        }
        for q in questionnaire.profile
    ]


def paper_forms(respondents) -> list[PaperForm]:
    profiles: dict[int, list[dict]] = {}
    forms = []
    for respondent in respondents:
        link = online_link(respondent.code)
        profile = profiles.get(respondent.questionnaire_id)
        if profile is None:
            profile = profiles[respondent.questionnaire_id] = numbered_profile(
                respondent.questionnaire
            )
        forms.append(PaperForm(respondent, link, qr_data_uri(link), profile))
    return forms


def render_html(survey: Survey, unit, respondents) -> str:
    return render_to_string(
        "sipas/paper_form.html",
        {
            "survey": survey,
            "unit": unit,
            "forms": paper_forms(respondents),
            "scale": SCALE,
            "entry_url": public_url(reverse("sipas:online_start")),
        },
    )


def render_pdf(survey: Survey, unit, respondents) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(survey, unit, respondents)).write_pdf()


def filename(survey: Survey, unit) -> str:
    return f"Phiếu khảo sát SIPAS {survey.year} - {unit.name}.pdf"
