from django.core.management.base import BaseCommand

from editorial.notifications import digest_queue


class Command(BaseCommand):
    help = (
        "Email each person today's digest: the medical reviews they are named on that are overdue or due "
        "within 30 days, and the open feedback assigned to them. Run it daily from cron; running it again the "
        "same day sends nobody a second digest. What fails to send stays in the outbox for send_notifications."
    )

    def handle(self, *args, **options):
        queued = digest_queue()
        self.stdout.write(f"Queued {queued} digest(s).")
