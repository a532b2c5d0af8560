"""One catalog entry at a time (the REST API's writes): the catalog file's checks and upsert, whoever writes."""

import pytest

from roles.cache import catalog_version
from roles.catalog_io import CatalogError
from roles.models import Certification, Role, RoleRequirement, Track
from roles.services import catalog_entry_delete, catalog_entry_save

pytestmark = pytest.mark.django_db


def test_a_new_role_is_stored_with_its_requirements_and_defaults(catalog):
    entry = catalog_entry_save(
        section="roles",
        entry={
            "slug": "site-reliability-engineer",
            "name": "Site reliability engineer",
            "track": "technical",
            "rank": 9,
            "summary": "Keeps systems running.",
            "requirements": [{"skill": "design", "level": 4}],
        },
    )

    role = Role.objects.get(slug="site-reliability-engineer")
    assert role.track.slug == "technical" and role.level == 1  # the file's default
    assert [(r.skill.slug, r.level, r.weight) for r in role.requirements.all()] == [("design", 4, 1)]
    assert entry["requirements"] == [{"skill": "design", "level": 4, "weight": 1}]


def test_a_change_names_only_what_changes_and_a_list_is_replaced_whole(catalog):
    before = {r.skill.slug for r in RoleRequirement.objects.filter(role__slug="senior").select_related("skill")}
    assert len(before) > 1

    entry = catalog_entry_save(
        section="roles",
        slug="senior",
        entry={"name": "Senior engineer II", "requirements": [{"skill": "design", "level": 5}]},
    )

    role = Role.objects.get(slug="senior")
    assert role.name == "Senior engineer II" and role.summary  # the summary is kept
    assert [r.skill.slug for r in role.requirements.all()] == ["design"]
    assert entry["name"] == "Senior engineer II"


def test_an_unknown_reference_is_refused_with_the_file_checkers_message_and_nothing_changes(catalog):
    with pytest.raises(CatalogError) as refused:
        catalog_entry_save(section="roles", slug="senior", entry={"track": "no-such-track"})

    assert refused.value.errors == ["roles[senior].track: unknown track 'no-such-track'"]
    assert Role.objects.get(slug="senior").track.slug == "technical"


def test_a_second_track_with_an_orientation_already_taken_is_refused(catalog):
    with pytest.raises(CatalogError, match="already the orientation"):
        catalog_entry_save(section="tracks", entry={"slug": "deep", "name": "Deep", "orientation": "technical"})

    assert not Track.objects.filter(slug="deep").exists()


def test_an_entry_whose_slug_exists_is_not_made_twice(catalog):
    with pytest.raises(CatalogError, match="already exists"):
        catalog_entry_save(section="certifications", entry={"slug": "pmp", "name": "PMP again"})


def test_a_change_to_a_missing_entry_is_a_lookup_error(catalog):
    with pytest.raises(LookupError):
        catalog_entry_save(section="skills", slug="no-such-skill", entry={"name": "X"})


def test_a_write_starts_a_new_catalog_version(catalog):
    before = catalog_version()

    catalog_entry_save(section="tracks", slug="technical", entry={"suits": "People who go deep."})

    assert catalog_version() != before


def test_deleting_an_entry_other_rows_need_is_refused_and_names_them(catalog):
    with pytest.raises(CatalogError, match=r"tracks\[technical\]: still used by roles"):
        catalog_entry_delete(section="tracks", slug="technical")

    assert Track.objects.filter(slug="technical").exists()


def test_deleting_an_entry_removes_it_and_a_missing_one_is_a_lookup_error(catalog):
    catalog_entry_delete(section="certifications", slug="pmp")

    assert not Certification.objects.filter(slug="pmp").exists()
    with pytest.raises(LookupError):
        catalog_entry_delete(section="certifications", slug="pmp")
