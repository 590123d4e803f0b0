"""Create the one site-settings row, with starting texts editors can change in admin."""

from django.db import migrations

from encyclopedia.markdown import render_markdown

DISCLAIMER = (
    "This encyclopedia explains health topics in general terms. It does not replace advice, "
    "diagnosis or treatment from a doctor or other qualified health professional who knows "
    "your situation. Talk to one about any question you have on a medical condition, and never "
    "ignore or put off professional advice because of something you read here. We work to keep "
    "every article accurate and current but cannot guarantee that it is complete or free of "
    "errors, and accept no liability for decisions made on the basis of it. "
    "**In an emergency, call your local emergency number straight away.**"
)


def create_row(apps, schema_editor):
    SiteSettings = apps.get_model("encyclopedia", "SiteSettings")
    SiteSettings.objects.get_or_create(
        pk=1,
        defaults={
            "site_name": "Health Encyclopedia",
            "disclaimer": DISCLAIMER,
            "disclaimer_html": render_markdown(DISCLAIMER),
            "feedback_invitation": "Spotted a mistake, or is something unclear? Tell us what could be better.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("encyclopedia", "0001_initial")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
