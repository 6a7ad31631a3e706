"""The alerts in the admin.

Communications staff and publishers see which searches people follow and how many follow
each, never who: no address appears on their pages. Site admins also see the addresses,
the suppression list (lift a suppression, or suppress by hand) and the mail sent, with its
failures.
"""

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .describe import describe
from .models import Alert, Message, Subscriber


def counted_column(name, description):
    """A column showing the count annotated as ``n_<name>``, sortable by it."""

    @admin.display(description=description, ordering=f"n_{name}")
    def column(self, alert):
        return getattr(alert, f"n_{name}")

    return column


class ReadOnly:
    """Alerts are the subscribers' own: the admin reads them, it does not write them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnly, admin.ModelAdmin):
    """One row per followed search: how many follow it, how often, and what reached them."""

    list_display = ["search", "language", "followers", "immediately", "daily", "weekly", "sent"]
    list_filter = ["language"]
    search_fields = ["query"]

    def get_queryset(self, request):
        # One row per search and language (the first alert's), with the counts of all.
        confirmed = Q(confirmed_at__isnull=False)
        same = Alert.objects.filter(
            query=OuterRef("query"), language=OuterRef("language"), confirmed_at__isnull=False
        )
        first = same.order_by("pk").values("pk")[:1]
        return (
            super()
            .get_queryset(request)
            .filter(confirmed, pk=Subquery(first))
            .annotate(
                n_followers=counted(same),
                n_immediately=counted(same.filter(frequency=Alert.Frequency.IMMEDIATELY)),
                n_daily=counted(same.filter(frequency=Alert.Frequency.DAILY)),
                n_weekly=counted(same.filter(frequency=Alert.Frequency.WEEKLY)),
                n_sent=counted(
                    Message.objects.filter(
                        alert__query=OuterRef("query"),
                        alert__language=OuterRef("language"),
                        status=Message.Status.SENT,
                    ),
                    group="alert__query",
                ),
            )
            .order_by("-n_followers", "query")
        )

    @admin.display(description="search")
    def search(self, alert):
        return describe(alert.query, alert.language)

    followers = counted_column("followers", "followers")
    immediately = counted_column("immediately", "immediately")
    daily = counted_column("daily", "daily")
    weekly = counted_column("weekly", "weekly")
    sent = counted_column("sent", "emails sent")

    def get_fields(self, request, obj=None):
        return ["query", "language", "frequency", "created_at"]  # never the subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Site admins only (``view_addresses``): addresses, and the suppression list."""

    list_display = ["email", "language", "alert_count", "suppressed_because", "suppressed_at"]
    list_filter = ["suppressed_because", "language"]
    search_fields = ["email"]
    fields = ["email", "language", "created_at", "suppressed_because", "suppressed_at"]
    readonly_fields = ["email", "language", "created_at", "suppressed_at"]
    actions = ["lift_suppression", "suppress"]

    def has_module_permission(self, request):
        return request.user.has_perm("alerts.view_addresses")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("alerts.view_addresses") and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(alert_count=Count("alerts"))

    @admin.display(description="alerts", ordering="alert_count")
    def alert_count(self, subscriber):
        return subscriber.alert_count

    def save_model(self, request, obj, form, change):
        """Choosing a reason suppresses the address; clearing it lifts the suppression."""
        obj.suppressed_at = (
            (obj.suppressed_at or timezone.now()) if obj.suppressed_because else None
        )
        super().save_model(request, obj, form, change)

    @admin.action(description="Lift the suppression: send to these addresses again")
    def lift_suppression(self, request, queryset):
        lifted = queryset.exclude(suppressed_at=None).update(
            suppressed_at=None, suppressed_because=""
        )
        self.message_user(
            request, f"{lifted} address(es) will get their alerts again.", messages.SUCCESS
        )

    @admin.action(description="Suppress: send nothing more to these addresses")
    def suppress(self, request, queryset):
        done = queryset.filter(suppressed_at=None).update(
            suppressed_at=timezone.now(), suppressed_because=Subscriber.Suppression.MANUAL
        )
        self.message_user(request, f"{done} address(es) suppressed.", messages.SUCCESS)


@admin.register(Message)
class MessageAdmin(ReadOnly, admin.ModelAdmin):
    """The mail: what was sent, what waits, what failed and why (site admins)."""

    list_display = ["subject", "kind", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "subscriber",
        "subject",
        "status",
        "attempts",
        "due_at",
        "sent_at",
        "last_error",
        "text",
    ]
    list_select_related = ["subscriber"]
    ordering = ["-created_at"]

    def has_module_permission(self, request):
        return request.user.has_perm("alerts.view_addresses")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("alerts.view_addresses") and super().has_view_permission(
            request, obj
        )


def counted(queryset, group="query"):
    """A subquery's row count, as one value (its rows share ``group``: one group), 0 for
    no row."""
    rows = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(rows), 0)
