"""Questionnaires in the HR panel. People's responses and results are People pages: hr/admin.py.

A draft version is edited here with its sections and items inline (an item's keys
on the item's own page); a published version is read-only. Publishing and cloning
go through assessments.versioning, like the management commands.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import selectors, versioning
from .forms import question_context
from .models import Item, ItemKey, Questionnaire, QuestionnaireVersion, Section


def _version_of(obj) -> QuestionnaireVersion | None:
    if isinstance(obj, QuestionnaireVersion):
        return obj
    if isinstance(obj, Item):
        return obj.version
    return None


class LockedWhenPublished:
    """Sections, items and keys of a published version can't change (versioning's lock), only be read."""

    def _editable(self, request, obj) -> bool:
        version = _version_of(obj)
        return version is None or not version.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class CachedChoicesMixin:
    """Every inline form's select lists the same sections and skills: query them once per page, not once per form."""

    cached_choice_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name in self.cached_choice_fields:
            cache = request.__dict__.setdefault("_admin_choice_cache", {})
            key = (self.model, db_field.name, getattr(request, "_admin_version_pk", None))
            if key not in cache:
                cache[key] = list(field.choices)
            field.choices = cache[key]
        return field


class SectionInline(LockedWhenPublished, admin.TabularInline):
    model = Section
    fields = ["order", "title", "intro"]
    extra = 0


class ItemInline(LockedWhenPublished, CachedChoicesMixin, admin.TabularInline):
    model = Item
    fk_name = "version"
    fields = ["section", "order", "key", "kind", "text", "option_a", "option_b", "skill", "required", "keys_summary"]
    readonly_fields = ["keys_summary"]
    cached_choice_fields = ("section", "skill")
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("section", "skill")
            .prefetch_related("keys")
            .order_by("section__order", "order")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(version_id=getattr(request, "_admin_version_pk", None))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="keys (weight, direction)")
    def keys_summary(self, obj):
        keys = list(obj.keys.all()) if obj.pk else []
        if not keys:
            return "none yet" if obj.kind != Item.Kind.SKILL else "—"
        return "; ".join(
            f"{'option ' + key.option.upper() + ': ' if key.option else ''}{key.get_dimension_display()} "
            f"×{key.weight:g} {'reversed' if key.direction < 0 else ''}".strip()
            for key in keys
        )


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version_count", "active_version"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_version_count=Count("versions"))
            .prefetch_related(Prefetch("versions", queryset=QuestionnaireVersion.objects.filter(is_active=True)))
        )

    @admin.display(description="versions", ordering="_version_count")
    def version_count(self, obj):
        return obj._version_count

    @admin.display(description="active version")
    def active_version(self, obj):
        active = next(iter(obj.versions.all()), None)
        return f"v{active.number}" if active else "—"


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "is_active", "published_at", "item_count", "response_count"]
    list_filter = ["status", "is_active", "questionnaire"]
    list_select_related = ["questionnaire"]
    search_fields = ["questionnaire__name", "change_note", "intro"]
    ordering = ["questionnaire__name", "-number"]
    fields = [
        "questionnaire",
        "number",
        "status",
        "is_active",
        "published_at",
        "intro",
        "estimated_minutes",
        "change_note",
    ]
    inlines = [SectionInline, ItemInline]
    actions = ["publish_selected", "clone_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("questionnaire")
            .annotate(
                _item_count=Count("items", distinct=True),
                _response_count=Count("responses", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["questionnaire", "number", "status", "is_active", "published_at"]
        if obj is not None and obj.is_published:
            return [*fixed, "intro", "estimated_minutes", "change_note"]
        return fixed

    def has_add_permission(self, request):
        return False  # new versions come from cloning one (or from a questionnaire file)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False  # responses point at it
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request._admin_version_pk = int(object_id) if str(object_id).isdigit() else None
        version = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "version_obj": version,
            "can_publish": version is not None and not version.is_published and self._may_edit(request),
            "can_clone": version is not None and self._may_clone(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        versioning.questionnaire_version_assert_editable(QuestionnaireVersion.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        versioning.questionnaire_version_assert_editable(form.instance)
        super().save_formset(request, form, formset, change)

    @admin.display(description="items", ordering="_item_count")
    def item_count(self, obj):
        return obj._item_count

    @admin.display(description="responses", ordering="_response_count")
    def response_count(self, obj):
        return obj._response_count

    # --- Publish, clone, preview ----------------------------------------------------------

    def _may_edit(self, request) -> bool:
        return request.user.has_perm("assessments.change_questionnaireversion")

    def _may_clone(self, request) -> bool:
        return request.user.has_perms(
            ["assessments.add_questionnaireversion", "assessments.add_section", "assessments.add_item"]
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<id:pk>/publish/", self.admin_site.admin_view(self.publish_view), name="{}_{}_publish".format(*info)),
            path("<id:pk>/clone/", self.admin_site.admin_view(self.clone_view), name="{}_{}_clone".format(*info)),
            path("<id:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="{}_{}_preview".format(*info)),
            *super().get_urls(),
        ]

    def _change_url(self, version) -> str:
        return reverse("admin:assessments_questionnaireversion_change", args=[version.pk])

    def publish_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._may_edit(request):
            raise PermissionDenied
        version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
        self._publish(request, version)
        return redirect(self._change_url(version))

    def clone_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._may_clone(request):
            raise PermissionDenied
        version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
        draft = versioning.questionnaire_version_clone(version=version)
        self.log_addition(request, draft, [{"added": {}}])
        messages.success(
            request, f"v{version.number} is copied into the new draft v{draft.number}: edit it, then publish it."
        )
        return redirect(self._change_url(draft))

    def preview_view(self, request, pk: int):
        version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        pages = [
            {
                "section": section,
                "questions": [question_context(item) for item in section.questions],
            }
            for section in selectors.questionnaire_layout(version=version).sections
        ]
        context = {
            **self.admin_site.each_context(request),
            "version": version,
            "pages": pages,
            "item_total": sum(len(p["questions"]) for p in pages),
            "change_url": self._change_url(version),
        }
        return TemplateResponse(request, "hr/questionnaire_preview.html", context)

    def _publish(self, request, version) -> bool:
        try:
            versioning.questionnaire_version_publish(version=version)
        except versioning.VersioningError as exc:
            messages.error(request, str(exc))
            return False
        self.log_change(request, version, [{"changed": {"fields": ["status", "is_active"]}}])
        messages.success(
            request,
            f"{version.questionnaire.name} v{version.number} is published and active: new self-assessments use it; "
            "earlier responses keep the version they were answered on.",
        )
        return True

    @admin.action(description="Publish the selected draft (and make it the active version)")
    def publish_selected(self, request, queryset):
        if not self._may_edit(request):
            raise PermissionDenied
        versions = list(queryset.select_related("questionnaire"))
        if len(versions) != 1:
            messages.error(request, "Choose exactly one draft to publish: only one version can be active.")
            return
        self._publish(request, versions[0])

    @admin.action(description="Clone the selected versions into new drafts")
    def clone_selected(self, request, queryset):
        if not self._may_clone(request):
            raise PermissionDenied
        for version in queryset.select_related("questionnaire"):
            draft = versioning.questionnaire_version_clone(version=version)
            self.log_addition(request, draft, [{"added": {}}])
            messages.success(request, f"{version.questionnaire.name} v{version.number} → new draft v{draft.number}.")


class ItemKeyInline(LockedWhenPublished, admin.TabularInline):
    model = ItemKey
    fields = ["dimension", "option", "weight", "direction"]
    extra = 0


@admin.register(Item)
class ItemAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["key", "version", "section", "kind", "short_text", "required"]
    list_filter = ["kind", "version__status", "version"]
    list_select_related = ["version__questionnaire", "section"]
    search_fields = ["key", "text", "option_a", "option_b"]
    readonly_fields = ["version", "section"]
    fields = ["version", "section", "order", "key", "kind", "text", "option_a", "option_b", "skill", "required",
              "consistency_group"]  # fmt: skip
    inlines = [ItemKeyInline]
    autocomplete_fields = ["skill"]

    def has_add_permission(self, request, obj=None):
        return False  # items are added on their version's page

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__questionnaire", "section", "skill")

    def save_model(self, request, obj, form, change):
        versioning.questionnaire_version_assert_editable(obj.version)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        versioning.questionnaire_version_assert_editable(form.instance.version)
        super().save_formset(request, form, formset, change)

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:80]
