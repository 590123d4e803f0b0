"""Pictures of how the encyclopedia is doing, drawn on the server as SVG by templates
(templates/admin/desk/*_chart.html): no charting library, no script, nothing the Content-Security-Policy
refuses; they print, and each comes with its figures as a table for screen readers and spreadsheets.

The functions here read the figures (a fixed number of grouped queries each) and lay them out: positions
and sizes in the SVG's own units, which the templates only write down.
"""

import dataclasses
import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from encyclopedia.models import Article, Kind, SearchMiss, Status

from .models import Feedback, Helpful, Vote

WEEKS = 12
MONTHS = 12

# The drawing area, in SVG units (the picture scales to its container).
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 16, 44


@dataclasses.dataclass
class Bar:
    label: str  # under the bar
    name: str  # in the table
    value: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    css: str = "chart__bar"
    phrase: str = ""  # in the text alternative's sentence: "in the week of 3 November 2026"
    share: float | None = None  # 0–1, drawn as a line on its own scale
    sublabel: str = ""  # a second line under the label: a week's month, where it changes

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def share_percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclasses.dataclass
class BarChart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    ticks: list[tuple[float, int]] = dataclasses.field(default_factory=list)  # (y, value)
    share_points: str = ""  # the share line's polyline
    share_dots: list[tuple[float, float]] = dataclasses.field(default_factory=list)

    @property
    def base_y(self) -> float:
        return self.height - BOTTOM

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right_x(self) -> float:
        return self.width - RIGHT

    @property
    def label_y(self) -> float:
        return self.base_y + 18

    @property
    def sublabel_y(self) -> float:
        return self.label_y + 14

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def largest(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.value, default=None)

    @property
    def share_ticks(self) -> list[tuple[float, int]]:
        plot = self.base_y - TOP
        return [(self.base_y - plot * percent / 100, percent) for percent in (0, 50, 100)]


def _nice_step(value: int) -> int:
    """A round step (1, 2 or 5 × 10ⁿ) such that four steps reach at least `value`: whole-number ticks."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if 4 * step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def lay_out(bars: list[Bar]) -> BarChart:
    chart = BarChart(bars=bars)
    step = _nice_step(max((bar.value for bar in bars), default=0))
    top = 4 * step
    plot_height = chart.base_y - TOP
    slot = (chart.right_x - LEFT) / max(len(bars), 1)
    for index, bar in enumerate(bars):
        bar.width = slot * 0.7
        bar.x = LEFT + slot * index + slot * 0.15
        bar.height = plot_height * bar.value / top
        bar.y = chart.base_y - bar.height
    chart.ticks = [(chart.base_y - plot_height * part / 4, step * part) for part in range(5)]
    dots = [(bar.label_x, chart.base_y - plot_height * bar.share) for bar in bars if bar.share is not None]
    chart.share_dots = dots
    chart.share_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in dots)
    return chart


def _week_starts(today: datetime.date) -> list[datetime.date]:
    this_week = today - datetime.timedelta(days=today.weekday())
    return [this_week - datetime.timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]


def _since(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _per_week(queryset, field: str, **counts) -> dict[datetime.date, dict]:
    rows = queryset.annotate(week=TruncWeek(field)).values("week").annotate(**counts).order_by()
    return {timezone.localtime(row["week"]).date() if isinstance(row["week"], datetime.datetime) else row["week"]: row
            for row in rows}  # fmt: skip


def feedback_per_week(today: datetime.date) -> BarChart:
    """Messages received per week (spam left out) and the share of "useful" answers that week: two queries."""
    weeks = _week_starts(today)
    since = _since(weeks[0])
    messages = _per_week(Feedback.objects.not_spam().filter(created_at__gte=since), "created_at", n=Count("*"))
    votes = _per_week(
        Vote.objects.filter(created_at__gte=since),
        "created_at",
        n=Count("*"),
        yes=Count("helpful", filter=Q(helpful=Helpful.YES)),
    )
    bars = []
    for week in weeks:
        answered = votes.get(week, {"n": 0, "yes": 0})
        bars.append(
            Bar(
                label=str(week.day), sublabel=_month_where_it_changes(weeks, week), name=f"Week of {week.day} {week:%B %Y}",
                value=messages.get(week, {"n": 0})["n"],
                phrase=f"the week of {week.day} {week:%B %Y}",
                share=answered["yes"] / answered["n"] if answered["n"] else None,
            )
        )  # fmt: skip
    return lay_out(bars)


def search_misses_per_week(today: datetime.date) -> BarChart:
    """Searches that found nothing, by the week they were first made (the rows count repeats, not dates)."""
    weeks = _week_starts(today)
    rows = _per_week(SearchMiss.objects.filter(first_searched_at__gte=_since(weeks[0])), "first_searched_at",
                     n=Count("*"))  # fmt: skip
    return lay_out(
        [Bar(label=str(week.day), sublabel=_month_where_it_changes(weeks, week), name=f"Week of {week.day} {week:%B %Y}",
             value=rows.get(week, {"n": 0})["n"],
             phrase=f"the week of {week.day} {week:%B %Y}")
         for week in weeks]
    )  # fmt: skip


def _month_where_it_changes(weeks: list[datetime.date], week: datetime.date) -> str:
    """Under twelve weekly bars there is room for the day of each week, and its month where a new one
    starts (and under the first bar): "14 Sep 21 Sep 28 Sep" ran together."""
    index = weeks.index(week)
    return f"{week:%b}" if index == 0 or weeks[index - 1].month != week.month else ""


def _add_months(day: datetime.date, months: int) -> datetime.date:
    months += day.month - 1
    return datetime.date(day.year + months // 12, months % 12 + 1, 1)


def reviews_due_per_month(today: datetime.date) -> BarChart:
    """Medical reviews overdue (their own bar), then due in each of the next 12 months: two queries."""
    first = today.replace(day=1)
    months = [_add_months(first, n) for n in range(MONTHS)]
    articles = Article.objects.articles()
    overdue = articles.review_overdue(today).count()
    rows = (
        articles.filter(next_review_due__gte=today, next_review_due__lt=_add_months(first, MONTHS))
        .annotate(month=TruncMonth("next_review_due"))
        .values("month")
        .annotate(n=Count("*"))
        .order_by()
    )
    due = {row["month"]: row["n"] for row in rows}
    # "Overdue" is wider than a month's slot: on the second line, which months leave free but for a new year.
    bars = [Bar(label="", sublabel="Overdue", name="Overdue", value=overdue, css="chart__bar chart__bar--alert",
                phrase="overdue")]  # fmt: skip
    bars += [
        Bar(label=f"{month:%b}", sublabel=f"{month:%Y}" if month.month == 1 and month != first else "",
            name=f"{month:%B %Y}", value=due.get(month, 0))
        for month in months
    ]  # fmt: skip
    return lay_out(bars)


@dataclasses.dataclass
class Segment:
    state: str
    label: str
    value: int
    x: float = 0
    width: float = 0

    @property
    def css(self) -> str:
        return f"chart__segment chart__segment--{self.state}"


@dataclasses.dataclass
class StackedRow:
    label: str
    segments: list[Segment]
    y: float = 0

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


@dataclasses.dataclass
class StackedChart:
    rows: list[StackedRow]
    states: list[tuple[str, str]]
    width: int = WIDTH
    row_height: int = 28
    left: int = 110

    @property
    def height(self) -> int:
        return len(self.rows) * (self.row_height + 12) + 8

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def articles_by_kind_and_state() -> StackedChart:
    """Articles per kind, split by state (a working copy is counted with its live article): one query."""
    counts = {
        (row["kind"], row["status"]): row["n"]
        for row in Article.objects.articles().values("kind", "status").annotate(n=Count("*")).order_by()
    }
    states = [(status.value, status.label) for status in Status if status != Status.SCHEDULED_CHANGE]
    rows = [
        StackedRow(kind.plural_label, [Segment(value, label, counts.get((kind.value, value), 0)) for value, label in states])
        for kind in Kind
    ]  # fmt: skip
    chart = StackedChart(rows=rows, states=states)
    largest = max((row.total for row in rows), default=0) or 1
    span = chart.width - chart.left - 16
    for index, row in enumerate(rows):
        row.y = 8 + index * (chart.row_height + 12)
        x = chart.left
        for segment in row.segments:
            segment.x = x
            segment.width = span * segment.value / largest
            x += segment.width
    return chart
