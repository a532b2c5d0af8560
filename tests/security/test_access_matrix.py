"""Access control, default deny: every URL pattern, as every kind of visitor, for GET and POST.

MATRIX below says what each visitor gets from each named URL; the admin site (served at
/hr/ as the HR panel) follows one rule instead. A URL pattern with no entry fails
`test_every_url_pattern_has_an_entry`, so a new page cannot ship without deciding who
may see it. The engineer owns every object in the world (tests/security/conftest.py);
the other engineer, HR and the superuser asking for it through the engineer's own pages
get 404, exactly like a missing object.
"""

import re

import pytest
from django.urls import reverse

from .conftest import ROLES, World
from .urlconf import Pattern, admin_model, all_patterns, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db) -> World:
    return module_world


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
LOGIN = "login"  # 302 to the log-in page, with ?next=
PANEL_LOGIN = "panel-login"  # 302 to the HR panel's log-in page


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def logged_in(expected, *, anonymous=LOGIN):
    """Anonymous visitors are sent to log in; everyone logged in gets `expected`."""
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], expected)}


def owned(expected, *, others=404):
    """The engineer's own object: the owner gets `expected`, everyone else logged in `others`."""
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], others), "engineer": expected}


def panel(expected):
    """An HR panel page: staff with HR's permissions only."""
    return {"anonymous": PANEL_LOGIN, **dict.fromkeys(ROLES[1:], 403), "hr": expected, "superuser": expected}


def team(expected, *, others=404):
    """The engineer's result or plan through the team pages: their manager only."""
    return {**owned(others, others=others), "manager": expected}


def asked(expected, *, others=404):
    """A request for peer input, seen by the colleague asked: they only; everyone else logged in gets `others`."""
    return {**owned(others, others=others), "peer": expected}


def anonymous_only(expected):
    """Sign-up and log-in: logged-in people are sent on (302)."""
    return {"anonymous": expected, **dict.fromkeys(ROLES[1:], 302)}


# URL key -> {"GET": {role: expected}, "POST": {role: expected}}; expected is a status code,
# LOGIN or PANEL_LOGIN.
MATRIX = {
    "home": {"GET": everyone(200), "POST": everyone(405)},
    "healthz": {"GET": everyone(200), "POST": everyone(405)},
    "favicon": {"GET": everyone(302), "POST": everyone(302)},
    "<route:admin/>": {"GET": everyone(302), "POST": everyone(302)},
    # Accounts: allauth's views (careerpath/urls.py) and careerpath's own (accounts/urls.py)
    "account_signup": {"GET": anonymous_only(200), "POST": anonymous_only(200)},
    "account_email_verification_sent": {"GET": everyone(200), "POST": everyone(405)},
    # A link that works for nobody answers "this link does not work", to anyone.
    "account_confirm_email": {"GET": everyone(200), "POST": everyone(404)},
    "account_login": {"GET": anonymous_only(200), "POST": anonymous_only(200)},
    # GET asks "Log out?" (it logs nobody out); anonymous visitors are sent home.
    "account_logout": {"GET": {**everyone(200), "anonymous": 302}, "POST": everyone(302)},
    "account_inactive": {"GET": everyone(200), "POST": everyone(405)},
    # Log-in by emailed code is off: with no code pending, this sends visitors on.
    "account_confirm_login_code": {"GET": everyone(302), "POST": everyone(302)},
    "account_reauthenticate": {"GET": logged_in(200), "POST": logged_in(200)},
    # Reauthentication by emailed code is off (ACCOUNT_REAUTHENTICATION_METHODS): refused to everyone logged in.
    "account_request_reauthentication_code": {"GET": logged_in(403), "POST": logged_in(403)},
    "account_confirm_reauthentication_code": {"GET": logged_in(403), "POST": logged_in(403)},
    # The person's address (one: ACCOUNT_CHANGE_EMAIL); a POST naming no action changes nothing and goes back.
    "account_email": {"GET": logged_in(200), "POST": logged_in(302)},
    # Two-factor sign-in (allauth.mfa). Changing a second factor asks for the password again first (302 to
    # the reauthentication page): the world's visitors were logged in without it. Only HR has one (TOTP),
    # so only HR can deactivate it or reauthenticate with it; nobody has recovery codes yet (404).
    "mfa_index": {"GET": logged_in(200), "POST": logged_in(405)},
    # Only during a log-in waiting for its second factor (accounts/tests/test_mfa.py); otherwise sent on.
    "mfa_authenticate": {"GET": everyone(302), "POST": everyone(302)},
    "mfa_reauthenticate": {"GET": {**logged_in(302), "hr": 200}, "POST": {**logged_in(302), "hr": 200}},
    "mfa_activate_totp": {"GET": logged_in(302), "POST": logged_in(302)},
    "mfa_deactivate_totp": {"GET": {**logged_in(404), "hr": 302}, "POST": {**logged_in(404), "hr": 302}},
    "mfa_view_recovery_codes": {"GET": logged_in(404), "POST": logged_in(405)},
    "mfa_generate_recovery_codes": {"GET": logged_in(302), "POST": logged_in(302)},
    "mfa_download_recovery_codes": {"GET": logged_in(404), "POST": logged_in(404)},
    "mfa_list_webauthn": {"GET": logged_in(200), "POST": logged_in(405)},
    "mfa_add_webauthn": {"GET": logged_in(302), "POST": logged_in(302)},
    "mfa_reauthenticate_webauthn": {"GET": logged_in(302), "POST": logged_in(302)},
    "mfa_remove_webauthn": {"GET": logged_in(302), "POST": logged_in(302)},
    "mfa_edit_webauthn": {"GET": logged_in(302), "POST": logged_in(302)},
    # Signing in with a passkey: a log-in page's script posts the browser's assertion; logged in, sent on.
    "mfa_login_webauthn": {"GET": everyone(302), "POST": everyone(302)},
    "accounts:profile": {"GET": logged_in(200), "POST": logged_in(200)},
    "accounts:data_view": {"GET": logged_in(200), "POST": logged_in(405)},
    "accounts:data_export": {"GET": logged_in(200), "POST": logged_in(405)},
    "accounts:delete": {"GET": logged_in(200), "POST": logged_in(200)},
    "accounts:sessions_end_others": {"GET": logged_in(405), "POST": logged_in(302)},
    "account_change_password": {"GET": logged_in(200), "POST": logged_in(200)},
    # Everyone in the world has a password: "set a password" sends them to "change your password".
    "account_set_password": {"GET": logged_in(302), "POST": logged_in(302)},
    "account_reset_password": {"GET": everyone(200), "POST": everyone(200)},
    "account_reset_password_done": {"GET": everyone(200), "POST": everyone(405)},
    "account_reset_password_from_key": {"GET": everyone(200), "POST": everyone(200)},
    "account_reset_password_from_key_done": {"GET": everyone(200), "POST": everyone(405)},
    # The public catalog
    "roles:list": {"GET": everyone(200), "POST": everyone(405)},
    "roles:map": {"GET": everyone(200), "POST": everyone(405)},
    "roles:compare": {"GET": everyone(200), "POST": everyone(405)},
    "roles:detail": {"GET": everyone(200), "POST": everyone(405)},
    # Self-assessment
    "assessments:home": {"GET": logged_in(200), "POST": logged_in(405)},
    "assessments:start": {"GET": logged_in(405), "POST": logged_in(302)},
    "assessments:section": {"GET": owned(200), "POST": owned(200)},
    "assessments:review": {"GET": owned(200), "POST": owned(405, others=405)},
    "assessments:submit": {"GET": owned(405, others=405), "POST": owned(302)},
    "assessments:result": {"GET": owned(200), "POST": owned(405, others=405)},
    "assessments:compare": {"GET": logged_in(200), "POST": logged_in(405)},
    # Plans
    "plans:list": {"GET": logged_in(200), "POST": logged_in(405)},
    # Without a result of their own, people are sent to take the self-assessment first.
    "plans:create": {"GET": owned(200, others=302), "POST": logged_in(302)},
    "plans:detail": {"GET": owned(200), "POST": owned(405, others=405)},
    "plans:print": {"GET": owned(200), "POST": owned(405, others=405)},
    "plans:csv": {"GET": owned(200), "POST": owned(405, others=405)},
    "plans:milestone_add": {"GET": owned(405, others=405), "POST": owned(200)},
    "plans:archive": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:calendar_rotate": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:milestone_status": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:milestone_edit": {"GET": owned(200), "POST": owned(200)},
    "plans:milestone_set_aside": {"GET": owned(405, others=405), "POST": owned(200)},
    "plans:milestone_restore": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:milestone_move": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:credentials": {"GET": logged_in(200), "POST": logged_in(302)},
    # The unguessable token in the address is the key, whoever holds it.
    "plans:calendar": {"GET": everyone(200), "POST": everyone(405)},
    "reminders:unsubscribe": {"GET": everyone(200), "POST": everyone(200)},
    # A manager's team (teams/): everyone has one, maybe empty; a report's pages are the manager's only.
    "teams:team": {"GET": logged_in(200), "POST": logged_in(405)},
    "teams:report_result": {"GET": team(200), "POST": team(405, others=405)},
    "teams:report_plan": {"GET": team(200), "POST": team(405, others=405)},
    # Only the engineer's manager rates them (an empty post is refused with a message: 200).
    "teams:rate": {"GET": team(200), "POST": team(200)},
    "teams:report_ratings": {"GET": team(200), "POST": team(405, others=405)},
    # Everyone's own self-assessment beside their manager's rating (maybe an empty state).
    "teams:my_ratings": {"GET": logged_in(200), "POST": logged_in(405)},
    # Peer input (docs/teams.md): everyone may ask colleagues (an empty post shows the form's errors: 200);
    # a request is answered by the colleague asked only (an empty answer is refused with a message: 200).
    "teams:peers": {"GET": logged_in(200), "POST": logged_in(200)},
    "teams:peer_answer": {"GET": asked(200), "POST": asked(200)},
    "teams:peer_round_close": {"GET": owned(405, others=405), "POST": owned(302)},
    # Working on a plan with the manager (docs/plans.md): the owner's side on the plan pages; a comment is
    # deleted by its author only (the world's is the engineer's), and the manager's side is on the team pages.
    "plans:comment_add": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:comment_delete": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:privacy": {"GET": owned(405, others=405), "POST": owned(302)},
    "plans:milestone_evidence": {"GET": owned(200), "POST": owned(302)},
    "teams:report_plan_comment": {"GET": team(405, others=405), "POST": team(302)},
    "teams:report_plan_agree": {"GET": team(405, others=405), "POST": team(302)},
    "teams:report_milestone_confirm": {"GET": team(405, others=405), "POST": team(302)},
    # The HR panel's own pages
    "hr:dashboard": {"GET": panel(200), "POST": panel(405)},
    "hr:dashboard_csv": {"GET": panel(200), "POST": panel(405)},
    "hr:exports": {"GET": panel(200), "POST": panel(405)},
    "hr:people": {"GET": panel(200), "POST": panel(405)},
    "hr:agreement": {"GET": panel(200), "POST": panel(405)},
    "hr:agreement_csv": {"GET": panel(200), "POST": panel(405)},
    # "Send the due reminders now": a POST only, for whoever may retry reminders (HR); it redirects to the log.
    "hr:reminders_send_due": {"GET": panel(405), "POST": panel(302)},
    "hr:export_people": {"GET": panel(200), "POST": panel(405)},
    "hr:export_plans": {"GET": panel(200), "POST": panel(405)},
    "hr:export_results": {"GET": panel(200), "POST": panel(405)},
    "hr:person_result": {"GET": panel(200), "POST": panel(405)},
    "hr:person_plan": {"GET": panel(200), "POST": panel(405)},
    "hr:people_import": {"GET": panel(200), "POST": panel(200)},
    # API tokens (docs/api.md): HR makes and revokes them; an empty post shows the form's errors.
    "hr:api_tokens": {"GET": panel(200), "POST": panel(200)},
    "hr:api_token_revoke": {"GET": panel(405), "POST": panel(302)},
    # SCIM tokens (scim/, docs/scim.md): HR makes them (an empty form is refused: 200) and revokes them.
    "hr:scim_tokens": {"GET": panel(200), "POST": panel(200)},
    "hr:scim_token_revoke": {"GET": panel(405), "POST": panel(302)},
    # The SCIM API takes a bearer token and nothing else: with only a session, everyone gets 401.
    "scim:users": {"GET": everyone(401), "POST": everyone(401)},
    "scim:user": {"GET": everyone(401), "POST": everyone(401)},
    "scim:groups": {"GET": everyone(401), "POST": everyone(401)},
    "scim:group": {"GET": everyone(401), "POST": everyone(401)},
    "scim:service_provider_config": {"GET": everyone(401), "POST": everyone(401)},
    "scim:resource_types": {"GET": everyone(401), "POST": everyone(401)},
    "scim:schemas": {"GET": everyone(401), "POST": everyone(401)},
}


def url_values(world: World) -> dict[str, dict]:
    """The parameters of each URL with parameters, all pointing at the engineer's objects."""
    return {
        "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-token"},
        "account_confirm_email": {"key": "not-a-real-key"},
        "mfa_remove_webauthn": {"pk": 999_999},
        "mfa_edit_webauthn": {"pk": 999_999},
        "roles:detail": {"slug": "senior"},
        "assessments:section": {"pk": world.response.pk, "order": 1},
        "assessments:review": {"pk": world.response.pk},
        "assessments:submit": {"pk": world.response.pk},
        "assessments:result": {"pk": world.result.pk},
        "plans:detail": {"pk": world.plan.pk},
        "plans:print": {"pk": world.plan.pk},
        "plans:csv": {"pk": world.plan.pk},
        "plans:milestone_add": {"pk": world.plan.pk},
        "plans:archive": {"pk": world.plan.pk},
        "plans:calendar_rotate": {"pk": world.plan.pk},
        "plans:milestone_status": {"pk": world.milestone.pk},
        "plans:milestone_edit": {"pk": world.milestone.pk},
        "plans:milestone_set_aside": {"pk": world.milestone.pk},
        "plans:milestone_restore": {"pk": world.milestone.pk},
        "plans:milestone_move": {"pk": world.milestone.pk},
        "plans:calendar": {"token": world.plan.calendar_token},
        "reminders:unsubscribe": {"token": world.unsubscribe_token},
        "hr:dashboard_csv": {"chart": "pipeline"},
        "hr:person_result": {"person_id": world.engineer.pk, "pk": world.result.pk},
        "hr:person_plan": {"person_id": world.engineer.pk, "pk": world.plan.pk},
        "teams:report_result": {"person_id": world.engineer.pk, "pk": world.result.pk},
        "teams:report_plan": {"person_id": world.engineer.pk, "pk": world.plan.pk},
        "teams:rate": {"person_id": world.engineer.pk},
        "teams:report_ratings": {"person_id": world.engineer.pk},
        "teams:peer_answer": {"pk": world.peer_request.pk},
        "teams:peer_round_close": {"pk": world.peer_request.round_id},
        "plans:comment_add": {"pk": world.plan.pk},
        "plans:comment_delete": {"pk": world.comment.pk},
        "plans:privacy": {"pk": world.plan.pk},
        "plans:milestone_evidence": {"pk": world.milestone.pk},
        "teams:report_plan_comment": {"person_id": world.engineer.pk, "pk": world.plan.pk},
        "teams:report_plan_agree": {"person_id": world.engineer.pk, "pk": world.plan.pk},
        "teams:report_milestone_confirm": {"person_id": world.engineer.pk, "pk": world.milestone.pk},
        "hr:api_token_revoke": {"pk": world.api_token.pk},
        "hr:scim_token_revoke": {"pk": world.scim_token.pk},
        "scim:user": {"pk": world.engineer.pk},
        "scim:group": {"pk": 1},
    }


# Object pages of the engineer's and the parameters naming an object that does not exist.
MISSING = {
    "assessments:section": {"pk": 999_999, "order": 1},
    "assessments:review": {"pk": 999_999},
    "assessments:result": {"pk": 999_999},
    "plans:detail": {"pk": 999_999},
    "plans:print": {"pk": 999_999},
    "plans:csv": {"pk": 999_999},
    "plans:milestone_edit": {"pk": 999_999},
    "plans:milestone_evidence": {"pk": 999_999},
    "teams:peer_answer": {"pk": 999_999},
}
MISSING_POST = {
    "assessments:submit": {"pk": 999_999},
    "plans:milestone_add": {"pk": 999_999},
    "plans:archive": {"pk": 999_999},
    "plans:calendar_rotate": {"pk": 999_999},
    "plans:milestone_status": {"pk": 999_999},
    "plans:milestone_set_aside": {"pk": 999_999},
    "plans:milestone_restore": {"pk": 999_999},
    "plans:milestone_move": {"pk": 999_999},
    "plans:comment_add": {"pk": 999_999},
    "plans:comment_delete": {"pk": 999_999},
    "plans:privacy": {"pk": 999_999},
    "teams:peer_round_close": {"pk": 999_999},
}

PATTERNS = all_patterns()
# The REST API's endpoints answer JSON to tokens as well as sessions: tests/security/test_api_access_matrix.py.
APP_PATTERNS = [p for p in PATTERNS if not p.is_admin and not p.is_api]
ADMIN_PATTERNS = [p for p in PATTERNS if p.is_admin]
# Order of the visits: nobody's visit may depend on the owner having changed something first.
ORDER = ("anonymous", "other", "unasked", "other_manager", "hr", "superuser", "manager", "peer", "engineer")


def path_of(pattern: Pattern, world: World) -> str:
    return fill(pattern, url_values(world).get(pattern.key, {}))


def check(response, expected, *, where: str):
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("account_login") + "?next="), where
    elif expected == PANEL_LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("admin:login")), where
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"
        if expected == 200 and response.get("Content-Type", "").startswith("text/html"):
            assert_plain_title(response.content.decode(), where=where)


def assert_plain_title(html: str, *, where: str):
    """A page's <title> is one line of text: markup in it (a template block merged into the wrong
    place once put the panel's navigation there) shows as code in the browser's tab and history."""
    head = html.split("</head>", 1)[0]  # charts' SVG <title>s live in the body
    titles = re.findall(r"<title>(.*?)</title>", head, flags=re.DOTALL)
    assert len(titles) == 1, f"{where}: {len(titles)} <title> elements in <head>"
    text = titles[0].strip()
    assert text and "<" not in text and "\n" not in text, f"{where}: {titles[0]!r}"


def test_every_url_pattern_has_an_entry():
    missing = sorted(p.key for p in APP_PATTERNS if p.key not in MATRIX)
    assert not missing, f"URL patterns with no access-control entry in MATRIX: {missing}"
    stale = sorted(set(MATRIX) - {p.key for p in APP_PATTERNS})
    assert not stale, f"MATRIX entries for URLs that no longer exist: {stale}"


def test_every_admin_pattern_is_covered_by_the_panel_rule(world):
    """The admin rule needs to fill each admin pattern's parameters; an unknown shape fails here."""
    for pattern in ADMIN_PATTERNS:
        assert admin_path(pattern, world).startswith("/hr/"), pattern


@pytest.mark.parametrize("pattern", APP_PATTERNS, ids=lambda p: p.key)
def test_each_visitor_gets_exactly_what_the_matrix_says(pattern, world):
    entry = MATRIX.get(pattern.key)
    assert entry is not None, f"{pattern.key} has no entry in MATRIX"
    path = path_of(pattern, world)
    for method in ("GET", "POST"):
        for role in ORDER:
            client = world.client(role)
            response = client.get(path) if method == "GET" else client.post(path, {})
            check(response, entry[method][role], where=f"{method} {path} as {role}")


@pytest.mark.parametrize("key", sorted(MISSING) + sorted(MISSING_POST))
def test_someone_elses_object_answers_exactly_like_a_missing_one(key, world):
    pattern = next(p for p in APP_PATTERNS if p.key == key)
    client = world.client("other")
    send = client.post if key in MISSING_POST else client.get
    theirs = send(path_of(pattern, world))
    missing = send(fill(pattern, (MISSING | MISSING_POST)[key]))

    assert theirs.status_code == missing.status_code == 404
    assert without_csrf_token(theirs.content) == without_csrf_token(missing.content)


def without_csrf_token(html: bytes) -> bytes:
    """The page without its CSRF token, which is masked afresh on every response."""
    return CSRF_INPUT.sub(b"", html)


def test_an_hr_page_about_someone_else_is_404_for_a_mismatched_person(world):
    """The person in an HR address must own the result or plan: no reading one person's data under another's id."""
    client = world.client("hr")
    result_path = reverse("hr:person_result", kwargs={"person_id": world.other.pk, "pk": world.result.pk})
    plan_path = reverse("hr:person_plan", kwargs={"person_id": world.other.pk, "pk": world.plan.pk})

    assert client.get(result_path).status_code == 404
    assert client.get(plan_path).status_code == 404


# --- The admin site (the HR panel at /hr/) ---------------------------------------------


def admin_path(pattern: Pattern, world: World) -> str:
    model = admin_model(pattern)
    existing = model._default_manager.order_by("pk").values_list("pk", flat=True).first() if model else None
    object_id = existing if existing is not None else 999_999
    values = {"object_id": object_id, "pk": object_id, "id": object_id, "content_type_id": 1}
    return fill(pattern, values)


NOT_STAFF = ("anonymous", "engineer", "other")
# The peer visitors are people without staff rights like the engineers: the panel rule is checked without them.
ADMIN_ORDER = ("anonymous", "other", "hr", "superuser", "manager", "engineer")
# The staff answers: a page, a redirect (after a save, or away from a missing object), 403
# where HR's permissions stop or where the panel allows nobody (adding log-in records by
# hand), 404 for the view-on-site link of a missing object, 405 for a wrong method.
STAFF = {200, 302, 403, 404, 405}


def admin_expected(pattern: Pattern, role: str, method: str):
    """The rule: people who are not staff get the panel's log-in page and nothing else."""
    if role in NOT_STAFF:
        if pattern.key == "admin:login":
            # The panel's log-in is the site's (allauth's, careerpath.admin.PanelSite.login); logged in, 403.
            return {"to-site-login"} if role == "anonymous" else {403}
        if pattern.key == "admin:logout":
            return {"to-index"}  # the admin sends them to its index, which asks them to log in
        return {PANEL_LOGIN}
    return STAFF


@pytest.mark.parametrize("pattern", ADMIN_PATTERNS, ids=lambda p: p.key if "route" not in p.key else p.route)
def test_the_admin_site_follows_the_panel_rule(pattern, world):
    path = admin_path(pattern, world)
    for method in ("GET", "POST"):
        for role in ADMIN_ORDER:
            client = world.client(role)
            response = client.get(path) if method == "GET" else client.post(path, {})
            expected = admin_expected(pattern, role, method)
            where = f"{method} {path} as {role}: {response.status_code}"
            if expected == {PANEL_LOGIN}:
                check(response, PANEL_LOGIN, where=where)
            elif expected == {"to-site-login"}:
                assert response.status_code == 302, where
                assert response["Location"].startswith(reverse("account_login") + "?next="), where
            elif expected == {"to-index"}:
                assert response.status_code == 302 and response["Location"] == reverse("admin:index"), where
            else:
                assert response.status_code in expected, where


# Also allauth's: nobody in HR changes another person's email addresses or second factors.
PRIVILEGED_ADMIN_MODELS = ("accounts/user", "auth/group", "axes/", "account/emailaddress", "mfa/authenticator")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_hr_cannot_reach_accounts_groups_or_log_in_records_in_the_panel(method, world):
    """Staff status lets HR into the panel; it must not let them grant themselves more or unlock accounts."""
    client = world.client("hr")
    privileged = [p for p in ADMIN_PATTERNS if any(f"hr/{m}" in p.route for m in PRIVILEGED_ADMIN_MODELS)]
    assert len(privileged) >= 15
    for pattern in privileged:
        if pattern.key.startswith("<route:"):
            continue  # the bare object address only redirects to its change page, checked here too
        path = admin_path(pattern, world)
        response = client.get(path) if method == "GET" else client.post(path, {"is_superuser": "on"})
        # History of a missing row redirects to the index before looking at permissions.
        assert response.status_code in ({403, 302} if "/history/" in path else {403}), f"{method} {path}"
    world.hr.refresh_from_db()
    assert not world.hr.is_superuser


@pytest.mark.parametrize("suffix", ["add/", "1/delete/"])
def test_hr_cannot_write_or_delete_the_access_audit_trail(suffix, world):
    client = world.client("hr")

    assert client.get(f"/hr/hr/accessrecord/{suffix}").status_code == 403
    assert client.post(f"/hr/hr/accessrecord/{suffix}", {"post": "yes"}).status_code == 403


HUGE_ID = "123791396190703534080"  # 21 digits: past 2**63 - 1, the largest id a database column holds
ID_PATTERNS = [p for p in APP_PATTERNS if "<id:" in p.route]


def test_every_numeric_url_parameter_is_a_bounded_id():
    """`<int:…>` matches any digits, and a 21-digit id reached the ORM as an OverflowError (a 500 on
    SQLite); careerpath.converters' `<id:…>` takes only what a column holds."""
    # allauth.mfa's passkey edit/remove pages take <int:pk>; they are allauth's, and reached only after
    # a fresh reauthentication (302 before it, above). Not bounded here.
    allauth = ("accounts/2fa/webauthn/keys/<int:pk>/edit/", "accounts/2fa/webauthn/keys/<int:pk>/remove/")
    unbounded = sorted(p.route for p in all_patterns() if "<int:" in p.route and p.route not in allauth)
    assert not unbounded, f"use <id:…> for these ids: {unbounded}"
    assert ID_PATTERNS


@pytest.mark.parametrize("pattern", ID_PATTERNS, ids=lambda p: p.key)
def test_an_id_past_what_a_column_holds_is_a_missing_page(pattern, world):
    values = dict(url_values(world).get(pattern.key, {}))
    for name in re.findall(r"<id:(\w+)>", pattern.route):
        values[name] = HUGE_ID
    path = fill(pattern, values)
    for role in ("hr", "engineer", "manager"):
        client = world.client(role)
        for response in (client.get(path), client.post(path, {})):
            # No pattern matches: 404, or, under /hr/, the admin site's log-in for someone not in the panel.
            expected = 302 if path.startswith("/hr/") and role != "hr" else 404
            assert response.status_code == expected, f"{path} as {role}: {response.status_code}"
