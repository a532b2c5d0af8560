"""The REST API, version 1 (docs/api.md). Thin views: they check a query with a serializer, read through
the apps' selectors, write through their services, and ask the same access rules the pages ask."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from assessments import selectors as assessment_selectors
from hr import selectors as hr_selectors
from hr.models import AccessRecord
from hr.services import access_record_create
from plans import selectors as plan_selectors
from roles import selectors as role_selectors
from roles import services as role_services
from teams import selectors as team_selectors

from . import selectors, serializers
from .permissions import (
    HR_PEOPLE,
    HR_PLANS,
    HR_READINESS,
    HR_RESULTS,
    CatalogWrite,
    HRPermission,
    LoggedIn,
    TokenScope,
    is_hr,
)


def query(serializer_class, request) -> dict:
    """The request's query parameters, checked: a bad one is a 400 naming it."""
    checked = serializer_class(data=request.query_params)
    checked.is_valid(raise_exception=True)
    return checked.validated_data


def found(value, what: str):
    if value is None:
        raise ValidationError({what: [f"No {what} with that slug."]})
    return value


# --- The catalog: anyone reads, HR writes ----------------------------------------------------------


class CatalogMixin:
    section = ""
    permission_classes = [TokenScope, CatalogWrite]
    filter_serializer = None
    lookup_field = "slug"

    @property
    def catalog_model(self):
        from roles.catalog_io import SECTIONS

        return SECTIONS[self.section].model

    def filters(self) -> dict:
        return {}

    def get_queryset(self):
        return role_selectors.catalog_entry_rows(self.section, **self.filters())


class CatalogListView(CatalogMixin, generics.ListCreateAPIView):
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = role_services.catalog_entry_save(section=self.section, entry=serializer.validated_data)
        return Response(entry, status=status.HTTP_201_CREATED)


class CatalogDetailView(CatalogMixin, generics.RetrieveUpdateDestroyAPIView):
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        row = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if row is None:
            raise Http404("No such entry.")
        return row

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {key: value for key, value in serializer.validated_data.items() if key != "slug"}
        try:
            entry = role_services.catalog_entry_save(section=self.section, entry=changes, slug=self.kwargs["slug"])
        except LookupError:
            raise Http404("No such entry.") from None
        return Response(entry)

    def destroy(self, request, *args, **kwargs):
        try:
            role_services.catalog_entry_delete(section=self.section, slug=self.kwargs["slug"])
        except LookupError:
            raise Http404("No such entry.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrackList(CatalogListView):
    section = "tracks"
    serializer_class = serializers.TrackSerializer


class TrackDetail(CatalogDetailView):
    section = "tracks"
    serializer_class = serializers.TrackSerializer


class RoleFiltered:
    def filters(self) -> dict:
        params = query(serializers.RoleFilter, self.request)
        return {
            "track": found(role_selectors.track_by_slug(params["track"]), "track") if "track" in params else None,
            "discipline": found(role_selectors.discipline_by_slug(params["discipline"]), "discipline")
            if "discipline" in params
            else None,
        }


@extend_schema(parameters=[serializers.RoleFilter])
class RoleList(RoleFiltered, CatalogListView):
    section = "roles"
    serializer_class = serializers.RoleSerializer


class RoleDetail(CatalogDetailView):
    section = "roles"
    serializer_class = serializers.RoleSerializer


@extend_schema(parameters=[serializers.SkillFilter])
class SkillList(CatalogListView):
    section = "skills"
    serializer_class = serializers.SkillSerializer

    def filters(self) -> dict:
        params = query(serializers.SkillFilter, self.request)
        return {"area": found(role_selectors.skill_area_by_slug(params["area"]), "area")} if "area" in params else {}


class SkillDetail(CatalogDetailView):
    section = "skills"
    serializer_class = serializers.SkillSerializer


@extend_schema(parameters=[serializers.CertificationFilter])
class CertificationList(CatalogListView):
    section = "certifications"
    serializer_class = serializers.CertificationSerializer

    def filters(self) -> dict:
        return {"kind": query(serializers.CertificationFilter, self.request).get("kind")}


class CertificationDetail(CatalogDetailView):
    section = "certifications"
    serializer_class = serializers.CertificationSerializer


# --- A person's own results and plans ------------------------------------------------------------


class MyResults(generics.ListAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.ResultSerializer

    def get_queryset(self):
        return assessment_selectors.results_for_user(user=self.request.user).order_by("-created_at", "-pk")


class MyResult(generics.RetrieveAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.ResultDetailSerializer

    def get_object(self):
        return assessment_selectors.result_for_user(user=self.request.user, pk=self.kwargs["pk"])


class MyPlans(generics.ListAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        return plan_selectors.plans_for_user(user=self.request.user).order_by("-created_at", "-pk")


class MyPlan(generics.RetrieveAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.PlanDetailSerializer

    def get_object(self):
        return plan_selectors.plan_for_user(user=self.request.user, pk=self.kwargs["pk"])


# --- Someone else's: their manager within the team rules, or HR -------------------------------------


class PersonResults(generics.ListAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.ResultSerializer

    def get_queryset(self):
        person = selectors.person_in_reach(viewer=self.request.user, person_id=self.kwargs["person_id"], hr=HR_RESULTS)
        return assessment_selectors.results_for_user(user=person).order_by("-created_at", "-pk")


class PersonResult(generics.RetrieveAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.ResultDetailSerializer

    def get_object(self):
        viewer, person_id, pk = self.request.user, self.kwargs["person_id"], self.kwargs["pk"]
        if is_hr(viewer, HR_RESULTS):
            result = hr_selectors.result_for_hr(viewer=viewer, person_id=person_id, pk=pk)
        else:
            result = team_selectors.report_result(manager=viewer, person_id=person_id, pk=pk)
        access_record_create(actor=viewer, subject=result.user, kind=AccessRecord.Kind.RESULT, object_id=result.pk)
        return result


class PersonPlans(generics.ListAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        viewer = self.request.user
        person = selectors.person_in_reach(viewer=viewer, person_id=self.kwargs["person_id"], hr=HR_PLANS)
        plans = plan_selectors.plans_for_user(user=person)
        if not is_hr(viewer, HR_PLANS):  # a manager never sees a plan kept private from them
            plans = plans.filter(private_from_manager=False)
        return plans.order_by("-created_at", "-pk")


class PersonPlan(generics.RetrieveAPIView):
    permission_classes = [TokenScope, LoggedIn]
    serializer_class = serializers.PlanDetailSerializer

    def get_object(self):
        viewer, person_id, pk = self.request.user, self.kwargs["person_id"], self.kwargs["pk"]
        if is_hr(viewer, HR_PLANS):
            plan = hr_selectors.plan_for_hr(viewer=viewer, person_id=person_id, pk=pk)
        else:
            plan = team_selectors.report_plan(manager=viewer, person_id=person_id, pk=pk)
        access_record_create(actor=viewer, subject=plan.user, kind=AccessRecord.Kind.PLAN, object_id=plan.pk)
        return plan


# --- People and readiness: HR ---------------------------------------------------------------------


@extend_schema(parameters=[serializers.PeopleFilter])
class People(generics.ListAPIView):
    permission_classes = [TokenScope, LoggedIn, HRPermission]
    hr_permissions = HR_PEOPLE
    serializer_class = serializers.PersonSerializer

    def get_queryset(self):
        people = hr_selectors.people_list().select_related("profile").order_by("email", "pk")
        slug = query(serializers.PeopleFilter, self.request).get("discipline")
        if slug == "none":
            return people.filter(profile__discipline__isnull=True)
        if slug is not None:
            return people.filter(profile__discipline=found(role_selectors.discipline_by_slug(slug), "discipline"))
        return people


class Person(generics.RetrieveAPIView):
    permission_classes = [TokenScope, LoggedIn, HRPermission]
    hr_permissions = HR_PEOPLE
    serializer_class = serializers.PersonSerializer

    def get_object(self):
        person = hr_selectors.people_list().select_related("profile").filter(pk=self.kwargs["pk"]).first()
        if person is None:
            raise Http404("No such person.")
        return person


@extend_schema(parameters=[serializers.ReadinessFilter])
class Readiness(generics.ListAPIView):
    permission_classes = [TokenScope, LoggedIn, HRPermission]
    hr_permissions = HR_READINESS
    serializer_class = serializers.ReadinessSerializer

    def get_queryset(self):
        params = query(serializers.ReadinessFilter, self.request)
        plans = hr_selectors.plans_with_readiness(today=timezone.localdate())
        if "target" in params:
            plans = plans.filter(target_slug=params["target"])
        if "bucket" in params:
            plans = plans.filter(bucket=params["bucket"])
        return plans.order_by("pk")
