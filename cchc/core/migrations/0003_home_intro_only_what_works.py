"""The home page's intro promised the PAR Index and surveys before the portal had them."""

from django.db import migrations

OLD_INTRO = (
    "<p>Thông tin về cải cách hành chính của tỉnh An Giang: tin tức, "
    "chỉ số cải cách hành chính, khảo sát sự hài lòng và các chỉ tiêu "
    "cải cách của tỉnh, các sở, ban, ngành và 102 xã, phường, đặc khu.</p>"
)
NEW_INTRO = (
    "<p>Tin tức cải cách hành chính của tỉnh An Giang, các sở, ban, ngành và "
    "các xã, phường, đặc khu: hoạt động, chủ trương, mô hình hay, sáng kiến.</p>"
)


def forwards(apps, schema_editor):
    # Only the untouched default: an intro Sở Nội vụ has edited is theirs.
    apps.get_model("core", "HomePage").objects.filter(intro=OLD_INTRO).update(intro=NEW_INTRO)


def backwards(apps, schema_editor):
    apps.get_model("core", "HomePage").objects.filter(intro=NEW_INTRO).update(intro=OLD_INTRO)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
