import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from assessments.models import Item, ItemKey, Questionnaire, QuestionnaireVersion, Response, Section


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("slug",)

    slug = "career-self-assessment"
    name = "Engineering career self-assessment"


class QuestionnaireVersionFactory(DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = QuestionnaireVersion.Status.PUBLISHED
    is_active = True
    published_at = factory.LazyFunction(timezone.now)


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(QuestionnaireVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Section {n}")


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item

    section = factory.SubFactory(SectionFactory)
    version = factory.SelfAttribute("section.version")
    key = factory.Sequence(lambda n: f"item-{n}")
    order = factory.Sequence(lambda n: n + 1)
    kind = Item.Kind.LIKERT
    text = factory.Sequence(lambda n: f"Statement number {n}.")


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    version = factory.SubFactory(QuestionnaireVersionFactory)


def build_questionnaire(*, skills, sections: int = 3, likert_per_section: int = 3) -> QuestionnaireVersion:
    """An active, published version: each section has keyed statements (one reverse-keyed),
    a preference between two options, and one skill rating per given skill in the last section."""
    version = QuestionnaireVersionFactory()
    dimensions = ["technical", "managerial", "project"]
    for s in range(1, sections + 1):
        section = SectionFactory(version=version, order=s, title=f"Part {s}", intro=f"About part {s}.")
        order = 1
        for i in range(likert_per_section):
            dimension = dimensions[(s + i) % 3]
            item = ItemFactory(
                section=section,
                order=order,
                key=f"s{s}-likert-{i}",
                text=f"I enjoy {dimension} work, statement {s}.{i}.",
                consistency_group=f"group-{s}" if i < 2 else "",
            )
            ItemKey.objects.create(item=item, dimension=dimension, weight=1, direction=-1 if i == 1 else 1)
            order += 1
        choice = ItemFactory(
            section=section,
            order=order,
            key=f"s{s}-choice",
            kind=Item.Kind.CHOICE,
            text="Which would you rather do for a day?",
            option_a="Lead an important meeting",
            option_b="Work alone on an interesting problem",
        )
        ItemKey.objects.create(item=choice, dimension="managerial", option="a", weight=1)
        ItemKey.objects.create(item=choice, dimension="technical", option="b", weight=1)
        order += 1
        if s == sections:
            for skill in skills:
                ItemFactory(
                    section=section,
                    order=order,
                    key=f"rate-{skill.slug}",
                    kind=Item.Kind.SKILL,
                    text="How would you rate yourself?",
                    skill=skill,
                )
                order += 1
    return version


def submit_self_assessment(user, value: int = 2):
    """Start, answer every item with `value`, and submit: a real, fully stored result."""
    from assessments import services

    response = services.response_start(user=user)
    for section in response.version.sections.all():
        services.response_save_section(
            response=response, section=section, answers={item.pk: value for item in section.items.all()}
        )
    return services.response_submit(response=response)
