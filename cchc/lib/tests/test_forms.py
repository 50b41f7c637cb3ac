"""The shared date field and a service's ValidationError on a form."""

import datetime

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from cchc.lib.forms import DateField, apply_validation_error, flash_validation_error


class DayForm(forms.Form):
    day = DateField(label="Ngày", required=False)


@pytest.mark.parametrize(
    "typed", ["01/03/2026", "1/3/2026", "01-03-2026", "01.03.2026", "2026-03-01"]
)
def test_the_date_field_accepts_what_people_type(typed):
    form = DayForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("typed", ["31/02/2026", "32/13/2026", "hôm qua", "03/2026"])
def test_a_date_that_is_not_one_is_explained_in_vietnamese(typed):
    form = DayForm({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["Nhập ngày theo dạng dd/mm/yyyy."]


def test_the_date_is_shown_as_dd_mm_yyyy_in_a_text_box_with_a_hint():
    html = str(DayForm(initial={"day": datetime.date(2026, 3, 1)})["day"])
    assert 'type="text"' in html
    assert 'value="01/03/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_field_error_lands_on_its_field_and_the_rest_on_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    apply_validation_error(
        form, ValidationError({"name": "Tên đã có.", "slug": "Đường dẫn đã có."})
    )
    assert form.errors["name"] == ["Tên đã có."]
    assert form.non_field_errors() == ["Đường dẫn đã có."]
    assert "name" not in form.cleaned_data


def test_a_plain_error_lands_on_the_form():
    form = NameForm({"name": "x"})
    form.is_valid()
    apply_validation_error(form, ValidationError(["Đơn vị đã ngừng hoạt động.", "Thử lại."]))
    assert form.non_field_errors() == ["Đơn vị đã ngừng hoạt động.", "Thử lại."]


def test_without_a_form_the_messages_are_flashed():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    flash_validation_error(request, ValidationError("Bộ tiêu chí đã khóa."))
    assert [m.message for m in get_messages(request)] == ["Bộ tiêu chí đã khóa."]
