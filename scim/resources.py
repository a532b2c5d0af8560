"""careerpath's people and HR group as SCIM resources (RFC 7643), and the list answer. Pure over the
rows it is given: the selectors fetched what it reads."""

from django.urls import reverse

from .filters import CORE_GROUP, CORE_USER, ENTERPRISE_USER
from .operations import split_name

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def _time(value) -> str | None:
    return value.isoformat() if value else None


def user_resource(user, *, absolute) -> dict:
    """`absolute` turns a path into a full URL (request.build_absolute_uri)."""
    profile = getattr(user, "profile", None) if _loaded(user, "profile") else None
    identity = getattr(user, "scim_identity", None) if _loaded(user, "scim_identity") else None
    given, family = split_name(user.name)
    location = absolute(reverse("scim:user", kwargs={"pk": user.pk}))
    modified = max(filter(None, [user.date_joined, profile and profile.updated_at, identity and identity.updated_at]))
    resource = {
        "schemas": [CORE_USER, ENTERPRISE_USER],
        "id": str(user.pk),
        "userName": user.email,
        "name": {"formatted": user.name, "givenName": given, "familyName": family},
        "displayName": user.name,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "active": user.is_active,
        ENTERPRISE_USER: {},
        "meta": {
            "resourceType": "User",
            "created": _time(user.date_joined),
            "lastModified": _time(modified),
            "location": location,
        },
    }
    if identity is not None and identity.external_id:
        resource["externalId"] = identity.external_id
    if profile is not None and profile.manager_id:
        resource[ENTERPRISE_USER]["manager"] = {
            "value": str(profile.manager_id),
            "$ref": absolute(reverse("scim:user", kwargs={"pk": profile.manager_id})),
        }
    return resource


def _loaded(user, relation: str) -> bool:
    """Whether a reverse one-to-one is there (select_related caches a missing one as None)."""
    try:
        getattr(user, relation)
    except Exception:  # RelatedObjectDoesNotExist, one class per relation
        return False
    return True


def group_resource(group, *, members, absolute, with_members: bool = True) -> dict:
    resource = {
        "schemas": [CORE_GROUP],
        "id": str(group.pk),
        "displayName": group.name,
        "meta": {"resourceType": "Group", "location": absolute(reverse("scim:group", kwargs={"pk": group.pk}))},
    }
    if with_members:
        resource["members"] = [
            {
                "value": str(person.pk),
                "display": person.email,
                "$ref": absolute(reverse("scim:user", kwargs={"pk": person.pk})),
            }
            for person in members
        ]
    return resource


def list_response(resources: list[dict], *, total: int, start_index: int) -> dict:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
