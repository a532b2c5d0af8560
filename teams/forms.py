"""The manager's rating form: one level (or "not observed") and one optional comment per skill."""

import re
from dataclasses import dataclass

from django import forms

from careerpath.security import SingleLineTextMixin, refuse_control_characters_in
from roles.models import Skill

from .models import COMMENT_MAX_LENGTH

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
