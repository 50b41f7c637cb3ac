"""Form pieces every app shares: the date field, an Excel upload, a service's errors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from cchc.lib import uploads

DATE_FORMAT = "%d/%m/%Y"
# What people type: 01/03/2026, 1/3/2026, 01-03-2026, 01.03.2026, or ISO from a browser.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_INVALID = "Nhập ngày theo dạng dd/mm/yyyy."


class DateInput(forms.DateInput):
    """A text box showing dd/mm/yyyy (a browser's date picker shows its own locale)."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_FORMAT)


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": DATE_INVALID}


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: a field's errors on that field when
    the form has it, everything else at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def flash_validation_error(request, exc: ValidationError) -> None:
    """A service's ValidationError as messages, where there is no form to show it on."""
    for message in exc.messages:
        messages.error(request, message)


class XlsxUploadForm(forms.Form):
    """One Excel file to import, refused by its name or size before it is read."""

    file = forms.FileField(label="Tệp Excel (.xlsx)", help_text="Theo mẫu tải về ở trên.")

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_name(upload.name, allowed=("xlsx",))
        uploads.check_size(upload.size, max_bytes=self.max_bytes)
        return upload
