"""Who may call what: a token's scope, and the same rules the pages apply (docs/api.md).

- TokenScope: a read token may only read (GET, HEAD, OPTIONS); a write token may also write.
  A session is held to the same rule as a write token (DRF checks its CSRF token on every write).
- CatalogWrite: anyone reads the catalog; only HR (staff with the catalog's permissions) writes it.
- HRPermission: staff with the permissions the HR panel's matching pages ask for (hr/permissions.py).
"""

from rest_framework import permissions

from api.models import ApiToken
from hr.permissions import VIEW_PEOPLE, VIEW_PLANS, VIEW_RESULTS


def is_hr(user, perms: tuple[str, ...]) -> bool:
    """The HR panel's rule (hr.permissions.PanelAccessMixin): active staff with the page's permissions."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff and user.has_perms(perms))


class TokenScope(permissions.BasePermission):
    message = "This token may only read: ask HR for a token with the write scope."

    def has_permission(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if request.method in permissions.SAFE_METHODS or token is None:
            return True
        return token.can_write


class LoggedIn(permissions.IsAuthenticated):
    message = "Log in, or send an API token: Authorization: Bearer <token>."


class CatalogWrite(permissions.BasePermission):
    """Anyone reads; HR writes. `view.catalog_model` names the model whose add/change/delete is asked."""

    message = "Only HR changes the catalog."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        model = view.catalog_model._meta.model_name
        action = {"POST": "add", "DELETE": "delete"}.get(request.method, "change")
        return is_hr(request.user, (f"roles.{action}_{model}",))


class HRPermission(permissions.BasePermission):
    message = "Only HR reads this."
    perms: tuple[str, ...] = (VIEW_PEOPLE,)

    def has_permission(self, request, view):
        return is_hr(request.user, getattr(view, "hr_permissions", self.perms))


HR_RESULTS = (VIEW_RESULTS,)
HR_PLANS = (VIEW_PLANS,)
HR_PEOPLE = (VIEW_PEOPLE,)
HR_READINESS = (VIEW_PEOPLE, VIEW_RESULTS, VIEW_PLANS)
