"""The questionnaire section form: one 1–5 radio group per item, each rendered by its field template.

Fields are not required at the form level: every valid answer given is saved, and the
view marks the required ones still missing, so nothing a person entered is lost.

Each field renders as a whole question (`assessments/_question.html`: the card, its legend,
the error line and the five radios) through Django's field templates: the page writes
`{{ field.as_field_group }}`. The same template shows HR's preview, from `question_context`.
"""

from django import forms
from django.forms.renderers import TemplatesSetting

from .models import ANSWER_MAX, ANSWER_MIN, Item

FIELD_PREFIX = "item-"
LIKERT_LABELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
CHOICE_LABELS = ["Strongly A", "Leaning A", "No clear preference", "Leaning B", "Strongly B"]


def field_name(item: Item) -> str:
    return f"{FIELD_PREFIX}{item.pk}"


def choice_labels(item: Item) -> list[tuple[int, str]]:
    """The five options of an item, labelled as the person sees them."""
    values = range(ANSWER_MIN, ANSWER_MAX + 1)
    if item.kind == Item.Kind.SKILL:
        return [(n, text) for n, text in item.skill.levels]
    if item.kind == Item.Kind.CHOICE:
        labels = [
            f"Strongly: {item.option_a}",
            f"Leaning: {item.option_a}",
            "No clear preference",
            f"Leaning: {item.option_b}",
            f"Strongly: {item.option_b}",
        ]
        return list(zip(values, labels, strict=True))
    return list(zip(values, LIKERT_LABELS, strict=True))


def question_context(question, *, value: int | None = None, errors=(), missing: bool = False) -> dict:
    """What assessments/_question.html reads as `q`, for a question (assessments.selectors.QuestionView)."""
    return {
        "item": question,
        "name": question.name,
        "options": question.options,
        "number": question.number,
        "value": value,
        "errors": errors,
        "missing": missing,
    }


class QuestionBoundField(forms.BoundField):
    """A question with its answer, as the field template shows it: checked, in error, or still missing."""

    def get_context(self):
        value = self.value()
        question = self.field.question
        return {
            "q": question_context(
                question,
                value=int(value) if str(value).isdigit() else None,
                errors=self.errors,
                missing=question.pk in self.form.missing,
            )
        }


class QuestionField(forms.TypedChoiceField):
    def __init__(self, *, question, **kwargs):
        super().__init__(
            template_name="assessments/_question.html",
            bound_field_class=QuestionBoundField,
            label=question.text,
            choices=question.options,
            coerce=int,
            required=False,
            error_messages={"invalid_choice": "Choose one of the five options."},
            **kwargs,
        )
        self.question = question


class SectionForm(forms.Form):
    """The answers to one section's questions (assessments.selectors.QuestionView, or anything with
    their pk, name, text, options and number).

    `missing` holds the ids of the required questions still unanswered once the answers given
    are saved: the view sets it from what the service reports, and the page marks them.
    """

    # The project's template engine (templates/, the cached loader) renders the fields' templates.
    default_renderer = TemplatesSetting
    missing: frozenset[int] = frozenset()

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.name] = QuestionField(question=item)

    def clean(self):
        cleaned = super().clean()
        expected = set(self.fields)
        stray = [key for key in self.data if key.startswith(FIELD_PREFIX) and key not in expected]
        if stray:
            raise forms.ValidationError(
                "This page received answers to questions that are not in this section. Nothing was saved; "
                "please answer the questions shown.",
                code="stray_items",
            )
        return cleaned

    def valid_answers(self) -> dict[int, int]:
        """The given answers that passed validation, even when other fields have errors."""
        self.is_valid()
        return {
            item.pk: self.cleaned_data[item.name]
            for item in self.items
            if item.name not in self.errors and self.cleaned_data.get(item.name) not in (None, "")
        }
