"""What the API reads and writes.

The catalog's entries are the catalog file's own format (docs/catalog.md): their serializers are
made from roles.catalog_io.SECTIONS, the one table that describes it, so the API, the file and its
checks cannot disagree. The serializers only check types and sizes; roles.services.catalog_entry_save
checks the rest (references, ranges, orientations) with the file's checker.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from assessments.models import Result
from plans.models import Milestone, Plan
from roles import catalog_io
from roles.catalog_io import NESTED, SECTIONS, Field, Section


def _drf_field(section: Section, f: Field, *, nested: bool = False) -> serializers.Field:
    common = {"required": f.required}
    max_length = catalog_io._max_length(section, f)
    if f.kind in ("slug", "ref"):
        return serializers.SlugField(max_length=max_length or 50, allow_null=f.nullable, **common)
    if f.kind == "str" and f.choices:
        return serializers.ChoiceField(choices=f.choices, **common)
    if f.kind in ("str", "text"):
        return serializers.CharField(max_length=max_length, allow_blank=not f.required, **common)
    if f.kind == "int":
        return serializers.IntegerField(
            min_value=f.minimum,
            max_value=f.maximum if f.maximum is not None else 2**31 - 1,
            allow_null=f.nullable,
            **common,
        )
    if f.kind == "lines":
        return serializers.ListField(child=serializers.CharField(max_length=2000), required=False)
    if f.kind == "refs":
        return serializers.ListField(child=serializers.SlugField(max_length=50), required=False)
    if f.kind == "nested":
        return entry_serializer(NESTED[f.target])(many=True, required=False)
    raise AssertionError(f"unknown field kind {f.kind}")  # pragma: no cover


class EntrySerializer(serializers.Serializer):
    """A catalog entry: read from its row with catalog_io.catalog_entry, written as the dict it checks."""

    section: str = ""

    def to_representation(self, instance):
        if isinstance(instance, dict):
            return instance
        return catalog_io.catalog_entry(self.section, instance)


_SERIALIZERS: dict[str, type[EntrySerializer]] = {}
NAMES = {
    "tracks": "Track",
    "skills": "Skill",
    "roles": "Role",
    "certifications": "Certification",
    "requirements": "RoleRequirement",
    "salaries": "SalaryFigure",
    "interview_questions": "InterviewQuestion",
}


def entry_serializer(section: Section) -> type[EntrySerializer]:
    if section.name not in _SERIALIZERS:
        fields = {f.name: _drf_field(section, f) for f in section.fields}
        name = NAMES[section.name]
        _SERIALIZERS[section.name] = type(
            f"{name}Serializer", (EntrySerializer,), {"section": section.name, **fields, "__module__": __name__}
        )
    return _SERIALIZERS[section.name]


TrackSerializer = entry_serializer(SECTIONS["tracks"])
SkillSerializer = entry_serializer(SECTIONS["skills"])
RoleSerializer = entry_serializer(SECTIONS["roles"])
CertificationSerializer = entry_serializer(SECTIONS["certifications"])


# --- Filters: validated query parameters (400 with a message for a bad one) ---------------------------


class RoleFilter(serializers.Serializer):
    track = serializers.SlugField(required=False, max_length=50, help_text="A track's slug.")
    discipline = serializers.SlugField(required=False, max_length=50, help_text="A discipline's slug.")


class SkillFilter(serializers.Serializer):
    area = serializers.SlugField(required=False, max_length=50, help_text="A skill area's slug.")


class CertificationFilter(serializers.Serializer):
    kind = serializers.ChoiceField(required=False, choices=SECTIONS["certifications"].field("kind").choices)


class PeopleFilter(serializers.Serializer):
    discipline = serializers.SlugField(
        required=False, max_length=50, help_text="A discipline's slug, or `none` for people with none."
    )


class ReadinessFilter(serializers.Serializer):
    target = serializers.SlugField(required=False, max_length=50, help_text="The target role's slug.")
    bucket = serializers.ChoiceField(required=False, choices=["ready_now", "within_12_months", "later"])


# --- People, results, plans (read only) ------------------------------------------------------------


class ResultSerializer(serializers.ModelSerializer):
    technical = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    managerial = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    project = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    person = serializers.IntegerField(source="user_id")

    class Meta:
        model = Result
        fields = [
            "id",
            "person",
            "created_at",
            "engine_version",
            "best_fit",
            "technical",
            "managerial",
            "project",
            "top_role_slug",
            "top_role_name",
            "top_role_readiness",
        ]


class RoleReadinessSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    readiness = serializers.IntegerField()


class ResultDetailSerializer(ResultSerializer):
    readiness = serializers.SerializerMethodField()
    skill_levels = serializers.SerializerMethodField()

    class Meta(ResultSerializer.Meta):
        fields = [*ResultSerializer.Meta.fields, "readiness", "skill_levels"]

    @extend_schema_field(RoleReadinessSerializer(many=True))
    def get_readiness(self, result) -> list[dict]:
        rows = (result.data or {}).get("result", {}).get("readiness", [])
        return [{"slug": r["slug"], "name": r["name"], "readiness": int(r["readiness"])} for r in rows]

    def get_skill_levels(self, result) -> dict[str, float]:
        levels = (result.data or {}).get("result", {}).get("skill_levels", {})
        return {slug: float(level) for slug, level in levels.items()}


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "order",
            "due_date",
            "status",
            "completed_at",
            "note",
            "evidence_url",
            "confirmed_at",
            "subject_slug",
            "from_level",
            "to_level",
        ]


class PlanSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="user_id")
    milestones_total = serializers.IntegerField(source="milestone_count")
    milestones_done = serializers.IntegerField(source="done_count")

    class Meta:
        model = Plan
        fields = [
            "id",
            "person",
            "status",
            "created_at",
            "archived_at",
            "target_slug",
            "target_name",
            "goal_slug",
            "goal_name",
            "starts_on",
            "horizon_months",
            "private_from_manager",
            "agreed_at",
            "milestones_total",
            "milestones_done",
        ]


class PathStepSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class PlanDetailSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="user_id")
    path = PathStepSerializer(many=True)
    milestones = MilestoneSerializer(many=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "person",
            "status",
            "created_at",
            "archived_at",
            "target_slug",
            "target_name",
            "goal_slug",
            "goal_name",
            "path",
            "starts_on",
            "horizon_months",
            "private_from_manager",
            "agreed_at",
            "milestones",
        ]


class PersonSerializer(serializers.ModelSerializer):
    discipline = serializers.SlugRelatedField(
        source="profile.discipline", slug_field="slug", read_only=True, allow_null=True
    )
    current_role = serializers.SlugRelatedField(
        source="profile.current_role", slug_field="slug", read_only=True, allow_null=True
    )
    manager = serializers.IntegerField(source="profile.manager_id", allow_null=True)
    years_experience = serializers.IntegerField(source="profile.years_experience", allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "discipline", "current_role", "years_experience", "manager", "date_joined"]


class ReadinessSerializer(serializers.ModelSerializer):
    """One engineer's active plan: how ready their latest result says they are for its target."""

    plan = serializers.IntegerField(source="pk")
    person = serializers.IntegerField(source="user_id")
    readiness = serializers.IntegerField(allow_null=True, min_value=0, max_value=100)
    bucket = serializers.ChoiceField(choices=["ready_now", "within_12_months", "later"])
    goal_due = serializers.DateField(allow_null=True)

    class Meta:
        model = Plan
        fields = ["plan", "person", "target_slug", "target_name", "readiness", "bucket", "goal_due"]
