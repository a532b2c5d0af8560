"""People: the user (signs in with an email address) and the profile they edit."""

import zoneinfo

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from careerpath.models import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        """Log-ins match the email address whatever its case (stored addresses are lower case)."""
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with their email address. Their name is one free-text field."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)
    # Set while an account made by sign-up waits for its address to be confirmed (allauth's emailed
    # link); such an account is deleted once the link has expired (accounts.services.signups_expired_delete).
    signup_pending = models.BooleanField(default=False, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            # Log-ins look addresses up case-insensitively; they are stored trimmed and lower-cased.
            models.CheckConstraint(condition=~Q(email=""), name="user_email_present"),
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="user_email_lower_case",
                violation_error_message="Email addresses are stored in lower case.",
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a known time zone.", params={"value": value})


class Profile(TimeStampedModel):
    """What the rest of the product reads about a person's background."""

    class GoalDirection(models.TextChoices):
        UNDECIDED = "undecided", "Not sure yet"
        TECHNICAL = "technical", "Deeper technical work (the technical track)"
        MANAGEMENT = "management", "Leading people (the management track)"
        PROJECT = "project", "Leading projects and programmes (the project track)"

    class Education(models.TextChoices):
        NONE = "none", "No degree"
        ASSOCIATE = "associate", "Associate degree"
        BACHELOR = "bachelor", "Bachelor's degree"
        MASTER = "master", "Master's degree"
        DOCTORATE = "doctorate", "Doctorate"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    discipline = models.ForeignKey(
        "roles.Discipline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_role = models.ForeignKey("roles.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    years_experience = models.PositiveSmallIntegerField("years of professional experience", default=0)
    goal_role = models.ForeignKey(
        "roles.Role",
        verbose_name="role you want next",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    goal_direction = models.CharField(
        "direction you want to go", max_length=20, choices=GoalDirection.choices, default=GoalDirection.UNDECIDED
    )
    direct_reports = models.PositiveSmallIntegerField("people who report to you directly", default=0)
    # Set by HR (the panel or a directory import), never by the person: whose team they are in.
    manager = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_profiles",
        help_text="The person this one reports to, in careerpath.",
    )
    started_on = models.DateField(
        "start date", null=True, blank=True, help_text="When the person joined the organisation, as HR records it."
    )
    region = models.CharField(
        "where you work",
        max_length=100,
        blank=True,
        help_text="A country or region, as the catalog's credentials name them; empty when not said.",
    )
    education = models.CharField(
        "highest education", max_length=20, choices=Education.choices, default=Education.BACHELOR
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    certifications = models.ManyToManyField(
        "roles.Certification",
        blank=True,
        related_name="+",
        help_text="Certifications, licences and degrees the person already holds.",
    )
    # Reminder emails about the person's plan (reminders/rules.py decides what is due when).
    reminders_enabled = models.BooleanField("email me reminders", default=True)
    reminder_lead_days = models.PositiveSmallIntegerField("days of notice before a milestone is due", default=7)
    weekly_digest = models.BooleanField("one weekly digest instead of single reminders", default=False)

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.CheckConstraint(condition=Q(years_experience__lte=70), name="profile_years_experience_sane"),
            models.CheckConstraint(
                condition=Q(reminder_lead_days__gte=1, reminder_lead_days__lte=60), name="profile_reminder_lead_1_60"
            ),
            models.CheckConstraint(
                condition=Q(education__in=["none", "associate", "bachelor", "master", "doctorate"]),
                name="profile_education_valid",
            ),
            models.CheckConstraint(condition=~Q(time_zone=""), name="profile_time_zone_present"),
            models.CheckConstraint(
                condition=Q(goal_direction__in=["undecided", "technical", "management", "project"]),
                name="profile_goal_direction_valid",
            ),
            models.CheckConstraint(condition=Q(direct_reports__lte=10000), name="profile_direct_reports_sane"),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    def clean(self):
        super().clean()
        if self.manager_id is None:
            return
        if self.manager_id == self.user_id:
            raise ValidationError({"manager": "A person can't be their own manager."}, code="manager_self")
        if self.user_id in manager_chain(self.manager_id):
            raise ValidationError(
                {"manager": "That would make a loop: this person is already above them in the reporting line."},
                code="manager_cycle",
            )


def manager_chain(user_id: int, *, limit: int = 100) -> list[int]:
    """The ids of the people above `user_id` in the reporting line, nearest first (at most `limit`)."""
    chain: list[int] = []
    current = user_id
    while len(chain) < limit:
        current = Profile.objects.filter(user_id=current).values_list("manager_id", flat=True).first()
        if current is None or current in chain:
            break
        chain.append(current)
    return chain


class CredentialEarned(TimeStampedModel):
    """When a person earned a credential they hold: renewals are counted from it (plans/renewals.py)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="credentials_earned")
    certification = models.ForeignKey("roles.Certification", on_delete=models.CASCADE, related_name="+")
    earned_on = models.DateField("earned on")

    class Meta:
        ordering = ["profile", "certification"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "certification"], name="credential_earned_once"),
        ]

    def __str__(self):
        return f"{self.certification} earned {self.earned_on:%Y-%m-%d}"
