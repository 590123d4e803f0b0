"""Django's own user and group admins, with lists that refuse odd filters politely (changelist.py)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from .changelist import SturdyChangeListMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(SturdyChangeListMixin, UserAdmin):
    pass


@admin.register(Group)
class RoleAdmin(SturdyChangeListMixin, GroupAdmin):
    pass
