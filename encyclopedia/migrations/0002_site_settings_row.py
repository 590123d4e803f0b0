"""Create the one site-settings row with the starting texts, which editors change in admin."""

from django.db import migrations

from encyclopedia.markdown import render_markdown


def create_row(apps, schema_editor):
    SiteSettings = apps.get_model("encyclopedia", "SiteSettings")
    settings, created = SiteSettings.objects.get_or_create(pk=1)
    if created:
        # Historical models have no custom save(): store the derived HTML here.
        settings.disclaimer_html = render_markdown(settings.disclaimer)
        settings.save(update_fields=["disclaimer_html"])


class Migration(migrations.Migration):
    dependencies = [("encyclopedia", "0001_initial")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
