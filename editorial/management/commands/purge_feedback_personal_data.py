import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from editorial.services import feedback_personal_data_purge


class Command(BaseCommand):
    help = (
        "Remove names, emails and client-address hashes from feedback and votes older than DAYS days "
        "(default: FEEDBACK_PERSONAL_DATA_DAYS), emails queued before then, and expired rate-limit counters. "
        "Messages and counts stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, metavar="DAYS", default=None)

    def handle(self, *args, older_than: int | None, **options):
        days = settings.FEEDBACK_PERSONAL_DATA_DAYS if older_than is None else older_than
        if days < 0:
            raise CommandError("--older-than must be 0 or more days.")
        purged = feedback_personal_data_purge(older_than=datetime.timedelta(days=days))
        self.stdout.write(
            f"Removed personal data older than {days} days from {purged['feedback']} feedback item(s) and "
            f"{purged['votes']} vote(s); deleted {purged['emails']} queued or sent email(s) and "
            f"{purged['rate_limit_counters']} expired rate-limit counter(s)."
        )
