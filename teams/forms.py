"""The manager's rating form (a level or "not observed", and a comment, per skill); asking colleagues for
their view, and a colleague's answer."""

import re
from dataclasses import dataclass

from django import forms
from django.core.validators import EmailValidator

from careerpath.security import SingleLineTextMixin, refuse_control_characters_in
from roles.models import LEVEL_MAX, LEVEL_MIN, Skill

from .models import COMMENT_MAX_LENGTH, PEER_RATERS_MAX

NOT_OBSERVED = ""
FIELD_NAME = re.compile(r"^(level|comment)_(.+)$")


@dataclass(frozen=True)
class SkillFields:
    skill: Skill
    level: forms.BoundField
    comment: forms.BoundField


class ManagerRatingForm(SingleLineTextMixin, forms.Form):
    """Fields `level_<skill id>` and `comment_<skill id>` for each skill given."""

    def __init__(self, *args, skills: list[Skill], **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = skills
        for skill in skills:
            self.fields[f"level_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.name,
                choices=[(NOT_OBSERVED, "Not observed"), *((n, f"Level {n}: {text}") for n, text in skill.levels)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=NOT_OBSERVED,
            )
            self.fields[f"comment_{skill.pk}"] = forms.CharField(
                label=f"Comment on {skill.name} (optional)", max_length=COMMENT_MAX_LENGTH, required=False
            )
        # The mixin ran before these fields existed: give the comments its validator now.
        refuse_control_characters_in(self.fields)

    def clean(self):
        cleaned = super().clean()
        unknown = sorted({match[2] for key in self.data if (match := FIELD_NAME.match(key)) and key not in self.fields})
        if unknown:
            raise forms.ValidationError(
                "The form names skills that are not on it (%(ids)s); reload the page and rate again.",
                code="unknown_skill",
                params={"ids": ", ".join(unknown)[:200]},
            )
        if not self.errors and all(cleaned.get(f"level_{skill.pk}") is None for skill in self.skills):
            raise forms.ValidationError("Rate at least one skill; the others can stay “not observed”.", code="empty")
        return cleaned

    def rows(self) -> list[SkillFields]:
        return [SkillFields(skill, self[f"level_{skill.pk}"], self[f"comment_{skill.pk}"]) for skill in self.skills]

    def levels(self) -> dict[int, int | None]:
        return {skill.pk: self.cleaned_data.get(f"level_{skill.pk}") for skill in self.skills}

    def comments(self) -> dict[int, str]:
        return {skill.pk: self.cleaned_data.get(f"comment_{skill.pk}", "") for skill in self.skills}


# --- Peer input (docs/teams.md) ------------------------------------------------------------------

EMAILS_MAX_LENGTH = PEER_RATERS_MAX * 256
EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


class PeerRoundForm(SingleLineTextMixin, forms.Form):
    """The skills to be rated on and the colleagues to ask, by email address (commas between them)."""

    skills = forms.TypedMultipleChoiceField(
        label="Skills to be rated on", coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    emails = forms.CharField(
        label=f"Colleagues' email addresses (up to {PEER_RATERS_MAX}, separated by commas)",
        max_length=EMAILS_MAX_LENGTH,
        help_text="People in careerpath. At least three need to answer before you see anything of their ratings.",
    )

    def __init__(self, *args, skills: list[Skill], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = [(skill.pk, skill.name) for skill in skills]

    def clean_emails(self) -> list[str]:
        emails = [email for email in EMAIL_SEPARATORS.split(self.cleaned_data["emails"]) if email]
        if not emails:
            raise forms.ValidationError("Name at least one colleague by their email address.", code="empty")
        if len(emails) > PEER_RATERS_MAX:
            raise forms.ValidationError(
                "Ask at most %(max)d colleagues at a time.", code="too_many", params={"max": PEER_RATERS_MAX}
            )
        validate = EmailValidator()
        bad = []
        for email in emails:
            try:
                validate(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(
                "These are not email addresses: %(bad)s.", code="invalid", params={"bad": ", ".join(bad)[:300]}
            )
        return emails


@dataclass(frozen=True)
class PeerSkillField:
    slug: str
    name: str
    description: str
    level: forms.BoundField


class PeerAnswerForm(forms.Form):
    """A field `level_<skill slug>` (a level, or "not observed") for each skill of the request."""

    def __init__(self, *args, skills: list[tuple[str, str, Skill | None]], **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = skills  # (slug, name, the catalog's skill for its level descriptors, when it still exists)
        for slug, name, skill in skills:
            levels = skill.levels if skill is not None else [(n, "") for n in range(LEVEL_MIN, LEVEL_MAX + 1)]
            self.fields[f"level_{slug}"] = forms.TypedChoiceField(
                label=name,
                choices=[
                    (NOT_OBSERVED, "Not observed"),
                    *((n, f"Level {n}: {text}" if text else f"Level {n}") for n, text in levels),
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=NOT_OBSERVED,
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(cleaned.get(f"level_{slug}") is None for slug, _, _ in self.skills):
            raise forms.ValidationError("Rate at least one skill; the others can stay “not observed”.", code="empty")
        return cleaned

    def rows(self) -> list[PeerSkillField]:
        return [
            PeerSkillField(slug, name, skill.description if skill else "", self[f"level_{slug}"])
            for slug, name, skill in self.skills
        ]

    def levels(self) -> dict[str, int | None]:
        return {slug: self.cleaned_data.get(f"level_{slug}") for slug, _, _ in self.skills}
