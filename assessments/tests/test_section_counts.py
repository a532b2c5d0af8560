"""sections_with_counts: each section's item and answered counts for one response, in one query."""

import pytest

from assessments import selectors
from assessments.models import Answer, Item
from assessments.tests.factories import ResponseFactory, build_questionnaire
from roles.tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


def answer(response, items, value=3):
    Answer.objects.bulk_create(Answer(response=response, item=item, value=value) for item in items)


def test_counts_only_this_responses_answers_however_many_others_answered(django_assert_num_queries):
    version = build_questionnaire(skills=[SkillFactory(), SkillFactory()])
    mine = ResponseFactory(version=version)
    items = list(Item.objects.filter(version=version).select_related("section").order_by("section__order", "order"))
    first_section = [item for item in items if item.section.order == 1]
    first_section[-1].required = False
    first_section[-1].save()
    for _ in range(5):  # other people answered everything
        answer(ResponseFactory(version=version), items)
    answer(mine, first_section[:2] + first_section[-1:])

    with django_assert_num_queries(1):
        sections = selectors.sections_with_counts(response=mine)

    counts = [(s.order, s.item_count, s.required_count, s.answered_count, s.required_answered_count) for s in sections]
    per_section = {s.order: sum(1 for item in items if item.section_id == s.pk) for s in sections}
    assert counts[0] == (1, per_section[1], per_section[1] - 1, 3, 2)
    assert counts[1:] == [(s, per_section[s], per_section[s], 0, 0) for s in sorted(per_section)[1:]]
