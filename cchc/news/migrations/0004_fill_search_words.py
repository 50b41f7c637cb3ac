"""Fill ArticlePage.search_words for the articles saved before it existed.

Forward: the accented words of each article's title, summary and body, as
ArticlePage.save() now stores them. Reverse: nothing to undo (the column is
dropped by reversing 0003).
"""

from django.db import migrations

from cchc.lib.text import search_words_for


def fill(apps, schema_editor):
    ArticlePage = apps.get_model("news", "ArticlePage")
    changed = []
    for article in ArticlePage.objects.only("title", "summary", "body").iterator():
        article.search_words = search_words_for(
            title=article.title, summary=article.summary, body_html=article.body
        )
        changed.append(article)
    ArticlePage.objects.bulk_update(changed, ["search_words"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("news", "0003_articlepage_search_words")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
