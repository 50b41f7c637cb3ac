import io

import pytest
from django.core.management import call_command

from cchc.news.models import SectionPage
from cchc.org.models import Unit

pytestmark = pytest.mark.django_db


def test_the_command_creates_missing_sections_and_is_idempotent(cast):
    SectionPage.objects.get(unit=cast.stp).delete()
    out = io.StringIO()
    call_command("ensure_sections", stdout=out)
    assert "Đã tạo 1 chuyên mục" in out.getvalue()
    assert SectionPage.objects.get(unit=cast.stp).url == "/don-vi/so-tu-phap/cchc/"
    call_command("ensure_sections", stdout=out)
    assert SectionPage.objects.count() == Unit.objects.active().count()
