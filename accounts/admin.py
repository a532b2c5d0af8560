from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Profile, User
from accounts.services import DUPLICATE_EMAIL_MESSAGE, email_normalize


class ProfileInline(admin.StackedInline):
    model = Profile
    fk_name = "user"
    can_delete = False
    fields = ["discipline", "current_role", "years_experience", "education", "time_zone", "manager", "started_on"]
    autocomplete_fields = ["manager"]
    extra = 0


class EmailUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        # Stored trimmed and lower-cased, as the user_email_lower_case constraint requires.
        return email_normalize(self.cleaned_data["email"])


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["email", "name"]

    def clean_email(self) -> str:
        email = email_normalize(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(DUPLICATE_EMAIL_MESSAGE, code="duplicate_email")
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin for a user who signs in with an email address and has one name field."""

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    inlines = [ProfileInline]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes's lock-out list, with its "Clean up expired attempts" action working.

    The action reads the time of the log-in being checked from the request (`axes_attempt_time`),
    which django-axes sets only on a log-in request: from the list it raised AttributeError.
    """

    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


if admin.site.is_registered(AccessAttempt):  # django-axes registers its admin unless AXES_ENABLE_ADMIN is off
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
