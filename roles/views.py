"""The public catalog pages: anyone can browse them, no log-in needed.

Each page's main content is the same for every visitor, so it is rendered on its own,
without the request (no user, no CSRF token can get in), and kept in the catalog cache
(roles/cache.py) until the catalog changes. The page around it (navigation, log-in
state, messages) is rendered per request from base.html. A cached page costs no query.
"""

from dataclasses import dataclass

from django.template.defaultfilters import truncatewords
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.generic import TemplateView

from roles import selectors
from roles.cache import AnonymousPageCacheMixin, cached_fragment
from roles.forms import RoleCompareForm, RoleFilterForm
from roles.models import Role
from roles.paths import Edge, Path, find_path


@dataclass(frozen=True)
class PagePart:
    """A cached page's main content with the title and description that go with it (plain text)."""

    main: SafeString
    title: str = ""
    description: str = ""


class RoleListView(AnonymousPageCacheMixin, TemplateView):
    template_name = "roles/role_list.html"
    page_cache_name = "role_list"

    def page_cache_parts(self) -> tuple[str, ...]:
        params = self.request.GET
        return str(bool(params)), params.get("discipline", ""), params.get("track", "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main"] = cached_fragment("role_list", *self.page_cache_parts(), build=self.build_main)
        return context

    def build_main(self) -> tuple[SafeString, bool]:
        """The list as filtered; worth keeping unless the filter was invalid (any text can be sent)."""
        context = self.main_context()
        self.page_cache_keep = not context["form"].errors
        return render_to_string("roles/_role_list_main.html", context), self.page_cache_keep

    def main_context(self) -> dict:
        context = {}
        tracks = selectors.track_list()
        form = RoleFilterForm(self.request.GET or None, disciplines=selectors.discipline_list(), tracks=tracks)
        groups, filtered = [], False
        if not form.is_bound:
            groups = selectors.group_by_track(tracks, selectors.role_list())
        elif form.is_valid():
            filters = form.cleaned_data
            filtered = any(filters.values())
            groups = selectors.group_by_track(tracks, selectors.role_list(**filters))
        context.update(
            form=form,
            groups=groups,
            filtered=filtered,
            role_count=sum(len(g.roles) for g in groups),
        )
        return context


class RoleDetailView(AnonymousPageCacheMixin, TemplateView):
    template_name = "roles/role_detail.html"
    page_cache_name = "role_detail"

    def page_cache_parts(self) -> tuple[str, ...]:
        return (self.kwargs["slug"],)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = cached_fragment("role_detail", *self.page_cache_parts(), build=self.build_page)
        return context

    def build_page(self) -> tuple[PagePart, bool]:
        role = selectors.role_get(slug=self.kwargs["slug"])  # Http404 for an unknown slug: nothing cached
        moves = list(role.next_moves.all())
        context = {
            "role": role,
            "skill_groups": selectors.group_by_area(role.requirements.all(), lambda r: r.skill.area),
            "question_groups": selectors.group_by_area(role.interview_questions.all(), lambda q: q.area),
            "promotions": [m for m in moves if m.kind == m.Kind.PROMOTION],
            "laterals": [m for m in moves if m.kind == m.Kind.LATERAL],
            "previous_moves": list(role.previous_moves.all()),
        }
        main = render_to_string("roles/_role_detail_main.html", context)
        return PagePart(main=main, title=role.name, description=truncatewords(role.summary, 30)), True


class CareerMapView(AnonymousPageCacheMixin, TemplateView):
    template_name = "roles/career_map.html"
    page_cache_name = "career_map"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main"] = cached_fragment("career_map", build=self.build_main)
        return context

    def build_main(self) -> tuple[SafeString, bool]:
        return render_to_string("roles/_career_map_main.html", {"career_map": selectors.career_map()}), True


@dataclass(frozen=True)
class PathStep:
    from_role: Role
    to_role: Role
    edge: Edge


@dataclass(frozen=True)
class PathDisplay:
    """A path from `roles.paths` with the roles behind its slugs."""

    start: Role
    goal: Role
    path: Path
    steps: list[PathStep]


def _path_display(path: Path | None, roles: dict[str, Role]) -> PathDisplay | None:
    if path is None:
        return None
    steps = [PathStep(roles[e.from_slug], roles[e.to_slug], e) for e in path.steps]
    return PathDisplay(start=roles[path.start], goal=roles[path.goal], path=path, steps=steps)


class RoleCompareView(AnonymousPageCacheMixin, TemplateView):
    template_name = "roles/role_compare.html"
    page_cache_name = "role_compare"

    def page_cache_parts(self) -> tuple[str, ...]:
        params = self.request.GET
        bound = "a" in params or "b" in params
        return str(bound), params.get("a", ""), params.get("b", "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = cached_fragment("role_compare", *self.page_cache_parts(), build=self.build_page)
        return context

    def build_page(self) -> tuple[PagePart, bool]:
        """The comparison; worth keeping unless the choice was invalid (any text can be sent)."""
        context = self.main_context()
        title = f"{context['role_a'].name} vs {context['role_b'].name}" if "role_a" in context else "Compare roles"
        main = render_to_string("roles/_role_compare_main.html", context)
        self.page_cache_keep = not context["form"].errors
        return PagePart(main=main, title=title), self.page_cache_keep

    def main_context(self) -> dict:
        context = {}
        choices = selectors.role_choice_list()
        bound = "a" in self.request.GET or "b" in self.request.GET
        form = RoleCompareForm(self.request.GET if bound else None, roles=choices)
        context["form"] = form
        if bound and form.is_valid():
            picked = selectors.roles_for_comparison(slugs=[form.cleaned_data["a"].slug, form.cleaned_data["b"].slug])
            role_a, role_b = picked[form.cleaned_data["a"].slug], picked[form.cleaned_data["b"].slug]
            edges = selectors.progression_edges()
            by_slug = {r.slug: r for r in choices}
            forward = _path_display(find_path(edges, role_a.slug, role_b.slug), by_slug)
            context.update(
                role_a=role_a,
                role_b=role_b,
                compared=[role_a, role_b],
                skill_groups=selectors.compare_requirements(role_a, role_b),
                path=forward,
                # No way from A to B? The way back may still help ("B is the earlier step").
                reverse_path=None if forward else _path_display(find_path(edges, role_b.slug, role_a.slug), by_slug),
            )
        return context
