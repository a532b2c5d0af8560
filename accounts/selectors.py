"""Reads for people and the choices their profile offers."""

from allauth.mfa.models import Authenticator
from django.db.models import Q, QuerySet

from accounts.models import Profile, User
from roles.models import Certification, Discipline, Role


def engineer_q(prefix: str = "") -> Q:
    """Who counts as an engineer: an active account without staff status (HR and admins are not).
    `prefix` leads from the row to its account ("user__" for a result or plan)."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}is_staff": False})


def viewable_q(viewer: User, prefix: str = "") -> Q:
    """Whose person, result, plan, answer and reminder pages `viewer` may open in the panel: the
    engineers', and for a superuser everyone's. `prefix` leads from the row to its account."""
    return Q() if viewer.is_superuser else engineer_q(prefix)


def profile_for(user: User, *, create: bool = True) -> Profile:
    """The person's profile with what the profile page shows, creating an empty one if missing.

    Superusers made with `createsuperuser` have no profile until they first need one. With
    `create=False` a missing profile comes back unsaved, so that merely showing the profile
    page (a GET) writes nothing.
    """
    profile = (
        Profile.objects.select_related("user", "discipline", "current_role", "goal_role")
        .prefetch_related("certifications")
        .filter(user=user)
        .first()
    )
    if profile is None:
        if not create:
            return Profile(user=user)
        profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def user_by_email(email: str) -> User | None:
    """The person with this email address, whatever its case, or None."""
    return User.objects.filter(email__iexact=email.strip()).first()


def pending_signup(pk: int) -> User | None:
    """An account made by sign-up whose link was not followed yet (inactive, never logged in), or None."""
    return User.objects.filter(pk=pk, is_active=False, last_login__isnull=True).first()


def hr_member_without_second_factor(user: User) -> bool:
    """Whether the person is in the HR group and has set up no second factor (allauth.mfa) yet."""
    from accounts.services import HR_GROUP_NAME

    return (
        user.groups.filter(name=HR_GROUP_NAME).exists()
        and not Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()
    )


def discipline_choices() -> QuerySet[Discipline]:
    return Discipline.objects.order_by("order", "name")


def credential_regions() -> list[str]:
    """The regions the catalog's credentials are awarded in, A to Z."""
    return list(Certification.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct())


def role_choices() -> QuerySet[Role]:
    """Roles in ladder order, with their track for grouping the choices by track."""
    return Role.objects.select_related("track").order_by("track__order", "track__name", "track_id", "rank", "name")


def certification_choices() -> QuerySet[Certification]:
    return Certification.objects.order_by("name")
