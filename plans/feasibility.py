"""When a credential's milestone can sensibly be due (pure: plain data in, a date and reasons out).

The same rule as the generator's natural schedule (plans/generator.py, `_credential_offsets`): a
credential is ready once its preparation time has passed after the later of today, the day the
person reaches the experience it asks for, and the due dates of its prerequisites that they do not
hold yet. A prerequisite neither held nor planned counts with its own earliest date. The plan forms
refuse an earlier date with the reasons and the earliest date, and the proposal page starts from it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from careerpath.dates import add_months

from .generator import CredentialInput


@dataclass(frozen=True)
class Person:
    years_experience: int
    held: frozenset[str]  # credential slugs held (a done milestone counts as held)


@dataclass(frozen=True)
class Earliest:
    due: date
    reasons: tuple[str, ...]

    def message(self, name: str) -> str:
        why = "; ".join(self.reasons)
        return f"{name} can't be due before {pretty(self.due)}: {why}. Choose {pretty(self.due)} or later."


def pretty(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _months(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def _years(n: int) -> str:
    return "1 year" if n == 1 else f"{n} years"


def earliest_due(
    credential: CredentialInput,
    *,
    catalog: Mapping[str, CredentialInput],
    person: Person,
    planned: Mapping[str, date],
    today: date,
    _seen: frozenset[str] = frozenset(),
) -> Earliest:
    """The earliest sensible due date of `credential`'s milestone. `planned` maps the slugs of the
    plan's other credential milestones to their due dates. A prerequisite loop in the catalog is
    cut where it closes (the generator refuses it with a message; this check must not fail)."""
    seen = _seen | {credential.slug}
    begin, reasons = today, []
    if credential.min_years_experience > person.years_experience:
        missing = credential.min_years_experience - person.years_experience
        begin = add_months(today, 12 * missing)
        reasons.append(
            f"it usually asks for {_years(credential.min_years_experience)} of professional experience and your "
            f"profile says {person.years_experience}, so you are eligible from about {pretty(begin)}"
        )
    for slug in credential.prerequisites:
        if slug in person.held or slug in seen or slug not in catalog:
            continue
        prerequisite = catalog[slug]
        if slug in planned:
            ready, where = planned[slug], f"its milestone is due {pretty(planned[slug])}"
        else:
            ready = earliest_due(
                prerequisite, catalog=catalog, person=person, planned=planned, today=today, _seen=seen
            ).due
            where = f"it is not in the plan and can be ready about {pretty(ready)}"
        if ready > begin:
            begin = ready
        reasons.append(f"you need {prerequisite.name} first ({where})")
    reasons.append(f"preparation usually takes about {_months(credential.prep_months)}")
    return Earliest(add_months(begin, credential.prep_months), tuple(reasons))


def refusal(
    slug: str,
    due: date,
    *,
    catalog: Mapping[str, CredentialInput],
    person: Person,
    planned: Mapping[str, date],
    today: date,
) -> str | None:
    """Why `due` is too early for the credential `slug`'s milestone, or None when it is fine (or the
    credential is not in the catalog, or already held)."""
    credential = catalog.get(slug)
    if credential is None or slug in person.held:
        return None
    earliest = earliest_due(credential, catalog=catalog, person=person, planned=planned, today=today)
    return earliest.message(credential.name) if due < earliest.due else None


def dependants_refusal(
    slug: str,
    due: date,
    *,
    catalog: Mapping[str, CredentialInput],
    planned: Mapping[str, date],
) -> str | None:
    """Why `due` is too late for the prerequisite `slug`: a planned credential that needs it first
    would be due before it is ready plus its own preparation. None when every dependant still fits."""
    for other, other_due in sorted(planned.items()):
        credential = catalog.get(other)
        if credential is None or slug not in credential.prerequisites or other == slug:
            continue
        if other_due < add_months(due, credential.prep_months):
            need = catalog[slug].name if slug in catalog else slug
            return (
                f"{credential.name} (due {pretty(other_due)}) needs {need} first and then about "
                f"{_months(credential.prep_months)} of preparation; move it later first, or choose a date for "
                f"{need} by {pretty(_months_before(other_due, credential.prep_months))}."
            )
    return None


def _months_before(day: date, months: int) -> date:
    """The latest date d with add_months(d, months) <= day."""
    guess = add_months(day, -months)
    while add_months(guess, months) > day:
        guess = date.fromordinal(guess.toordinal() - 1)
    # Month ends clip: 29, 30 and 31 January all reach 29 February a month on.
    while add_months(date.fromordinal(guess.toordinal() + 1), months) <= day:
        guess = date.fromordinal(guess.toordinal() + 1)
    return guess


@dataclass(frozen=True)
class Check:
    """What the plan forms need to check credential dates: the catalog, the person, today."""

    catalog: Mapping[str, CredentialInput]
    person: Person
    today: date

    def refusal(self, slug: str, due: date, *, planned: Mapping[str, date]) -> str | None:
        others = {other: day for other, day in planned.items() if other != slug}
        return refusal(slug, due, catalog=self.catalog, person=self.person, planned=others, today=self.today)

    def dependants_refusal(self, slug: str, due: date, *, planned: Mapping[str, date]) -> str | None:
        return dependants_refusal(slug, due, catalog=self.catalog, planned=planned)

    def earliest(self, slug: str, *, planned: Mapping[str, date]) -> Earliest | None:
        credential = self.catalog.get(slug)
        if credential is None or slug in self.person.held:
            return None
        others = {other: day for other, day in planned.items() if other != slug}
        return earliest_due(credential, catalog=self.catalog, person=self.person, planned=others, today=self.today)
