"""Admin lists that answer odd filters in their address with the admin's "invalid lookup" page
(a redirect to ?e=1), as Django does for most bad filters, instead of a 500.

Three kinds of value slipped through in Django 6.1, each a 500 for any editor who typed it:
- a NUL character in a filter (`?status=%00`, `?slug=%00`): PostgreSQL refuses NUL in text, so
  the list's query raised a DataError;
- a date-hierarchy year beyond 9998 (`?created_at__year=99999999999`): Django caught only
  ValueError around building the dates, not OverflowError, and built the end date outside the
  try (Django ticket #37357, fixed upstream after 6.1);
- a number too large for a date or for the database in any other filter
  (`?date_joined__year=99999999999`), found only when the query runs.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class SturdyChangeList(ChangeList):
    def get_filters(self, request):
        # Filters only: Django validates the search box (a form field refusing NUL) and the ordering.
        if any("\x00" in value for values in self.get_filters_params().values() for value in values):
            raise IncorrectLookupParameters("A filter value holds a NUL character.")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        # Raised in Python while the query is compiled or its parameters bound, before anything
        # reaches the database, so the request's transaction is untouched.
        try:
            super().get_results(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class SturdyChangeListMixin:
    """For every ModelAdmin with a list: ours, and Django's user and group admins (accounts.py)."""

    def get_changelist(self, request, **kwargs):
        return SturdyChangeList
