from collections import defaultdict

from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone

from encyclopedia.models import Article


class Command(BaseCommand):
    help = "List articles whose medical review is overdue; with --email, send each reviewer their list."

    def add_arguments(self, parser):
        parser.add_argument("--email", action="store_true", help="Email each named reviewer the overdue articles.")

    def handle(self, *args, email: bool, **options):
        today = timezone.localdate()
        overdue = list(Article.objects.review_overdue(today).select_related("reviewed_by").order_by("next_review_due"))
        if not overdue:
            self.stdout.write("No article is overdue for medical review.")
            return
        self.stdout.write(f"{len(overdue)} article(s) overdue for medical review on {today:%d %B %Y}:")
        by_reviewer = defaultdict(list)
        for article in overdue:
            reviewer = article.reviewed_by
            name = (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "no named reviewer"
            self.stdout.write(
                f"  {article.get_kind_display()}: {article.title} – due {article.next_review_due:%d %B %Y}"
                f" (last reviewed {article.last_reviewed_on:%d %B %Y} by {name})"
            )
            by_reviewer[reviewer].append(article)
        if not email:
            return
        for reviewer, articles in by_reviewer.items():
            if reviewer is None or not reviewer.email:
                self.stderr.write(f"Not emailed (no reviewer with an email address): {len(articles)} article(s).")
                continue
            context = {"reviewer": reviewer, "articles": articles, "today": today}
            send_mail(
                subject=f"{len(articles)} article(s) due for medical review",
                message=render_to_string("editorial/email/review_report.txt", context),
                from_email=None,
                recipient_list=[reviewer.email],
            )
            self.stdout.write(f"Emailed {reviewer.email}: {len(articles)} article(s).")
