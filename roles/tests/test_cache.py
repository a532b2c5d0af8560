"""The catalog pages' cache (roles/cache.py): fast, never personal, never stale after a change."""

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import UserFactory
from roles import cache as catalog_cache
from roles.catalog_io import read_catalog
from roles.models import Discipline, Role

pytestmark = pytest.mark.django_db

CATALOG_PATH = Path(settings.BASE_DIR) / "roles" / "data" / "catalog.yaml"


def catalog_urls(catalog) -> list[str]:
    return [
        reverse("roles:list"),
        reverse("roles:list") + "?track=management",
        catalog.roles["manager"].get_absolute_url(),
        reverse("roles:map"),
        reverse("roles:compare"),
        reverse("roles:compare") + "?a=engineer&b=director",
    ]


def cached_fragments() -> list[str]:
    """Every cached catalog fragment, as text (locmem keeps them pickled in its private dict)."""
    import pickle

    found = []
    for key, value in cache._cache.items():
        if ":roles:fragment:" in key:
            fragment = pickle.loads(value)
            found.append(str(getattr(fragment, "main", fragment)))
    return found


# --- Fast: a catalog page seen before costs no query --------------------------------


@pytest.mark.parametrize("index", range(6))
def test_a_catalog_page_seen_before_needs_no_query(client, catalog, index, django_assert_num_queries):
    url = catalog_urls(catalog)[index]
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)

    assert again.status_code == first.status_code == 200
    assert again.content == first.content


def test_a_logged_in_visitor_pays_only_for_their_session_on_a_cached_page(client, catalog, django_assert_num_queries):
    client.get(reverse("roles:map"))
    client.force_login(UserFactory())

    with django_assert_num_queries(2):  # session, user
        response = client.get(reverse("roles:map"))

    assert response.status_code == 200


# --- Never personal -----------------------------------------------------------------------


@pytest.mark.parametrize("index", range(6))
def test_a_page_cached_while_logged_in_shows_nobody_else_that_person(client, catalog, index):
    url = catalog_urls(catalog)[index]
    first = UserFactory(name="Ada Lovelace-Byron", email="ada@example.com")
    second = UserFactory(name="Grace Hopper-Murray", email="grace@example.com")

    client.force_login(first)
    seen_by_first = client.get(url).content.decode()
    client.force_login(second)
    seen_by_second = client.get(url).content.decode()
    client.logout()
    seen_by_anonymous = client.get(url).content.decode()

    assert "Ada" in seen_by_first
    assert "Grace" in seen_by_second and "Ada" not in seen_by_second
    assert "Ada" not in seen_by_anonymous and "Grace" not in seen_by_anonymous
    assert "Log in" in seen_by_anonymous


def test_cached_fragments_hold_no_user_data_and_no_csrf_token(client, catalog):
    user = UserFactory(name="Ada Lovelace-Byron", email="ada@example.com")
    client.force_login(user)
    pages = [client.get(url) for url in catalog_urls(catalog)]
    assert all("csrfmiddlewaretoken" in page.content.decode() for page in pages)  # the log-out form has one

    fragments = cached_fragments()

    assert len(fragments) == 6
    for fragment in fragments:
        assert "csrfmiddlewaretoken" not in fragment
        assert "Ada" not in fragment and "ada@example.com" not in fragment
        assert "Log out" not in fragment


def test_a_rejected_filter_or_comparison_is_not_kept(client, catalog):
    for params in ({"track": "astronaut"}, {"discipline": "x" * 200}):
        assert client.get(reverse("roles:list"), params).status_code == 200
    assert client.get(reverse("roles:compare"), {"a": "senior", "b": "nobody"}).status_code == 200

    assert cached_fragments() == []


def test_an_unknown_role_is_a_404_and_is_not_kept(client, catalog):
    assert client.get(reverse("roles:detail", kwargs={"slug": "chief-wizard"})).status_code == 404

    assert cached_fragments() == []


# --- Never stale: every way HR changes the catalog shows on the next request ---------------


def test_an_admin_edit_shows_on_the_next_request(admin_client, client, catalog):
    software = catalog.disciplines["software"]
    assert "Software" in client.get(reverse("roles:list")).content.decode()

    response = admin_client.post(
        reverse("admin:roles_discipline_change", args=[software.pk]),
        {"name": "Software and firmware", "slug": software.slug, "order": software.order},
    )

    assert response.status_code == 302
    assert "Software and firmware" in client.get(reverse("roles:list")).content.decode()


def test_an_admin_list_edit_shows_on_the_next_request(admin_client, client, catalog):
    """Changing the order of disciplines from the admin's list reorders them on the role page."""
    role = catalog.roles["senior"]
    role.disciplines.set(Discipline.objects.all())
    software, mechanical = catalog.disciplines["software"], catalog.disciplines["mechanical"]
    assert "Software, Mechanical" in client.get(role.get_absolute_url()).content.decode()

    response = admin_client.post(
        reverse("admin:roles_discipline_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": software.pk,
            "form-0-order": "9",
            "form-1-id": mechanical.pk,
            "form-1-order": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert "Mechanical, Software" in client.get(role.get_absolute_url()).content.decode()


def test_an_admin_delete_shows_on_the_next_request(admin_client, client, catalog):
    role = catalog.roles["principal"]
    assert role.name in client.get(reverse("roles:map")).content.decode()
    assert client.get(role.get_absolute_url()).status_code == 200

    response = admin_client.post(reverse("admin:roles_role_delete", args=[role.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert role.name not in client.get(reverse("roles:map")).content.decode()
    assert client.get(role.get_absolute_url()).status_code == 404


def test_an_admin_bulk_delete_shows_on_the_next_request(admin_client, client, catalog):
    roles = [catalog.roles["principal"], catalog.roles["staff"]]
    client.get(reverse("roles:list"))

    response = admin_client.post(
        reverse("admin:roles_role_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in roles], "post": "yes"},
    )

    assert response.status_code == 302
    page = client.get(reverse("roles:list")).content.decode()
    assert all(role.name not in page for role in roles)


def test_an_admin_inline_edit_shows_on_the_next_request(admin_client, client, catalog):
    """A requirement's level changed through the role page's inline in the admin."""
    role = catalog.roles["manager"]
    requirement = role.requirements.select_related("skill").first()
    assert "Level 5 of 5" not in _requirement_html(client.get(role.get_absolute_url()), requirement.skill.name)

    form_page = admin_client.get(reverse("admin:roles_role_change", args=[role.pk]))
    data = _admin_form_data(form_page)
    prefix = next(
        key.removesuffix("-id") for key, value in data.items() if key.endswith("-id") and value == str(requirement.pk)
    )
    data[f"{prefix}-level"] = "5"
    response = admin_client.post(reverse("admin:roles_role_change", args=[role.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert "Level 5 of 5" in _requirement_html(client.get(role.get_absolute_url()), requirement.skill.name)


def test_load_catalog_shows_on_the_next_request(client, tmp_path):
    call_command("load_catalog", stdout=io.StringIO())
    role = Role.objects.order_by("pk").first()
    assert role.name in client.get(reverse("roles:list")).content.decode()
    assert role.name in client.get(role.get_absolute_url()).content.decode()

    data = read_catalog(CATALOG_PATH)
    entry = next(e for e in data["roles"] if e["slug"] == role.slug)
    entry["name"] = "Renamed by HR for the cache test"
    changed = tmp_path / "catalog.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("load_catalog", str(changed), stdout=io.StringIO())

    assert "Renamed by HR for the cache test" in client.get(reverse("roles:list")).content.decode()
    assert "Renamed by HR for the cache test" in client.get(role.get_absolute_url()).content.decode()


def test_a_catalog_load_that_changes_nothing_keeps_the_cache(client):
    call_command("load_catalog", stdout=io.StringIO())
    version = catalog_cache.catalog_version()

    call_command("load_catalog", stdout=io.StringIO())

    assert catalog_cache.catalog_version() == version


def test_the_version_changes_again_when_the_change_commits(django_capture_on_commit_callbacks):
    """A request that read the old rows before the commit can't keep them under the new version."""
    before = catalog_cache.catalog_version()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        catalog_cache.catalog_changed()
        during = catalog_cache.catalog_version()

    assert len(callbacks) == 1
    assert len({before, during, catalog_cache.catalog_version()}) == 3


# --- helpers ------------------------------------------------------------------------------


def _requirement_html(response, skill_name: str) -> str:
    html = response.content.decode()
    start = html.index(f'<span class="fw-semibold">{skill_name}</span>')
    return html[start : html.index("</li>", start)]


def _admin_form_data(response) -> dict:
    """The admin change form's current values, main form and inlines, as a browser would post them."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is True:
                data[bound.html_name] = "on"
            else:
                data[bound.html_name] = str(value)
    return data


# --- Whole pages, for visitors who are not logged in ---------------------------------------


@pytest.mark.parametrize("index", range(6))
def test_an_anonymous_visitor_gets_the_whole_page_from_the_cache(client, catalog, index):
    url = catalog_urls(catalog)[index]
    first = client.get(url)

    again = client.get(url)

    assert first.templates and not again.templates  # nothing rendered the second time
    assert again.content == first.content


def test_the_home_page_comes_whole_from_the_cache_for_anonymous_visitors(client, db, django_assert_num_queries):
    first = client.get(reverse("home"))

    with django_assert_num_queries(0):
        again = client.get(reverse("home"))

    assert not again.templates and again.content == first.content


def test_a_whole_page_cached_for_anonymous_visitors_is_never_shown_to_someone_logged_in(client, catalog):
    url = catalog.roles["manager"].get_absolute_url()
    client.get(url)
    client.force_login(UserFactory(name="Ada Lovelace-Byron"))

    page = client.get(url)

    assert page.templates  # rendered for this person
    assert "Ada" in page.content.decode() and "Log out" in page.content.decode()


def test_a_waiting_message_is_shown_and_the_page_with_it_is_not_cached(client, db):
    client.get(reverse("home"))  # the anonymous home page, cached
    client.force_login(UserFactory())
    client.post(reverse("account_logout"))

    with_message = client.get(reverse("home")).content.decode()
    after = client.get(reverse("home")).content.decode()

    assert "You are logged out." in with_message
    assert "You are logged out." not in after


def test_a_catalog_change_empties_the_whole_page_cache_too(admin_client, client, catalog):
    software = catalog.disciplines["software"]
    client.get(reverse("roles:list"))

    admin_client.post(
        reverse("admin:roles_discipline_change", args=[software.pk]),
        {"name": "Software and firmware", "slug": software.slug, "order": software.order},
    )

    assert "Software and firmware" in client.get(reverse("roles:list")).content.decode()


# --- The code's digest in every fragment's key --------------------------------------------------


def test_the_code_digest_covers_templates_and_modules_but_not_tests_or_the_virtualenv():
    files = {str(path.relative_to(settings.BASE_DIR)) for path in catalog_cache.code_files(Path(settings.BASE_DIR))}

    assert {"templates/assessments/_question.html", "assessments/selectors.py", "roles/cache.py"} <= files
    assert not any(name.startswith((".venv/", "staticfiles/")) or "/tests/" in name for name in files)


def test_editing_a_template_changes_the_digest(tmp_path):
    template = tmp_path / "templates" / "_question.html"
    template.parent.mkdir()
    template.write_text("<p>{{ q.text }}</p>")
    (tmp_path / "views.py").write_text("x = 1\n")
    before = catalog_cache.digest_of(catalog_cache.code_files(tmp_path), tmp_path)

    template.write_text("<p class='lead'>{{ q.text }}</p>")

    assert catalog_cache.digest_of(catalog_cache.code_files(tmp_path), tmp_path) != before


def test_a_new_code_version_makes_every_fragment_anew(client, catalog, monkeypatch, request):
    request.addfinalizer(catalog_cache.code_version.cache_clear)  # the real digest again for the next tests
    # Given a catalog page kept under this code's digest
    first = client.get(reverse("roles:list")).content
    key = catalog_cache.fragment_key("role-list")
    # When the autoreloader (runserver) reports an edited file and the digest is worked out again
    monkeypatch.setattr(catalog_cache, "digest_of", lambda paths, root: "edited0000000000")
    from django.utils.autoreload import file_changed

    file_changed.send(sender=None, file_path=Path(settings.BASE_DIR) / "templates" / "roles" / "role_list.html")

    # Then every key is new: nothing made by the code before is read
    assert catalog_cache.code_version() == "edited0000000000"
    assert catalog_cache.fragment_key("role-list") != key
    assert "edited0000000000" in catalog_cache.fragment_version()
    assert client.get(reverse("roles:list")).content == first  # made again, the same page
