"""FastSelect: Django's <select>, rendered without a template per option."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from cchc.lib.widgets import FastSelect, FixedChoices

CHOICES = [
    ("", "Tất cả"),
    ("xa-an-phu", "Xã An Phú"),
    ("phuong-long-xuyen", "Phường Long Xuyên"),
    ("la", 'Dấu <b>"&"</b>'),
    ("xa-an-phu", "Trùng giá trị"),
]


class Parsed(HTMLParser):
    """The select's attributes and each option's (value, label, selected)."""

    def __init__(self, html: str):
        super().__init__()
        self.select: dict = {}
        self.options: list = []
        self._open = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.select = dict(attrs)
        elif tag == "option":
            d = dict(attrs)
            self._open = [d["value"], "", "selected" in d]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self.options.append(tuple(self._open))
            self._open = None


def form_class(widget, choices=CHOICES):
    class F(forms.Form):
        don_vi = forms.ChoiceField(label="Đơn vị", required=False, widget=widget)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["don_vi"].choices = choices

    return F


@pytest.mark.parametrize(
    "data", [None, {"don_vi": "phuong-long-xuyen"}, {"don_vi": "xa-an-phu"}, {"don_vi": "khong-co"}]
)
def test_it_renders_what_djangos_select_renders(data):
    fast = form_class(FastSelect)(data)["don_vi"]
    django = form_class(forms.Select)(data)["don_vi"]
    a, b = Parsed(str(fast)), Parsed(str(django))
    assert a.select == b.select  # name, id, aria-invalid, aria-describedby
    assert a.options == b.options


def test_the_selected_option_is_marked_and_labels_are_escaped():
    html = str(form_class(FastSelect)({"don_vi": "la"})["don_vi"])
    assert '<option value="la" selected>Dấu &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;</option>' in html
    assert html.count(" selected") == 1


def test_an_unbound_field_selects_the_empty_choice():
    html = str(form_class(FastSelect)()["don_vi"])
    assert '<option value="" selected>Tất cả</option>' in html


def test_lazy_labels_and_fixed_choices_work_as_lists_do():
    choices = FixedChoices([("", gettext_lazy("Tất cả")), ("a", "A")])
    form = form_class(FastSelect, choices)({"don_vi": "a"})
    assert form.is_valid()
    assert Parsed(str(form["don_vi"])).options == [("", "Tất cả", False), ("a", "A", True)]
    assert not form_class(FastSelect, choices)({"don_vi": "b"}).is_valid()


def test_grouped_choices_fall_back_to_djangos_templates():
    grouped = [("", "Tất cả"), ("Xã", [("xa-an-phu", "Xã An Phú")])]
    fast = str(form_class(FastSelect, grouped)({"don_vi": "xa-an-phu"})["don_vi"])
    django = str(form_class(forms.Select, grouped)({"don_vi": "xa-an-phu"})["don_vi"])
    assert fast == django


class ParsedInput(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.inputs: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


@pytest.mark.parametrize(
    "data", [None, {"ngay": "01/03/2026"}, {"ngay": 'x"<b>'}, {"ngay": "31/02/2026"}, {}]
)
def test_fast_date_input_renders_what_djangos_template_does(data):
    from cchc.lib.forms import DateField, DateInput
    from cchc.lib.widgets import FastDateInput

    def form(widget):
        class F(forms.Form):
            ngay = DateField(label="Từ ngày", required=False, widget=widget)

        f = F(data)
        if data is not None:
            f.is_valid()  # errors: aria-invalid and aria-describedby
        return str(f["ngay"])

    fast, django_ = form(FastDateInput), form(DateInput)
    assert ParsedInput(fast).inputs == ParsedInput(django_).inputs
    assert fast.count("<input") == 1
    if data and data.get("ngay"):
        assert "<b>" not in fast  # the typed value escaped
