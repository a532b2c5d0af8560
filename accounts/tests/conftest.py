"""A small career catalog for the accounts tests, built with the ORM (no catalog file needed)."""

import pytest

from roles.models import Certification, Discipline, Role, Track


def build_catalog(*, extra: int = 0) -> dict:
    """Two tracks and a few disciplines, roles and certifications; `extra` adds more of each (query counts)."""
    software = Discipline.objects.create(slug="software", name="Software", order=1)
    mechanical = Discipline.objects.create(slug="mechanical", name="Mechanical", order=2)
    technical = Track.objects.create(slug="technical", name="Technical track", orientation="technical", order=1)
    managerial = Track.objects.create(slug="management", name="Management track", orientation="managerial", order=2)
    engineer = Role.objects.create(slug="engineer", name="Engineer", track=technical, rank=1, summary="Builds.")
    senior = Role.objects.create(
        slug="senior-engineer", name="Senior engineer", track=technical, rank=2, summary="Builds and guides."
    )
    manager = Role.objects.create(
        slug="engineering-manager", name="Engineering manager", track=managerial, rank=1, summary="Leads people."
    )
    pe = Certification.objects.create(
        slug="pe", name="Professional Engineer", abbreviation="PE", kind="licence", proves="Licensed.", prep_months=6
    )
    pmp = Certification.objects.create(
        slug="pmp", name="Project Management Professional", abbreviation="PMP", proves="Runs projects.", prep_months=3
    )
    for n in range(extra):
        Certification.objects.create(slug=f"cert-{n}", name=f"Certificate {n}", proves="More.", prep_months=1)
        Discipline.objects.create(slug=f"discipline-{n}", name=f"Discipline {n}", order=10 + n)
        Role.objects.create(
            slug=f"role-{n}", name=f"Role {n}", track=(technical, managerial)[n % 2], rank=10 + n, summary="More."
        )
    return {
        "software": software,
        "mechanical": mechanical,
        "technical": technical,
        "managerial": managerial,
        "engineer": engineer,
        "senior": senior,
        "manager": manager,
        "pe": pe,
        "pmp": pmp,
    }


@pytest.fixture
def catalog(db):
    return build_catalog()
