"""SCIM 2.0 under /scim/v2/ (RFC 7644): Users, the HR group, and what the server supports.

Every request carries a bearer token HR created (scim.models.ScimToken); a session cookie counts
for nothing here, so these views are exempt from CSRF, which guards cookie-authenticated forms
only. Every refusal is SCIM's error JSON (scim.errors), never an HTML page; docs/scim.md.
"""

import json

from django.core.exceptions import RequestDataTooBig
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import filters, operations, resources, schemas, selectors, services
from .errors import ScimError, bad_request, error_response, not_found, scim_response

MAX_BODY_BYTES = 1_000_000
MAX_TOKEN_LENGTH = 200


def _authenticate(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise ScimError(401, "Send the SCIM token HR created as Authorization: Bearer <token>.")
    token = selectors.active_token(secret) if len(secret) <= MAX_TOKEN_LENGTH else None
    if token is None:
        raise ScimError(401, "The token is not valid: it is wrong, or HR revoked it.")
    services.scim_token_used(token=token)
    return token


def _id(raw: str) -> int:
    """A resource id from the address; anything but one of ours is a missing resource."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) > operations.MAX_ID:
        raise not_found()
    return int(raw)


def _positive(request, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    if not raw.strip().lstrip("-").isdigit() or len(raw) > 18:
        raise bad_request(f"{name} must be a whole number.")
    return int(raw)


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class ScimView(View):
    http_method_names = ["get", "post", "put", "patch", "delete"]

    def dispatch(self, request, *args, **kwargs):
        try:
            self.token = _authenticate(request)
            return super().dispatch(request, *args, **kwargs)
        except ScimError as error:
            return error_response(error)

    @classmethod
    def refuse_nul(cls, request):
        """careerpath.security.RefuseNulCharactersMiddleware's answer, in SCIM's format, for a NUL in the
        address or the query string."""
        return error_response(bad_request("The address holds a NUL character (code 0)."))

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise ScimError(405, f"{request.method} is not supported here.")

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def body(self) -> dict:
        try:
            raw = self.request.body
        except RequestDataTooBig:
            raise ScimError(413, f"The body is larger than {MAX_BODY_BYTES // 1_000_000} MB.") from None
        if len(raw) > MAX_BODY_BYTES:
            raise ScimError(413, f"The body is larger than {MAX_BODY_BYTES // 1_000_000} MB.")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise bad_request("The body is not valid JSON.", "invalidSyntax") from None
        if not isinstance(data, dict):
            raise bad_request("The body must be a JSON object.", "invalidSyntax")
        if _unstorable(data):
            raise bad_request("The body holds a NUL (code 0) or an unpaired surrogate, which careerpath can't store.")
        return data

    def page(self) -> tuple[int, int]:
        start = max(1, _positive(self.request, "startIndex", 1))
        count = min(schemas.MAX_RESULTS, max(0, _positive(self.request, "count", schemas.MAX_RESULTS)))
        return start, count

    def comparisons(self) -> list[filters.Comparison]:
        raw = self.request.GET.get("filter")
        if raw is None or raw.strip() == "":
            return []
        try:
            return filters.parse(raw)
        except filters.FilterError as exc:
            raise bad_request(str(exc), "invalidFilter") from None


def _unstorable(value) -> bool:
    if isinstance(value, str):
        return filters.unstorable(value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(item) for item in value)
    return False


# --- Users ----------------------------------------------------------------------------------------


def _fields_of(user) -> operations.UserFields:
    profile = getattr(user, "profile", None)
    identity = getattr(user, "scim_identity", None) if hasattr(user, "scim_identity") else None
    given, family = operations.split_name(user.name)
    return operations.UserFields(
        user_name=user.email,
        formatted=user.name,
        given=given,
        family=family,
        display=user.name,
        external_id=identity.external_id if identity else "",
        active=user.is_active,
        manager=profile.manager_id if profile else None,
    )


class UsersView(ScimView):
    def get(self, request):
        start, count = self.page()
        people = selectors.users_filtered(self.comparisons())
        total = people.count()
        page = list(people[start - 1 : start - 1 + count]) if count else []
        found = [resources.user_resource(person, absolute=self.absolute) for person in page]
        return scim_response(resources.list_response(found, total=total, start_index=start))

    def post(self, request):
        fields = operations.user_fields_from_body(self.body())
        user = services.scim_user_create(fields=fields)
        resource = resources.user_resource(selectors.user(user.pk), absolute=self.absolute)
        return scim_response(resource, status=201, headers={"Location": resource["meta"]["location"]})


class UserView(ScimView):
    def person(self):
        user = selectors.user(_id(self.kwargs["pk"]))
        if user is None:
            raise not_found(f"No person has the id {self.kwargs['pk'][:40]}.")
        return user

    def answer(self, user):
        return scim_response(resources.user_resource(selectors.user(user.pk), absolute=self.absolute))

    def get(self, request, pk):
        return scim_response(resources.user_resource(self.person(), absolute=self.absolute))

    def put(self, request, pk):
        user = self.person()
        fields = operations.user_fields_from_body(self.body(), current=_fields_of(user))
        return self.answer(services.scim_user_update(user=user, fields=fields))

    def patch(self, request, pk):
        user = self.person()
        fields = operations.user_fields_patch(_fields_of(user), self.body())
        return self.answer(services.scim_user_update(user=user, fields=fields))

    def delete(self, request, pk):
        services.scim_user_delete(user=self.person())
        return scim_response(None, status=204)


# --- The HR group ---------------------------------------------------------------------------------


def _with_members(request) -> bool:
    excluded = {name.strip().lower() for name in request.GET.get("excludedAttributes", "").split(",")}
    return "members" not in excluded


class GroupsView(ScimView):
    def get(self, request):
        start, _count = self.page()
        comparisons = self.comparisons()
        group = selectors.hr_group()
        matching = [group] if group is not None and selectors.group_matches(group, comparisons) else []
        found = [
            resources.group_resource(
                g, members=selectors.group_members(g), absolute=self.absolute, with_members=_with_members(request)
            )
            for g in matching[start - 1 : start - 1 + _count]
        ]
        return scim_response(resources.list_response(found, total=len(matching), start_index=start))

    def post(self, request):
        body = self.body()
        group = selectors.hr_group()
        name = body.get("displayName")
        if group is not None and isinstance(name, str) and name.strip().lower() == group.name.lower():
            raise ScimError(409, f"The {group.name} group exists already, with the id {group.pk}.", "uniqueness")
        raise ScimError(403, "careerpath provisions only its HR group; other groups can't be created.")


class GroupView(ScimView):
    def group(self):
        pk = _id(self.kwargs["pk"])
        group = selectors.hr_group()
        if group is None or group.pk != pk:
            raise not_found(f"No group has the id {self.kwargs['pk'][:40]}.")
        return group

    def answer(self, group):
        return scim_response(
            resources.group_resource(
                group, members=selectors.group_members(group), absolute=self.absolute,
                with_members=_with_members(self.request),
            )
        )  # fmt: skip

    def get(self, request, pk):
        return self.answer(self.group())

    def put(self, request, pk):
        group = self.group()
        members = operations.group_members_from_body(self.body(), name=group.name)
        services.scim_group_members_set(group=group, member_ids=members)
        return self.answer(group)

    def patch(self, request, pk):
        group = self.group()
        current = set(selectors.group_members(group).values_list("pk", flat=True))
        members = operations.group_members_patch(current, self.body(), name=group.name)
        services.scim_group_members_set(group=group, member_ids=members)
        return self.answer(group)

    def delete(self, request, pk):
        self.group()
        raise ScimError(403, "The HR group can't be deleted; remove its members instead.")


# --- What the server supports ---------------------------------------------------------------------


class ServiceProviderConfigView(ScimView):
    def get(self, request):
        return scim_response(schemas.SERVICE_PROVIDER_CONFIG)


class ResourceTypesView(ScimView):
    def get(self, request):
        found = list(schemas.RESOURCE_TYPES)
        return scim_response(resources.list_response(found, total=len(found), start_index=1))


class SchemasView(ScimView):
    def get(self, request):
        found = list(schemas.SCHEMAS)
        return scim_response(resources.list_response(found, total=len(found), start_index=1))
