"""Reads for API tokens."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import viewable_q
from careerpath import tokens
from teams import selectors as team_selectors

from .models import ApiToken
from .permissions import is_hr


def api_token_for(raw: str) -> ApiToken | None:
    """The unrevoked token with this secret, with its account, or None."""
    return tokens.token_for(ApiToken.objects.select_related("user"), raw)


def api_tokens() -> QuerySet[ApiToken]:
    """Every token, newest first, with who it acts as and who made it (HR's tokens page)."""
    return ApiToken.objects.select_related("user", "created_by", "revoked_by").order_by("-created_at", "-pk")


def api_token(pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(pk=pk).first()


def person_in_reach(*, viewer, person_id: int, hr: tuple[str, ...]):
    """The person whose results or plans `viewer` asks for: anyone HR may see (the panel's rule,
    accounts.selectors.viewable_q), else someone in the viewer's team (teams' rule, with HR's team
    policy). Http404 otherwise, as on the pages: nobody can tell who exists."""
    if is_hr(viewer, hr):
        person = User.objects.filter(viewable_q(viewer)).filter(pk=person_id).first()
        if person is None:
            raise Http404("No such person.")
        return person
    return team_selectors.report_for(manager=viewer, person_id=person_id)
