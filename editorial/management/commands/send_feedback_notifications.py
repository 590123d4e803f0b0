import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from editorial.models import Feedback
from editorial.services import feedback_notify


class Command(BaseCommand):
    help = (
        "Email the editors about feedback whose notification has not gone out (the mail server was down, "
        "say). Run it from cron every few minutes; it exits with status 1 while some still fail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age", type=int, default=60, metavar="SECONDS",
            help="Leave feedback younger than this to the request that received it (default: 60).",
        )  # fmt: skip

    def handle(self, *args, min_age: int, **options):
        if not settings.FEEDBACK_NOTIFY_EMAILS:
            self.stdout.write("No recipients configured (FEEDBACK_NOTIFY_EMAILS): nothing sent.")
            return
        cutoff = timezone.now() - datetime.timedelta(seconds=min_age)
        waiting = list(
            Feedback.objects.awaiting_notification().filter(created_at__lte=cutoff).values_list("pk", flat=True)
        )
        sent = sum(feedback_notify(feedback_id=pk) for pk in waiting)
        failed = len(waiting) - sent
        self.stdout.write(f"Sent {sent} notification(s); {failed} failed.")
        if failed:
            self.stderr.write("Some notifications could not be sent; they will be retried on the next run.")
            raise SystemExit(1)
