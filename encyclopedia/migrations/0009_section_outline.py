"""Articles now store where each section starts (markdown.RenderedMarkdown.outline), so that the
page and the API cut the body into sections without rendering it again."""

from django.db import migrations


def store_outlines(apps, schema_editor):
    from encyclopedia.markdown import render

    Article = apps.get_model("encyclopedia", "Article")
    changed = []
    for article in Article.objects.only("pk", "body", "sections").iterator(chunk_size=500):
        article.sections = render(article.body).outline
        changed.append(article)
        if len(changed) == 500:
            Article.objects.bulk_update(changed, ["sections"])
            changed = []
    Article.objects.bulk_update(changed, ["sections"])


def drop_positions(apps, schema_editor):
    Article = apps.get_model("encyclopedia", "Article")
    for article in Article.objects.only("pk", "sections").iterator(chunk_size=500):
        article.sections = [{"id": s["id"], "title": s["title"]} for s in article.sections]
        article.save(update_fields=["sections"])


class Migration(migrations.Migration):
    dependencies = [("encyclopedia", "0008_medical_codes")]

    operations = [migrations.RunPython(store_outlines, drop_positions)]
