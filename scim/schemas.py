"""What the server says about itself (RFC 7643 §5-7): ServiceProviderConfig, ResourceTypes, Schemas.
Data, written out once; the views add the absolute locations."""

from .filters import CORE_GROUP, CORE_USER, ENTERPRISE_USER
from .operations import EXTERNAL_ID_MAX, NAME_MAX, USER_NAME_MAX

MAX_RESULTS = 200  # the largest `count` a list answers with

SERVICE_PROVIDER_CONFIG = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    "patch": {"supported": True},
    "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
    "filter": {"supported": True, "maxResults": MAX_RESULTS},
    "changePassword": {"supported": False},
    "sort": {"supported": False},
    "etag": {"supported": False},
    "authenticationSchemes": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token HR creates on the HR panel's SCIM tokens page, sent as Authorization: Bearer.",
            "primary": True,
        }
    ],
}


def _attribute(
    name, *, kind="string", required=False, mutability="readWrite", multi=False, unique="none", sub=None, description=""
):
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": description,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": unique,
    }
    if sub is not None:
        attribute["subAttributes"] = sub
    return attribute


USER_SCHEMA = {
    "id": CORE_USER,
    "name": "User",
    "description": "A person in careerpath.",
    "attributes": [
        _attribute(
            "userName",
            required=True,
            unique="server",
            description=f"The email address the person logs in with (at most {USER_NAME_MAX} characters).",
        ),
        _attribute(
            "name",
            kind="complex",
            sub=[
                _attribute(
                    "formatted",
                    description=f"The person's whole name, as careerpath keeps it (at most {NAME_MAX} characters).",
                ),
                _attribute("givenName", description="The first word of the name."),
                _attribute("familyName", description="The rest of the name."),
            ],
        ),
        _attribute("displayName", description="The name careerpath shows (the same as name.formatted)."),
        _attribute(
            "emails",
            kind="complex",
            multi=True,
            mutability="readOnly",
            description="The userName; other addresses are not kept.",
            sub=[
                _attribute("value"),
                _attribute("type"),
                _attribute("primary", kind="boolean"),
            ],
        ),
        _attribute(
            "active",
            kind="boolean",
            description="false: the person can't log in and gets no reminders; their data stays.",
        ),
        _attribute(
            "externalId", description=f"The directory's id for the person (at most {EXTERNAL_ID_MAX} characters)."
        ),
    ],
    "meta": {"resourceType": "Schema"},
}
ENTERPRISE_SCHEMA = {
    "id": ENTERPRISE_USER,
    "name": "EnterpriseUser",
    "description": "Whom the person reports to.",
    "attributes": [
        _attribute(
            "manager",
            kind="complex",
            sub=[
                _attribute("value", description="The manager's id in careerpath."),
                _attribute("$ref", kind="reference", mutability="readOnly"),
            ],
        ),
    ],
    "meta": {"resourceType": "Schema"},
}
GROUP_SCHEMA = {
    "id": CORE_GROUP,
    "name": "Group",
    "description": "careerpath's HR group: its members see everyone's data in the HR panel.",
    "attributes": [
        _attribute("displayName", required=True, mutability="readOnly", unique="server"),
        _attribute(
            "members",
            kind="complex",
            multi=True,
            sub=[
                _attribute("value", description="A person's id in careerpath."),
                _attribute("display", mutability="readOnly"),
                _attribute("$ref", kind="reference", mutability="readOnly"),
            ],
        ),
    ],
    "meta": {"resourceType": "Schema"},
}
SCHEMAS = (USER_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA)

RESOURCE_TYPES = (
    {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "schema": CORE_USER,
        "schemaExtensions": [{"schema": ENTERPRISE_USER, "required": False}],
        "meta": {"resourceType": "ResourceType"},
    },
    {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "schema": CORE_GROUP,
        "meta": {"resourceType": "ResourceType"},
    },
)
