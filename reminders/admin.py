"""The panel's Reminders pages: the reminder log (read-only, with a "Retry" action) and HR's reminder policy.

Plans themselves are listed under People by hr/admin.py.
"""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from accounts.selectors import viewable_q
from careerpath.admin import ReadOnlyAdmin, SingletonAdmin

from . import services, tasks
from .models import Reminder, ReminderPolicy

ERROR_PREVIEW_CHARS = 120


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Every reminder email, one row each: HR reads why one failed and retries it; nobody edits a row."""

    list_display = ["person", "kind", "milestone_title", "due_date", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "kind"]
    list_select_related = ["user", "milestone"]
    search_fields = ["user__email", "user__name"]
    show_full_result_count = False
    actions = ["retry"]
    fields = [
        "user",
        "kind",
        "milestone",
        "due_date",
        "status",
        "attempts",
        "last_error",
        "send_after",
        "next_attempt_at",
        "queued_at",
        "sent_at",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The same people as the people list (active engineers); a superuser sees everyone's.
        return (
            super().get_queryset(request).filter(viewable_q(request.user, "user__")).select_related("user", "milestone")
        )

    def has_retry_permission(self, request) -> bool:
        return request.user.is_active and request.user.has_perm(f"{self.opts.app_label}.retry_reminder")

    @admin.action(description="Retry the selected failed reminders", permissions=["retry"])
    def retry(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        retried = len(services.reminders_retry(ids=selected, on_retried=tasks.queue_batches))
        skipped = len(selected) - retried
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d failed reminder was retried: it is queued to be sent now.",
                    "%(count)d failed reminders were retried: they are queued to be sent now.",
                    retried,
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d reminder was skipped: only a failed reminder can be retried.",
                    "%(count)d reminders were skipped: only failed reminders can be retried.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.display(description="person", ordering="user__email")
    def person(self, obj):
        if obj.user.name:
            return format_html("{}<br><small>{}</small>", obj.user.name, obj.user.email)
        return obj.user.email

    @admin.display(description="milestone", ordering="milestone__title")
    def milestone_title(self, obj):
        return obj.milestone.title if obj.milestone_id else "—"

    @admin.display(description="last error")
    def error(self, obj):
        return Truncator(obj.last_error).chars(ERROR_PREVIEW_CHARS) if obj.last_error else "—"


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(SingletonAdmin):
    """The one row of reminder settings: its list is its change form."""

    fields = ["reassess_after_months", "send_hour", "updated_at"]
    readonly_fields = ["updated_at"]

    def save_model(self, request, obj, form, change):
        saved = services.reminder_policy_update(
            reassess_after_months=form.cleaned_data["reassess_after_months"],
            send_hour=form.cleaned_data["send_hour"],
        )
        obj.updated_at = saved.updated_at
