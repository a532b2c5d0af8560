"""The catalog in the admin: HR edits roles, skills, credentials and moves here."""

from django.contrib import admin
from django.db.models import Count

from careerpath.admin_inlines import FewQueriesInlineMixin
from roles.cache import catalog_changed
from roles.models import (
    Certification,
    Discipline,
    InterviewQuestion,
    Progression,
    Role,
    RoleRequirement,
    SalaryFigure,
    Skill,
    SkillArea,
    Source,
    Track,
)


class CatalogAdmin(admin.ModelAdmin):
    """Every catalog admin: a save or delete here empties the catalog pages' cache (roles/cache.py)."""

    def get_changelist_form(self, request, **kwargs):
        """A list's editable cells say what they are and for which row ("Order of Civil engineering"):
        Django's have no label, which screen readers and axe rightly flag."""
        base = super().get_changelist_form(request, **kwargs)

        class LabelledRowForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                if self.instance.pk:
                    for field in self.fields.values():
                        field.widget.attrs["aria-label"] = f"{field.label} of {self.instance}"

        return LabelledRowForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        catalog_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # inlines and many-to-many fields
        catalog_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalog_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalog_changed()


@admin.register(Source)
class SourceAdmin(CatalogAdmin):
    list_display = ["title", "publisher", "published", "url"]
    search_fields = ["title", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Discipline)
class DisciplineAdmin(CatalogAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class RoleInline(admin.TabularInline):
    model = Role
    fields = ["name", "rank", "typical_years_min", "typical_years_max"]
    show_change_link = True
    extra = 0
    ordering = ["rank", "name"]


@admin.register(Track)
class TrackAdmin(CatalogAdmin):
    list_display = ["name", "orientation", "order", "role_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]
    ordering = ["order", "name"]  # stated: a counted (GROUP BY) queryset drops the model's default ordering
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_role_count=Count("roles"))

    @admin.display(description="roles", ordering="_role_count")
    def role_count(self, obj):
        return obj._role_count


class SkillInline(admin.TabularInline):
    model = Skill
    fields = ["name", "slug", "order"]
    show_change_link = True
    extra = 0


@admin.register(SkillArea)
class SkillAreaAdmin(CatalogAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SkillInline]


@admin.register(Skill)
class SkillAdmin(CatalogAdmin):
    list_display = ["name", "area", "order", "role_count"]
    list_filter = ["area", "requirements__role__track"]
    list_select_related = ["area"]
    search_fields = ["name", "slug", "description"]
    # Stated: a counted (GROUP BY) queryset drops the model's default ordering, and the skill
    # autocomplete pages its results, which needs a fixed order.
    ordering = ["area__order", "order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "area", "order", "description"]}),
        ("What each level looks like", {"fields": ["level_1", "level_2", "level_3", "level_4", "level_5"]}),
        ("Building it", {"fields": ["actions"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_roles=Count("requirements", distinct=True))

    @admin.display(description="roles expecting it", ordering="_roles")
    def role_count(self, obj):
        return obj._roles


class RoleRequirementInline(FewQueriesInlineMixin, admin.TabularInline):
    model = RoleRequirement
    fields = ["skill", "level", "weight"]
    autocomplete_fields = ["skill"]
    extra = 1


class SalaryFigureInline(FewQueriesInlineMixin, admin.TabularInline):
    model = SalaryFigure
    fields = ["region", "currency", "average", "median", "low", "high", "year", "source", "note"]
    autocomplete_fields = ["source"]
    extra = 0


class CertificationRoleInline(FewQueriesInlineMixin, admin.TabularInline):
    """The credentials that help into this role (the same link as a credential's "roles")."""

    model = Certification.roles.through
    verbose_name = "credential that helps"
    verbose_name_plural = "credentials that help into this role"
    autocomplete_fields = ["certification"]
    extra = 0


class NextMoveInline(FewQueriesInlineMixin, admin.TabularInline):
    model = Progression
    fk_name = "from_role"
    verbose_name = "move from this role"
    verbose_name_plural = "moves from this role (promotions and lateral moves)"
    fields = ["to_role", "kind", "typical_years_min", "typical_years_max", "note", "source"]
    autocomplete_fields = ["to_role", "source"]
    extra = 0


class PreviousMoveInline(FewQueriesInlineMixin, admin.TabularInline):
    model = Progression
    fk_name = "to_role"
    verbose_name = "move into this role"
    verbose_name_plural = "moves into this role"
    fields = ["from_role", "kind", "typical_years_min", "typical_years_max", "note", "source"]
    autocomplete_fields = ["from_role", "source"]
    extra = 0


class InterviewQuestionInline(FewQueriesInlineMixin, admin.TabularInline):
    model = InterviewQuestion
    fields = ["area", "text", "order", "source"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Role)
class RoleAdmin(CatalogAdmin):
    list_display = ["name", "track", "rank", "typical_years_display", "requirement_count", "certification_count",
                    "move_count"]  # fmt: skip
    list_filter = ["track", "disciplines", "certifications"]
    list_select_related = ["track"]
    search_fields = ["name", "slug", "summary"]
    ordering = ["track__order", "rank", "name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["disciplines"]
    autocomplete_fields = ["source"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "track", "rank", "level", "disciplines"]}),
        ("Description", {"fields": ["summary", "responsibilities", "experiences", "suits"]}),
        ("Experience and education", {"fields": ["typical_years_min", "typical_years_max", "typical_education"]}),
        ("Provenance", {"fields": ["source"]}),
    ]
    inlines = [
        RoleRequirementInline,
        CertificationRoleInline,
        NextMoveInline,
        PreviousMoveInline,
        SalaryFigureInline,
        InterviewQuestionInline,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _requirements=Count("requirements", distinct=True),
                _certifications=Count("certifications", distinct=True),
                _moves=Count("next_moves", distinct=True),
            )
        )

    @admin.display(description="typical experience")
    def typical_years_display(self, obj):
        return obj.typical_years_display

    @admin.display(description="skills", ordering="_requirements")
    def requirement_count(self, obj):
        return obj._requirements

    @admin.display(description="credentials", ordering="_certifications")
    def certification_count(self, obj):
        return obj._certifications

    @admin.display(description="moves on", ordering="_moves")
    def move_count(self, obj):
        return obj._moves


@admin.register(RoleRequirement)
class RoleRequirementAdmin(CatalogAdmin):
    list_display = ["role", "skill", "level", "weight"]
    list_filter = ["role__track", "skill__area", "level"]
    list_select_related = ["role", "skill"]
    search_fields = ["role__name", "skill__name"]
    autocomplete_fields = ["role", "skill"]


@admin.register(SalaryFigure)
class SalaryFigureAdmin(CatalogAdmin):
    list_display = ["role", "region", "currency", "average", "median", "low", "high", "year", "source"]
    list_filter = ["currency", "region", "year", "source"]
    list_select_related = ["role", "source"]
    search_fields = ["role__name", "region", "note"]
    autocomplete_fields = ["role", "source"]


@admin.register(Certification)
class CertificationAdmin(CatalogAdmin):
    list_display = ["name", "abbreviation", "kind", "issuer", "prep_months", "min_years_experience"]
    list_filter = ["kind", "roles__track", "issuer"]
    search_fields = ["name", "abbreviation", "issuer", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["roles", "skills", "prerequisites", "disciplines"]
    autocomplete_fields = ["source"]


@admin.register(Progression)
class ProgressionAdmin(CatalogAdmin):
    list_display = ["from_role", "to_role", "kind", "typical_years_min", "typical_years_max"]
    list_filter = ["kind", "from_role__track", "to_role__track"]
    list_select_related = ["from_role", "to_role"]
    search_fields = ["from_role__name", "to_role__name"]
    autocomplete_fields = ["from_role", "to_role", "source"]


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(CatalogAdmin):
    list_display = ["text", "role", "area", "order"]
    list_filter = ["area", "role__track"]
    list_select_related = ["role", "area"]
    search_fields = ["text", "role__name"]
    autocomplete_fields = ["role", "source"]
