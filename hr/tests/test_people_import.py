"""People and managers from the HR system's CSV: previewed row by row, applied all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Profile, User
from accounts.tests.factories import UserFactory
from hr import imports, selectors, services

pytestmark = pytest.mark.django_db

URL = reverse("hr:people_import")
HEADER = "email,name,manager email,discipline,current role,start date\n"


def preview(text: str) -> imports.Preview:
    return imports.preview(text, selectors.people_import_known())


def by_line(result: imports.Preview) -> dict[int, imports.Row]:
    return {row.line: row for row in result.rows}


@pytest.fixture
def people(catalog):
    """Maya (in careerpath, no manager) and Ali (reports to Maya)."""
    maya = UserFactory(email="maya@example.com", name="Maya Chen")
    ali = UserFactory(email="ali@example.com", name="Ali Khan")
    Profile.objects.filter(user=ali).update(manager=maya, current_role=catalog.roles["engineer"])
    return {"maya": maya, "ali": ali}


def test_a_file_says_per_row_what_it_would_add_update_or_leave(people, catalog):
    discipline = next(iter(catalog.disciplines.values()))
    text = HEADER + (
        f"new.person@example.com,New Person,maya@example.com,{discipline.slug.upper()},Senior Engineer,2024-05-01\n"
        "ALI@example.com,Ali Khan,maya@example.com,,engineer,\n"
        "maya@example.com,Maya Chen-Ortiz,,,,\n"
    )
    result = preview(text)
    rows = by_line(result)

    assert result.ok, [row.errors for row in result.rows]
    assert rows[2].action == "create"
    assert rows[2].current_role[1] == "Senior Engineer" and rows[2].start_date == date(2024, 5, 1)
    assert rows[2].discipline == (discipline.pk, discipline.name)  # a slug, whatever its case
    assert rows[3].action == "unchanged" and rows[3].email == "ali@example.com"  # stored in lower case
    assert rows[4].action == "update" and rows[4].changes == ["name"]
    assert (result.count_create, result.count_update, result.count_unchanged) == (1, 1, 1)


def test_columns_are_found_by_name_in_any_order_case_and_separator(people):
    text = "Start Date;Manager's Email;E-mail;Favourite colour\n2020-01-31;maya@example.com;new@example.com;teal\n"
    result = preview(text)
    row = result.rows[0]

    assert result.ok
    assert (row.email, row.manager_email, row.start_date) == ("new@example.com", "maya@example.com", date(2020, 1, 31))
    assert result.ignored_columns == ("Favourite colour",)


@pytest.mark.parametrize(
    "line, message",
    [
        pytest.param("not-an-email,X,,,,", "is not a valid email address", id="bad-email"),
        pytest.param(",Nobody,,,,", "email address is empty", id="no-email"),
        pytest.param("a@example.com,A,ghost@example.com,,,", "neither in this file nor in careerpath", id="no-manager"),
        pytest.param("a@example.com,A,a@example.com,,,", "their own manager", id="self-manager"),
        pytest.param("a@example.com,A,,,Astronaut,", "No role called “Astronaut”", id="unknown-role"),
        pytest.param("a@example.com,A,,Alchemy,,", "No discipline called “Alchemy”", id="unknown-discipline"),
        pytest.param("a@example.com,A,,,,03/15/2021", "write the start date as YYYY-MM-DD", id="us-date"),
        pytest.param("a@example.com,A,,,,2021-02-30", "is not a date", id="impossible-date"),
        pytest.param("a@example.com,A,,,,1066-10-14", "between 1950 and 2100", id="ancient-date"),
        pytest.param("a@example.com," + "n" * 151 + ",,,,", "longer than 150 characters", id="long-name"),
        pytest.param('a@example.com,"A\r\nBcc: x@example.com",,,,', "line break", id="crlf-name"),
        pytest.param("a@example.com,A\u202eB,,,,", "control character", id="rtl-override"),
        pytest.param("a" * 250 + "@example.com,A,,,,", "longer than 254 characters", id="long-email"),
    ],
)
def test_a_wrong_row_is_explained_and_blocks_the_whole_file(people, line, message):
    result = preview(HEADER + "fine@example.com,Fine,,,,\n" + line + "\n")

    assert not result.ok
    assert by_line(result)[2].errors == []
    assert message in " ".join(result.rows[1].errors)
    assert result.rows[1].action == "error"


def test_a_duplicate_address_is_refused_on_its_second_line(people):
    result = preview(HEADER + "a@example.com,A,,,,\nb@example.com,B,,,,\nA@Example.com,A again,,,,\n")
    assert "already on line 2" in by_line(result)[4].errors[0]


def test_a_reporting_loop_is_refused_with_the_loop_named(people):
    # In careerpath Ali reports to Maya; the file makes Maya report to Ali.
    result = preview(HEADER + "maya@example.com,Maya Chen,ali@example.com,,,\n")
    assert "loop: maya@example.com → ali@example.com → maya@example.com" in result.rows[0].errors[0]

    within_file = preview(HEADER + "x@example.com,X,y@example.com,,,\ny@example.com,Y,x@example.com,,,\n")
    assert all("loop" in " ".join(row.errors) for row in within_file.rows)


def test_swapping_a_manager_and_a_report_in_one_file_is_not_a_loop(people):
    """Checked on the organisation as the file leaves it, not row by row as it is applied."""
    text = HEADER + "maya@example.com,Maya Chen,ali@example.com,,,\nali@example.com,Ali Khan,,,,\n"
    assert preview(text).ok

    services.people_import_apply(text=text)

    assert Profile.objects.get(user=people["maya"]).manager == people["ali"]
    assert Profile.objects.get(user=people["ali"]).manager is None


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"name,role\nA,B\n", "no email column", id="no-email-column"),
        pytest.param(b"email,Email\na@example.com,b@example.com\n", "appears twice", id="column-twice"),
        pytest.param(HEADER.encode(), "no people", id="header-only"),
        pytest.param("email,name\na@example.com,Zoë\n".encode("latin-1"), "not UTF-8", id="latin-1"),
        pytest.param(b"email\n" + b"a@example.com\n" * 300_000, "larger than 1 MB", id="too-big"),
    ],
)
def test_a_file_that_cant_be_read_says_why(people, data, message):
    with pytest.raises(imports.ImportFileError) as excinfo:
        imports.preview(imports.decode(data), selectors.people_import_known())
    assert message in str(excinfo.value)


def test_applying_adds_people_without_a_password_and_sets_managers_roles_and_start_dates(people, catalog):
    text = HEADER + (
        "bea@example.com,Bea Ruiz,maya@example.com,,Senior Engineer,2019-09-02\n"
        "cy@example.com,Cy Obi,bea@example.com,,,\n"  # a manager added by the same file
        "ali@example.com,,,,,\n"  # an empty manager cell: Ali now reports to no one
    )
    summary = services.people_import_apply(text=text)

    assert (summary.created, summary.updated, summary.unchanged) == (2, 1, 0)
    bea = User.objects.get(email="bea@example.com")
    assert bea.name == "Bea Ruiz" and bea.is_active and not bea.has_usable_password()
    assert bea.profile.manager == people["maya"]
    assert bea.profile.current_role == catalog.roles["senior"]
    assert bea.profile.started_on == date(2019, 9, 2)
    assert User.objects.get(email="cy@example.com").profile.manager == bea
    ali = Profile.objects.get(user=people["ali"])
    assert ali.manager is None and ali.current_role == catalog.roles["engineer"]  # an empty cell keeps the role
    assert User.objects.get(pk=people["ali"].pk).name == "Ali Khan"  # an empty name keeps the name


def test_applying_a_file_with_one_wrong_row_changes_nothing(people):
    before = list(Profile.objects.order_by("pk").values_list("user_id", "manager_id", "current_role_id"))
    text = HEADER + "new@example.com,New,maya@example.com,,,\nali@example.com,Ali,ghost@example.com,,,\n"

    with pytest.raises(ValidationError) as excinfo:
        services.people_import_apply(text=text)

    assert "Line 3" in excinfo.value.messages[0]
    assert not User.objects.filter(email="new@example.com").exists()
    assert list(Profile.objects.order_by("pk").values_list("user_id", "manager_id", "current_role_id")) == before


# --- The panel page ------------------------------------------------------------------------------


def upload(client, text: str):
    return client.post(URL, {"file": SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")})


def test_hr_previews_then_applies_a_file(hr_client, people):
    response = upload(hr_client, HEADER + "bea@example.com,Bea Ruiz,maya@example.com,,,\n")

    assert response.status_code == 200
    body = response.content.decode()
    assert "1 to add, 0 to update, 0 unchanged" in body
    assert "Apply these changes" in body
    assert not User.objects.filter(email="bea@example.com").exists()  # a preview changes nothing

    digest = response.context["apply_form"].initial["digest"]
    applied = hr_client.post(URL, {"digest": digest}, follow=True)
    assert applied.redirect_chain[-1][0] == reverse("hr:people")
    assert "Applied: 1 added, 0 updated, 0 unchanged." in applied.content.decode()
    assert User.objects.get(email="bea@example.com").profile.manager == people["maya"]

    again = hr_client.post(URL, {"digest": digest}, follow=True)  # the same preview, applied twice
    assert "no longer available" in again.content.decode()
    assert User.objects.filter(email="bea@example.com").count() == 1


def test_a_file_with_a_problem_has_no_apply_button_and_cannot_be_applied(hr_client, people):
    response = upload(hr_client, HEADER + "bea@example.com,Bea,ghost@example.com,,,\n")

    body = response.content.decode()
    assert "Apply these changes" not in body
    assert "neither in this file nor in careerpath" in body
    assert response.context["apply_form"] is None
    forged = hr_client.post(URL, {"digest": "0" * 64}, follow=True)
    assert "no longer available" in forged.content.decode()
    assert not User.objects.filter(email="bea@example.com").exists()


def test_an_unreadable_file_is_answered_on_the_form(hr_client, people):
    response = hr_client.post(
        URL, {"file": SimpleUploadedFile("people.csv", "email\nZoë@example.com\n".encode("utf-16"))}
    )
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()


def test_the_people_import_is_for_hr_only(client, people):
    assert client.get(URL).status_code == 302  # anonymous: to the panel's log-in
    client.force_login(people["ali"])
    assert client.get(URL).status_code == 403
    assert upload(client, HEADER + "bea@example.com,Bea,,,,\n").status_code == 403
    assert not User.objects.filter(email="bea@example.com").exists()


def test_a_preview_answers_in_a_fixed_number_of_queries(hr_client, people, django_assert_max_num_queries):
    small = HEADER + "bea@example.com,Bea,maya@example.com,,,\n"
    big = HEADER + "".join(
        f"p{n}@example.com,P {n},maya@example.com,,engineer,2020-01-0{n % 9 + 1}\n" for n in range(300)
    )
    upload(hr_client, small)
    with django_assert_max_num_queries(12) as small_queries:
        upload(hr_client, small)
    with django_assert_max_num_queries(12) as big_queries:
        upload(hr_client, big)
    assert len(big_queries) == len(small_queries)
