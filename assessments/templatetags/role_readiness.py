"""A signed-in person's readiness for one role, from their latest result: shown on the role's catalog page.

The catalog page itself (roles/) stays the same for everyone and comes from the cache; this tag adds the
personal part beside it, with one query.
"""

from django import template

from assessments import selectors

register = template.Library()


@register.inclusion_tag("assessments/_role_readiness.html", takes_context=True)
def role_readiness(context, slug: str, name: str):
    user = context["request"].user
    return {"slug": slug, "name": name, "found": selectors.readiness_for_role(user=user, slug=slug)}
