import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from editorial.models import OutboxMessage
from editorial.notifications import outbox_send


class Command(BaseCommand):
    help = (
        "Send the staff's and readers' emails still waiting in the outbox (the mail server was down, say). "
        "Run it from cron every few minutes; it exits with status 1 while some still fail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age", type=int, default=60, metavar="SECONDS",
            help="Leave messages younger than this to the request that queued them (default: 60).",
        )  # fmt: skip

    def handle(self, *args, min_age: int, **options):
        cutoff = timezone.now() - datetime.timedelta(seconds=min_age)
        waiting = list(OutboxMessage.objects.pending().filter(created_at__lte=cutoff).values_list("pk", flat=True))
        sent = sum(outbox_send(message_id=pk) for pk in waiting)
        failed = len(waiting) - sent
        self.stdout.write(f"Sent {sent} email(s); {failed} failed.")
        if failed:
            self.stderr.write("Some emails could not be sent; they will be retried on the next run.")
            raise SystemExit(1)
