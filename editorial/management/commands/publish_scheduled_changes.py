"""Publish the approved changes to published articles whose time has come. Run it every minute from cron.

New articles need no command: a scheduled article becomes visible by itself when its "published at"
passes. A scheduled change must replace the live text, which takes a write.
"""

from django.core.management.base import BaseCommand

from ... import workflow


class Command(BaseCommand):
    help = "Apply the approved working copies whose scheduled time has come (run every minute from cron)."

    def handle(self, *args, **options):
        for article in workflow.publish_scheduled_changes():
            self.stdout.write(f"Published the scheduled change to “{article}” ({article.get_absolute_url()}).")
