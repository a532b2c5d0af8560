"""Writes for people: creating accounts, editing profiles, HR membership.

Views, the admin and management commands call these so they all behave alike.
"""

from datetime import datetime, timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.timesince import timesince

from accounts import personal_data, signals
from accounts.models import CredentialEarned, Profile, User
from careerpath.security import login_username_key

HR_GROUP_NAME = "HR"

DUPLICATE_EMAIL_MESSAGE = "An account with this email address already exists. Log in, or reset your password."

# Matches the profile_years_experience_sane constraint; checked here to name the field in the error.
YEARS_EXPERIENCE_MIN, YEARS_EXPERIENCE_MAX = 0, 70
YEARS_EXPERIENCE_MESSAGE = f"Enter a whole number of years between {YEARS_EXPERIENCE_MIN} and {YEARS_EXPERIENCE_MAX}."
# Matches the profile_direct_reports_sane constraint.
DIRECT_REPORTS_MAX = 10000
DIRECT_REPORTS_MESSAGE = f"Enter a whole number of people between 0 and {DIRECT_REPORTS_MAX}."

# The profile fields a person may edit, and the one user field edited on the same page.
PROFILE_FIELDS = frozenset(
    {
        "discipline",
        "current_role",
        "years_experience",
        "direct_reports",
        "region",
        "goal_direction",
        "goal_role",
        "education",
        "time_zone",
        "reminders_enabled",
        "reminder_lead_days",
        "weekly_digest",
    }
)
USER_FIELDS = frozenset({"name"})
PROFILE_MANY_FIELDS = frozenset({"certifications"})


def email_normalize(email: str) -> str:
    """The form every email address is stored in: trimmed and lower-cased."""
    return email.strip().lower()


@transaction.atomic
def user_create(*, email: str, password: str | None, name: str = "", is_active: bool = True) -> User:
    """Create a person and their (empty) profile together.

    The address is recorded as confirmed (allauth's EmailAddress): whoever calls this (HR's import, the
    directory over SCIM, a management command) vouches for it, so the person can log in without the
    confirmation email sign-up sends. Raises ValidationError when the address is taken, whatever its case.
    """
    email = email_normalize(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email")
    try:
        # A savepoint so a lost race on the unique index leaves the outer transaction usable.
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name.strip(), is_active=is_active)
    except IntegrityError as exc:
        raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email") from exc
    Profile.objects.create(user=user)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def email_addresses_confirmed_create(*, users) -> None:
    """Record each person's address as confirmed, as user_create does, for accounts made in bulk (the demo)."""
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users],
        ignore_conflicts=True,
    )


@transaction.atomic
def email_address_confirmed_set(*, user: User) -> None:
    """Record the person's (changed) address as their one confirmed address, as user_create does.

    allauth reads addresses from its EmailAddress rows; when the directory changes a person's
    address (scim.services.scim_user_update) their rows follow it.
    """
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"primary": True, "verified": True})


@transaction.atomic
def profile_update(*, profile: Profile, **fields) -> Profile:
    """Set the given profile fields (and `name`, which lives on the user) after validating them.

    `certifications` replaces the set of credentials the person holds.
    """
    unknown = set(fields) - PROFILE_FIELDS - USER_FIELDS - PROFILE_MANY_FIELDS
    if unknown:
        raise TypeError(f"profile_update() got unexpected fields: {', '.join(sorted(unknown))}")

    user_changes = {key: value for key, value in fields.items() if key in USER_FIELDS}
    profile_changes = {key: value for key, value in fields.items() if key in PROFILE_FIELDS}

    if user_changes:
        user = profile.user
        for key, value in user_changes.items():
            setattr(user, key, value.strip() if isinstance(value, str) else value)
        user.full_clean(exclude=_other_fields(user, user_changes), validate_unique=False)
        user.save(update_fields=[*user_changes])

    if profile_changes:
        years = profile_changes.get("years_experience", YEARS_EXPERIENCE_MIN)
        if not isinstance(years, int) or not YEARS_EXPERIENCE_MIN <= years <= YEARS_EXPERIENCE_MAX:
            raise ValidationError({"years_experience": YEARS_EXPERIENCE_MESSAGE}, code="years_out_of_range")
        for key, value in profile_changes.items():
            setattr(profile, key, value)
        profile.full_clean(exclude=_other_fields(profile, profile_changes), validate_unique=False)
        profile.save(update_fields=[*profile_changes, "updated_at"])

    if "certifications" in fields:
        profile.certifications.set(fields["certifications"])
    return profile


@transaction.atomic
def user_active_set(*, user: User, active: bool) -> bool:
    """Activate or deactivate a person (the directory's word, e.g. SCIM `active`); True when it changed.

    A deactivated person keeps all their data, can't log in (Django's ModelBackend refuses an
    inactive account, and their open sessions end here and in `get_user`), and is left out of
    every reminder (reminders/services.py reads active accounts only) and of the people HR lists.
    """
    if user.is_active == active:
        return False
    user.is_active = active
    fields = ["is_active"]
    if active and user.signup_pending:
        user.signup_pending = False  # activated by the directory: no longer waiting for its link
        fields.append("signup_pending")
    user.save(update_fields=fields)
    if not active:
        user_sessions_end(user=user)
    return True


def profile_manager_set(*, profile: Profile, manager: User | None) -> Profile:
    """Set whom the person reports to (HR's or the directory's word, never the person's).

    ValidationError (on `manager`) when it is the person themself or would make a loop.
    """
    if profile.manager_id == (manager.pk if manager else None):
        return profile
    profile.manager = manager
    profile.clean()
    profile.save(update_fields=["manager", "updated_at"])
    return profile


def profile_certification_add(*, profile: Profile, certification) -> bool:
    """Record that the person holds `certification` (e.g. on completing its plan milestone);
    True when it is new to the profile."""
    if profile.certifications.filter(pk=certification.pk).exists():
        return False
    profile.certifications.add(certification)
    return True


@transaction.atomic
def profile_credential_earned_set(*, profile: Profile, certification, earned_on) -> CredentialEarned:
    """Record when the person earned `certification` (which they then hold)."""
    profile_certification_add(profile=profile, certification=certification)
    row, _ = CredentialEarned.objects.update_or_create(
        profile=profile, certification=certification, defaults={"earned_on": earned_on}
    )
    return row


def _other_fields(instance, changes) -> list[str]:
    """Fields to leave out of validation: only what changes is checked."""
    return [field.name for field in instance._meta.concrete_fields if field.name not in changes]


def _hr_group() -> Group:
    try:
        return Group.objects.get(name=HR_GROUP_NAME)
    except Group.DoesNotExist as exc:
        raise ValidationError(
            f'The "{HR_GROUP_NAME}" group does not exist. Run "manage.py migrate" to create it.',
            code="no_hr_group",
        ) from exc


@transaction.atomic
def hr_member_add(*, user: User) -> bool:
    """Put a person in the HR group and let them into the admin. Returns False if nothing changed."""
    group = _hr_group()
    changed = False
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
        changed = True
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        changed = True
    return changed


@transaction.atomic
def hr_member_remove(*, user: User) -> bool:
    """Take a person out of the HR group. Returns False if they were not in it.

    Their admin access goes too, unless they are a superuser or still belong to another group.
    """
    group = _hr_group()
    if not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    if user.is_staff and not user.is_superuser and not user.groups.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    return True


# --- The person's own data: export, erasure, sessions ---------------------------------


def login_attempts_q(user: User) -> Q:
    """django-axes rows about the person's address: under its key, or (rows from before keys) the address."""
    return Q(username=login_username_key(user.email)) | Q(username__iexact=user.email)


def account_failed_log_ins(*, user: User) -> list[dict]:
    """Failed log-ins for the person's email address (django-axes counts them by address, not by account)."""
    from axes.models import AccessAttempt

    failures = AccessAttempt.objects.filter(login_attempts_q(user)).order_by("attempt_time")
    return [
        {
            "first_failure_at": attempt.attempt_time,
            "ip_address": attempt.ip_address,
            "user_agent": attempt.user_agent,
            "failures": attempt.failures_since_start,
        }
        for attempt in failures
    ]


def account_export_data(*, user: User) -> dict:
    """Everything careerpath holds about the person, as JSON-ready data (accounts/personal_data.py).

    `records` has one list of rows per model that links to the person, keyed by model label,
    each with a sentence saying what it is. Failed log-ins are counted by email address
    (django-axes, under login_username_key), not by a link to the account, so they are listed on their own.
    """
    records = {}
    for holding in personal_data.HOLDINGS:
        records[holding.label] = {
            "description": holding.description,
            "rows": [personal_data.row_data(row, holding) for row in holding.rows_for(user)],
        }
    return {
        "format": personal_data.EXPORT_FORMAT,
        "version": personal_data.EXPORT_VERSION,
        "exported_at": timezone.now(),
        "person": {"id": user.pk, "email": user.email, "name": user.name},
        "records": records,
        "failed_log_ins": account_failed_log_ins(user=user),
    }


@transaction.atomic
def account_delete(*, user: User) -> str:
    """Erase the person: their account and every row about them; returns their anonymous reference.

    Profile, self-assessments, answers, results, plans, milestones and reminders go with
    the account (their foreign keys cascade). Records that outlive it (HR's access trail)
    keep only the anonymous reference `personal_data.subject_reference` gives: the
    `signals.account_erasing` receivers (hr/receivers.py) replace what names the person.
    Admin history about their rows loses its description, their failed log-in records and
    their sessions go. tests/security/test_personal_data.py searches every table afterwards.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    reference = personal_data.subject_reference(user.pk)
    erased = f"erased person {reference}"

    # The admin's history of changes to their rows names them in object_repr ("Profile of Ada"),
    # whether the row was edited through its own model or a proxy (the HR panel's Person).
    content_types: dict[type, list[ContentType]] = {}
    for content_type in ContentType.objects.all():
        model = content_type.model_class()
        if model is not None:
            content_types.setdefault(model._meta.concrete_model, []).append(content_type)
    for holding in personal_data.HOLDINGS:
        if holding.label == "admin.LogEntry":
            continue
        ids = [str(pk) for pk in holding.rows_for(user).values_list("pk", flat=True)]
        if ids:
            LogEntry.objects.filter(content_type__in=content_types.get(holding.model, []), object_id__in=ids).update(
                object_repr=erased, change_message=""
            )

    signals.account_erasing.send(sender=User, user=user, reference=reference)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(login_attempts_q(user)).delete()
    user_sessions_end(user=user)
    user.delete()
    return reference


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Log the person out everywhere except the session `keep_session_key`; returns how many ended.

    Sessions live in the database (SESSION_ENGINE `db`, or `cached_db` with a shared cache),
    which has no index by user, so the unexpired ones are read and decoded; with `cached_db`
    their cached copies are dropped too, or they would go on working until the cache let them
    go. A test keeps the engine from changing without this function changing too.
    """
    ended = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep_session_key or "")
    for session in sessions.iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if ended and hasattr(store, "cache_key_prefix"):  # cached_db
        caches[settings.SESSION_CACHE_ALIAS].delete_many([store.cache_key_prefix + key for key in ended])
    return len(ended)


# --- Sign-up (allauth's account app runs it: accounts/adapter.py) ----------------------------


@transaction.atomic
def user_signed_up(*, user: User, name: str = "") -> User:
    """Save the account allauth's sign-up built (its address and password set) with its name and an empty
    profile. It waits for its address to be confirmed (`signup_pending`) and can't log in until then
    (ACCOUNT_EMAIL_VERIFICATION = "mandatory")."""
    user.email = email_normalize(user.email)
    user.name = name.strip()
    user.signup_pending = True
    user.save()
    Profile.objects.create(user=user)
    return user


def signup_confirmed(*, user: User) -> None:
    """The address of an account made by sign-up was confirmed: it no longer waits to be deleted."""
    if user.signup_pending:
        User.objects.filter(pk=user.pk).update(signup_pending=False)
        user.signup_pending = False


def email_confirmation_lifetime() -> timedelta:
    """How long an emailed sign-up confirmation link works (allauth's ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS)."""
    return timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS)


def signups_expired_delete(*, now: datetime | None = None) -> int:
    """Delete the accounts made by sign-up whose confirmation link expired unfollowed; returns how many.

    Their link stops working after ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS, and allauth lets no one log in
    to them before their address is confirmed, so nothing can use them any more; keeping an address
    nobody confirmed is keeping personal data for no purpose. Only accounts made by sign-up, never logged
    in to and without a confirmed address qualify (`signup_pending`); an account HR made or deactivated is
    never touched. The address can sign up again at any time.
    """
    now = now or timezone.now()
    cutoff = now - email_confirmation_lifetime()
    expired = User.objects.filter(signup_pending=True, last_login__isnull=True, date_joined__lt=cutoff).exclude(
        emailaddress__verified=True
    )
    deleted = 0
    for user in expired.iterator():
        with transaction.atomic():
            user.delete()
        deleted += 1
    return deleted


def reset_link_lifetime() -> str:
    """How long a password-reset link works, in words ("3 days"): PASSWORD_RESET_TIMEOUT."""
    start = timezone.now()
    # timesince joins number and unit with a no-break space; plain text emails read better with a space.
    return timesince(start, start + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)).replace("\xa0", " ")


def email_send(*, subject: str, body: str, html: str, from_email: str, to: list[str]) -> None:
    """Send one email rendered earlier (allauth's, rendered in the request by accounts/adapter.py)."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
