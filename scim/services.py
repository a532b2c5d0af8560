"""Writes for SCIM: tokens HR creates and revokes, and the people and HR group an identity provider
provisions, through the accounts services the rest of careerpath uses."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import services as accounts_services
from accounts.models import Profile, User
from careerpath import tokens

from . import selectors
from .errors import ScimError, bad_request
from .models import ScimIdentity, ScimToken
from .operations import UserFields

TOKEN_PREFIX = "cpscim_"


def scim_token_create(*, name: str, created_by: User) -> tuple[ScimToken, str]:
    """A new token and its secret; the secret is not kept (only its digest) and is shown once."""
    return tokens.token_issue(ScimToken, prefix=TOKEN_PREFIX, name=name, created_by=created_by)


def scim_token_revoke(*, token: ScimToken, revoked_by: User) -> bool:
    """Stop the token working at once; False when it was revoked already."""
    return tokens.token_revoke(token=token, revoked_by=revoked_by)


def scim_token_used(*, token: ScimToken, now: datetime | None = None) -> None:
    tokens.token_used(token=token, now=now)


def _duplicate(email: str) -> ScimError:
    return ScimError(409, f"A person with the userName {email} exists already.", "uniqueness")


def _manager(fields: UserFields, *, user: User | None) -> User | None:
    if fields.manager is None:
        return None
    manager = selectors.users_by_ids({fields.manager}).get(fields.manager)
    if manager is None:
        raise bad_request(f"No person has the id {fields.manager} (manager.value).")
    if user is not None and manager.pk == user.pk:
        raise bad_request("A person can't be their own manager.")
    return manager


def _set_manager(profile: Profile, manager: User | None) -> None:
    try:
        accounts_services.profile_manager_set(profile=profile, manager=manager)
    except ValidationError as exc:
        raise bad_request(" ".join(exc.messages)) from None


def _set_external_id(user: User, external_id: str) -> None:
    identity = ScimIdentity.objects.filter(user=user).first()
    if identity is None:
        if external_id:
            ScimIdentity.objects.create(user=user, external_id=external_id)
    elif identity.external_id != external_id:
        identity.external_id = external_id
        identity.save(update_fields=["external_id", "updated_at"])


@transaction.atomic
def scim_user_create(*, fields: UserFields) -> User:
    """A person from the directory: an account without a password (they log in through the company's
    sign-in, or set one with "Forgot your password?"), active unless the directory says not."""
    if User.objects.filter(email__iexact=fields.user_name).exists():
        raise _duplicate(fields.user_name)
    manager = _manager(fields, user=None)
    try:
        user = accounts_services.user_create(
            email=fields.user_name, password=None, name=fields.stored_name(), is_active=fields.active
        )
    except ValidationError:
        raise _duplicate(fields.user_name) from None
    if manager is not None:
        _set_manager(Profile.objects.get(user=user), manager)
    _set_external_id(user, fields.external_id)
    return user


@transaction.atomic
def scim_user_update(*, user: User, fields: UserFields) -> User:
    """Bring the person in line with the directory: address, name, directory id, manager, active."""
    manager = _manager(fields, user=user)
    changed = []
    if fields.user_name != user.email:
        if User.objects.filter(email__iexact=fields.user_name).exclude(pk=user.pk).exists():
            raise _duplicate(fields.user_name)
        user.email = fields.user_name
        changed.append("email")
    name = fields.stored_name()
    if name != user.name:
        user.name = name
        changed.append("name")
    if changed:
        try:
            with transaction.atomic():
                user.save(update_fields=changed)
        except IntegrityError:
            raise _duplicate(fields.user_name) from None
        if "email" in changed:
            accounts_services.email_address_confirmed_set(user=user)
    profile, _ = Profile.objects.get_or_create(user=user)
    _set_manager(profile, manager)
    _set_external_id(user, fields.external_id)
    accounts_services.user_active_set(user=user, active=fields.active)
    return user


def scim_user_delete(*, user: User) -> None:
    """DELETE: deactivate the person (their data stays) or erase them, as SCIM_DELETE says."""
    if settings.SCIM_DELETE == "delete":
        accounts_services.account_delete(user=user)
    else:
        accounts_services.user_active_set(user=user, active=False)


@transaction.atomic
def scim_group_members_set(*, group, member_ids: set[int]) -> None:
    """Make the HR group's members exactly these people (superusers are left as they are)."""
    people = selectors.users_by_ids(member_ids)
    unknown = sorted(member_ids - set(people))
    if unknown:
        raise bad_request(f"No person has the id {', '.join(str(pk) for pk in unknown[:10])} (members.value).")
    current = set(selectors.group_members(group).values_list("pk", flat=True))
    for pk in sorted(member_ids - current):
        accounts_services.hr_member_add(user=people[pk])
    for person in User.objects.filter(pk__in=current - member_ids):
        accounts_services.hr_member_remove(user=person)
