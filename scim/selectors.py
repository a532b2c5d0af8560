"""Reads for SCIM: tokens, the people and the HR group as the API shows them. Never writes."""

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.services import HR_GROUP_NAME
from careerpath import tokens as bearer_tokens

from . import filters
from .errors import bad_request
from .models import ScimToken


def active_token(secret: str) -> ScimToken | None:
    """The unrevoked token whose secret this is, or None."""
    return bearer_tokens.token_for(ScimToken.objects.all(), secret)


def tokens() -> QuerySet[ScimToken]:
    """Every token, newest first, with who created and revoked it (the HR page's list)."""
    return ScimToken.objects.select_related("created_by", "revoked_by").order_by("-created_at", "-pk")


def users() -> QuerySet[User]:
    """The people SCIM manages: everyone but superusers (an identity provider must not be able to
    change, deactivate or take over the accounts that run careerpath), in id order for paging."""
    return User.objects.filter(is_superuser=False).select_related("profile", "scim_identity").order_by("pk")


def user(pk: int) -> User | None:
    return users().filter(pk=pk).first()


def users_by_ids(ids: set[int]) -> dict[int, User]:
    return {person.pk: person for person in User.objects.filter(is_superuser=False, pk__in=ids)}


# SCIM attribute (filters.Comparison.attribute) → the lookup it compares, for Users. userName and
# the address are compared whatever their case (RFC 7643: userName is not case-exact).
USER_FILTERS = {
    "username": "email__iexact",
    "emails": "email__iexact",
    "emails.value": "email__iexact",
    "externalid": "scim_identity__external_id",
    "displayname": "name__iexact",
    "name.formatted": "name__iexact",
    "id": "pk",
    "active": "is_active",
}


def our_id(value) -> int | None:
    """`value` as one of our ids (a whole number that fits the column), or None."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) >= 2**63:
        return None
    return int(text)


def _lookup_value(lookup: str, value):
    if lookup == "pk":
        return our_id(value)
    if lookup == "is_active":
        if not isinstance(value, bool):
            raise bad_request("active is compared with true or false.", "invalidFilter")
        return value
    if not isinstance(value, str):
        raise bad_request("This attribute is compared with a string in double quotes.", "invalidFilter")
    return value


def users_filtered(comparisons: list[filters.Comparison]) -> QuerySet[User]:
    condition = Q()
    for comparison in comparisons:
        lookup = USER_FILTERS.get(comparison.attribute)
        if lookup is None:
            raise bad_request(f"Users can't be filtered by {comparison.attribute}.", "invalidFilter")
        value = _lookup_value(lookup, comparison.value)
        if value is None:
            return users().none()  # an id that isn't one of ours matches nobody
        condition &= Q(**{lookup: value})
    return users().filter(condition)


def hr_group() -> Group | None:
    return Group.objects.filter(name=HR_GROUP_NAME).first()


def group_members(group: Group) -> QuerySet[User]:
    return group.user_set.filter(is_superuser=False).order_by("pk").only("pk", "email")


def group_matches(group: Group, comparisons: list[filters.Comparison]) -> bool:
    """Whether the HR group passes a Groups filter (displayName, id, externalId never kept, members)."""
    for comparison in comparisons:
        value = comparison.value
        if comparison.attribute == "displayname":
            if not isinstance(value, str) or value.strip().lower() != group.name.lower():
                return False
        elif comparison.attribute == "id":
            if str(value) != str(group.pk):
                return False
        elif comparison.attribute in ("members", "members.value"):
            pk = our_id(value)
            if pk is None or not group_members(group).filter(pk=pk).exists():
                return False
        elif comparison.attribute == "externalid":
            return False
        else:
            raise bad_request(f"Groups can't be filtered by {comparison.attribute}.", "invalidFilter")
    return True
