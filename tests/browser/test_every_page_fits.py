"""Every page a person can reach fits a phone and a laptop: no sideways scrolling, axe clean, readable charts.

The pages are every URL pattern of the project (walked from the root URL conf, as the fuzz
harness does), each opened as the person who can reach it: public pages anonymously, an
engineer's pages as that engineer, the HR panel (its own pages and every model page of the
admin site) and a manager's team pages as an HR member who is the engineer's manager. At
390×844 and 1366×900 each page must

- not scroll sideways: `document.documentElement.scrollWidth <= innerWidth`;
- pass axe-core (no serious or critical violation; tests/browser/a11y.py);
- draw every visible SVG text at 10 px or more *as rendered*: its computed font size times the
  scale of its SVG's viewBox on the screen, so a chart shrunk to fit a phone still counts small.

`test_every_url_pattern_is_a_page_here_or_says_why_not` fails when a URL pattern is neither
visited here nor listed in NOT_PAGES with the reason, so a new page cannot go unchecked.

One browser, one context per viewport; the logged-in sessions are made once and their cookies
swapped into the context as the visitor changes.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator as reset_token_generator
from allauth.account.models import EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser

from accounts.models import User
from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from api import services as api_services
from assessments import services as assessment_services
from assessments.models import Response, Result
from hr import services as hr_services
from hr.models import AccessRecord
from plans import services as plan_services
from plans.models import Milestone, Plan
from plans.tests.test_plan_pages import post_data_from
from reminders import email as reminder_email
from reminders.models import Reminder, ReminderPolicy
from roles.models import Role
from scim.services import scim_token_create, scim_token_revoke
from teams import selectors as teams_selectors
from teams.models import PeerRequest
from teams.services import manager_rating_submit, peer_answer_submit, peer_round_create, team_policy_update
from tests.security.urlconf import all_patterns

from .a11y import AXE, axe_violations, describe

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
MIN_CHART_TEXT_PX = 10


@dataclass
class World:
    engineer: User
    pending: User  # signed up, not confirmed yet
    hr: User
    first: Result
    second: Result
    in_progress: Response
    plan: Plan
    milestone: Milestone
    clients: dict[str, Client]
    peer_request: PeerRequest | None = None  # a colleague's open request to the engineer


def submitted(user: User, value: int) -> Result:
    response = assessment_services.response_start(user=user)
    for section in response.version.sections.all():
        assessment_services.response_save_section(
            response=response, section=section, answers={item.pk: value for item in section.items.all()}
        )
    return assessment_services.response_submit(response=response)


def build_world() -> World:
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    engineer = UserFactory(
        name="Maximiliana Featherstonehaugh-Wolfeschlegel",  # a long name, for the navigation
        profile__current_role=Role.objects.get(slug="engineer"),
    )
    pending = UserFactory()
    pending.emailaddress_set.update(verified=False)  # signed up, its address not confirmed yet
    hr = UserFactory(name="Harriet HR", is_superuser=True)  # every panel page, as well as the HR group's
    hr_member_add(user=hr)
    TOTP.activate(hr, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # a second factor: its panel page is visited too
    engineer.profile.manager = hr  # so the HR member also has a team page with a report on it
    engineer.profile.save(update_fields=["manager"])
    first = submitted(engineer, 2)
    second = submitted(engineer, 4)
    in_progress = assessment_services.response_start(user=engineer)

    clients = {"anonymous": Client()}
    for actor, user in (("engineer", engineer), ("hr", hr)):
        clients[actor] = Client()
        clients[actor].force_login(user)
    engineer_client = clients["engineer"]
    proposal = engineer_client.get(reverse("plans:create") + f"?result={second.pk}&target=engineering-manager")
    engineer_client.post(reverse("plans:create"), post_data_from(proposal))
    plan = engineer.plans.get()
    milestone = plan.milestones.order_by("due_date", "pk").first()
    if not Reminder.objects.exists():
        Reminder.objects.create(
            user=engineer,
            milestone=milestone,
            kind=Reminder.Kind.UPCOMING,
            due_date=milestone.due_date,
            send_after=timezone.now() + timedelta(days=1),
            next_attempt_at=timezone.now() + timedelta(days=1),
        )
    # A row for each of the panel's lists that nothing above fills.
    seen = {"username": engineer.email, "ip_address": "127.0.0.1", "user_agent": "Firefox", "path_info": "/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    ReminderPolicy.load()
    team_policy_update(include_indirect_reports=True)
    hr_services.access_record_create(actor=hr, subject=engineer, kind=AccessRecord.Kind.RESULT, object_id=second.pk)
    # The manager's rating, every skill two levels apart from the self-assessment's 4 or level with it.
    skills = teams_selectors.rateable_skills()
    manager_rating_submit(
        rater=hr,
        subject=engineer,
        levels={skill.pk: 2 if index % 2 else 4 for index, skill in enumerate(skills)},
        comments={skills[0].pk: "Explains trade-offs clearly in design reviews, and writes them down afterwards."},
    )
    # Working on the plan together: a long comment each, the plan agreed, a done milestone confirmed.
    plan_services.plan_comment_add(
        plan=plan, author=hr, body="Good plan. " + "Let's-look-at-the-design-review-together " * 10 + "\nThursday?"
    )
    plan_services.plan_comment_add(plan=plan, author=engineer, body="Thursday works. " + "x" * 300)
    plan_services.plan_agree(plan=plan, manager=hr)
    done = plan_services.milestone_set_status(
        milestone=milestone, status="done", evidence_url="https://example.com/" + "a" * 200
    )
    plan_services.milestone_confirm(milestone=done, manager=hr)
    # API tokens on HR's page: a long name, one revoked.
    api_services.api_token_create(
        name="Quarterly readiness export to the people-analytics warehouse", scope="read", user=engineer, created_by=hr
    )
    old, _ = api_services.api_token_create(name="Old sync", scope="write", user=engineer, created_by=hr)
    api_services.api_token_revoke(token=old, revoked_by=hr)
    # SCIM tokens: one in use (long name), one revoked, for the tokens page's table.
    scim_token_create(name="Microsoft Entra ID provisioning for the whole engineering organisation", created_by=hr)
    revoked, _ = scim_token_create(name="Okta", created_by=hr)
    scim_token_revoke(token=revoked, revoked_by=hr)
    # Peer input: three colleagues (long names) rated every skill, so the ratings page has its peer column;
    # a fourth asks the engineer for their view (the home's list, the answer page)
    peers = [UserFactory(name=f"Bartholomew-Alexander Peer-Colleague {n}") for n in range(3)]
    asked = peer_round_create(
        subject=engineer, skill_ids=[skill.pk for skill in skills], rater_emails=[p.email for p in peers]
    )
    for n, peer in enumerate(peers):
        peer_answer_submit(
            rater=peer,
            request_id=asked.requests.get(rater=peer).pk,
            levels={skill.slug: 1 + (n + index) % 5 for index, skill in enumerate(skills)},
        )
    colleague = UserFactory(name="Wilhelmina Grünewald-Ostermann-Featherstone")
    theirs = peer_round_create(
        subject=colleague, skill_ids=[skill.pk for skill in skills], rater_emails=[engineer.email]
    )
    # and the engineer's own open request to that colleague: the requests page's "Close now" form
    peer_round_create(subject=engineer, skill_ids=[skills[0].pk], rater_emails=[colleague.email])
    world = World(engineer, pending, hr, first, second, in_progress, plan, milestone, clients)
    world.peer_request = theirs.requests.get()
    return world


def _confirm_email_path(user: User) -> str:
    """The link of the sign-up email (allauth's, signed: no row is stored)."""
    key = EmailConfirmationHMAC(user.emailaddress_set.get()).key
    return reverse("account_confirm_email", kwargs={"key": key})


def _reset_confirm(w: World) -> str:
    """The set-password page a reset link leads to (allauth swaps the link's key for a session one)."""
    user = User.objects.get(pk=w.engineer.pk)
    key = reset_token_generator.make_token(user)
    link = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    response = w.clients["anonymous"].get(link)
    assert response.status_code == 302
    return response["Location"]


Visit = tuple[str, str]  # (who, path)
P = Callable[[World], list[Visit]]


def anonymous(*paths: str | Callable[[World], str]) -> P:
    return lambda w: [("anonymous", p(w) if callable(p) else p) for p in paths]


def engineer(*paths: str | Callable[[World], str]) -> P:
    return lambda w: [("engineer", p(w) if callable(p) else p) for p in paths]


def hr(*paths: str | Callable[[World], str]) -> P:
    return lambda w: [("hr", p(w) if callable(p) else p) for p in paths]


def r(name: str, **kwargs) -> Callable[[World], str]:
    """reverse() later, with kwargs that may be functions of the world."""
    return lambda w: reverse(name, kwargs={k: v(w) if callable(v) else v for k, v in kwargs.items()})


# Every page by URL pattern, with the states worth seeing (a form empty and filled, a list with rows).
PAGES: dict[str, P] = {
    "home": lambda w: [("anonymous", "/"), ("engineer", "/")],
    "account_signup": anonymous(r("account_signup")),
    "account_email_verification_sent": anonymous(r("account_email_verification_sent")),
    "account_confirm_email": lambda w: [("anonymous", _confirm_email_path(w.pending))],
    "account_logout": engineer(r("account_logout")),
    "account_inactive": anonymous(r("account_inactive")),
    "account_email": engineer(r("account_email")),
    "account_reauthenticate": engineer(r("account_reauthenticate")),
    "mfa_index": engineer(r("mfa_index")),
    "mfa_list_webauthn": engineer(r("mfa_list_webauthn")),
    "account_login": anonymous(r("account_login")),
    "accounts:profile": engineer(r("accounts:profile")),
    "accounts:data_view": engineer(r("accounts:data_view")),
    "accounts:delete": engineer(r("accounts:delete")),
    "account_change_password": engineer(r("account_change_password")),
    "account_reset_password": anonymous(r("account_reset_password")),
    "account_reset_password_done": anonymous(r("account_reset_password_done")),
    "account_reset_password_from_key": lambda w: [("anonymous", _reset_confirm(w))],
    "account_reset_password_from_key_done": anonymous(r("account_reset_password_from_key_done")),
    "roles:list": anonymous("/roles/", "/roles/?track=management"),
    "roles:map": anonymous("/roles/map/"),
    "roles:compare": anonymous("/roles/compare/", "/roles/compare/?a=senior-engineer&b=engineering-manager"),
    # The role with the most pay figures, the longest name, and one signed in (how ready am I).
    "roles:detail": lambda w: [
        ("anonymous", "/roles/engineering-manager/"),
        ("anonymous", "/roles/rd-manager/"),
        ("engineer", "/roles/engineering-director/"),
    ],
    "assessments:home": engineer(r("assessments:home")),
    "assessments:section": lambda w: [
        ("engineer", reverse("assessments:section", kwargs={"pk": w.in_progress.pk, "order": s.order}))
        for s in w.in_progress.version.sections.all()
    ],
    "assessments:review": engineer(r("assessments:review", pk=lambda w: w.in_progress.pk)),
    "assessments:result": engineer(
        r("assessments:result", pk=lambda w: w.second.pk),
        lambda w: reverse("assessments:result", kwargs={"pk": w.second.pk}) + "?target=engineering-director",
    ),
    "assessments:compare": engineer(lambda w: reverse("assessments:compare") + f"?a={w.first.pk}&b={w.second.pk}"),
    "plans:list": engineer(r("plans:list")),
    "plans:create": engineer(
        lambda w: reverse("plans:create") + f"?result={w.second.pk}",
        lambda w: reverse("plans:create") + f"?result={w.second.pk}&target=engineering-director",
    ),
    "plans:detail": engineer(r("plans:detail", pk=lambda w: w.plan.pk)),
    "plans:print": engineer(r("plans:print", pk=lambda w: w.plan.pk)),
    "plans:milestone_edit": engineer(r("plans:milestone_edit", pk=lambda w: w.milestone.pk)),
    "plans:credentials": engineer(r("plans:credentials")),
    "plans:milestone_evidence": engineer(r("plans:milestone_evidence", pk=lambda w: w.milestone.pk)),
    "reminders:unsubscribe": anonymous(
        r("reminders:unsubscribe", token=lambda w: reminder_email.unsubscribe_token(w.engineer.pk))
    ),
    "teams:team": hr(r("teams:team")),
    "teams:report_result": hr(r("teams:report_result", person_id=lambda w: w.engineer.pk, pk=lambda w: w.second.pk)),
    "teams:report_plan": hr(r("teams:report_plan", person_id=lambda w: w.engineer.pk, pk=lambda w: w.plan.pk)),
    "teams:rate": hr(r("teams:rate", person_id=lambda w: w.engineer.pk)),
    "teams:report_ratings": hr(r("teams:report_ratings", person_id=lambda w: w.engineer.pk)),
    "teams:my_ratings": engineer(r("teams:my_ratings")),
    "teams:peers": engineer(r("teams:peers")),
    "teams:peer_answer": engineer(r("teams:peer_answer", pk=lambda w: w.peer_request.pk)),
    "hr:dashboard": hr(r("hr:dashboard")),
    "hr:people_import": hr(r("hr:people_import")),
    "hr:exports": hr(r("hr:exports")),
    "hr:people": hr(r("hr:people")),
    "hr:agreement": hr(r("hr:agreement")),
    "hr:person_result": hr(r("hr:person_result", person_id=lambda w: w.engineer.pk, pk=lambda w: w.second.pk)),
    "hr:person_plan": hr(r("hr:person_plan", person_id=lambda w: w.engineer.pk, pk=lambda w: w.plan.pk)),
    "admin:index": hr(r("admin:index")),
    "admin:app_list": lambda w: [
        ("hr", reverse("admin:app_list", kwargs={"app_label": label}))
        for label in sorted({m._meta.app_label for m in admin.site._registry})
    ],
    "admin:password_change": hr(r("admin:password_change")),
    "admin:auth_user_password_change": lambda w: [
        ("hr", reverse("admin:auth_user_password_change", args=[w.engineer.pk]))
    ],
    "admin:password_change_done": hr(r("admin:password_change_done")),
    "admin:assessments_questionnaireversion_preview": lambda w: [
        ("hr", reverse("admin:assessments_questionnaireversion_preview", args=[w.in_progress.version.pk]))
    ],
    "hr:api_tokens": hr(r("hr:api_tokens")),
    "hr:scim_tokens": hr(r("hr:scim_tokens")),
}

# Django's generic pages of the admin: the list, add and change pages of every model are
# visited; the delete and history pages are one template whatever the model, so the two
# models with the longest related-object lists and histories stand for the rest.
ADMIN_DELETE_AND_HISTORY = ("roles.role", "accounts.user")


def admin_model_pages(w: World) -> dict[str, list[Visit]]:
    """The panel's model pages the HR member may open (a read-only model has no add page)."""
    request = RequestFactory().get("/hr/")
    request.user = w.hr
    pages, empty = {}, []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            empty.append(meta.label)
            continue
        pages[f"{base}_changelist"] = [("hr", reverse(f"{base}_changelist"))]
        if model_admin.has_add_permission(request):
            pages[f"{base}_add"] = [("hr", reverse(f"{base}_add"))]
        pages[f"{base}_change"] = [("hr", reverse(f"{base}_change", args=[obj.pk]))]
        if meta.label_lower in ADMIN_DELETE_AND_HISTORY:
            pages[f"{base}_delete"] = [("hr", reverse(f"{base}_delete", args=[obj.pk]))]
            pages[f"{base}_history"] = [("hr", reverse(f"{base}_history", args=[obj.pk]))]
    assert not empty, f"models with no row in the world, whose change pages would go unchecked: {empty}"
    return pages


# URL patterns that are not pages a person reads, each with the reason.
NOT_PAGES = {
    "healthz": "a health check for the load balancer, plain text",
    "favicon": "a redirect to the icon",
    "<route:admin/>": "a redirect to the panel",
    "admin:login": "a redirect to the site's log-in (account_login, visited above)",
    "mfa_authenticate": "only during a log-in waiting for its second factor (accounts/tests/test_mfa.py)",
    "mfa_reauthenticate": "only for someone with a second factor, asked again (allauth's form, as mfa_authenticate)",
    "mfa_activate_totp": "behind a fresh reauthentication: the page visited is account_reauthenticate",
    "mfa_deactivate_totp": "behind a fresh reauthentication",
    "mfa_view_recovery_codes": "behind a fresh reauthentication",
    "mfa_generate_recovery_codes": "behind a fresh reauthentication",
    "mfa_download_recovery_codes": "a text download",
    "mfa_add_webauthn": "behind a fresh reauthentication",
    "mfa_reauthenticate_webauthn": "only during a reauthentication",
    "mfa_remove_webauthn": "behind a fresh reauthentication",
    "mfa_edit_webauthn": "behind a fresh reauthentication",
    "mfa_login_webauthn": "posted by the log-in page's passkey script",
    "account_set_password": "a redirect: everyone here has a password (to the change-password page)",
    "account_confirm_login_code": "a redirect: log-in by emailed code is off",
    "account_request_reauthentication_code": "refused: reauthentication by emailed code is off",
    "account_confirm_reauthentication_code": "refused: reauthentication by emailed code is off",
    "accounts:sessions_end_others": "POST only",
    "accounts:data_export": "a JSON download",
    "assessments:start": "POST only",
    "assessments:submit": "POST only",
    "plans:csv": "a CSV download",
    "plans:calendar": "an iCalendar feed",
    "plans:milestone_add": "POST only (the form is on the plan page)",
    "plans:milestone_status": "POST only (the form is on the plan page)",
    "plans:archive": "POST only",
    "plans:milestone_set_aside": "POST only (the form is on the plan page)",
    "plans:milestone_restore": "POST only (the form is on the plan page)",
    "plans:milestone_move": "POST only (the buttons are on the plan page)",
    "plans:calendar_rotate": "POST only",
    "plans:comment_add": "POST only (the form is on the plan page)",
    "plans:comment_delete": "POST only (the button is on the comment)",
    "plans:privacy": "POST only (the button is on the plan page)",
    "teams:report_plan_comment": "POST only (the form is on the report-plan page)",
    "teams:report_plan_agree": "POST only (the button is on the report-plan page)",
    "teams:peer_round_close": "POST only (the button is on the peers page)",
    "teams:report_milestone_confirm": "POST only (the buttons are on the report-plan page)",
    "hr:dashboard_csv": "a CSV download",
    "hr:export_people": "a CSV download",
    "hr:agreement_csv": "a CSV download",
    "hr:reminders_send_due": "POST only (the button is on the reminder log)",
    "hr:export_plans": "a CSV download",
    "hr:export_results": "a CSV download",
    "admin:logout": "POST only",
    "admin:jsi18n": "JavaScript",
    "admin:autocomplete": "JSON for the admin's search-as-you-type fields",
    "admin:view_on_site": "a redirect to the object's own page",
    "admin:assessments_questionnaireversion_publish": "POST only",
    "admin:assessments_questionnaireversion_clone": "POST only",
    "hr:api_token_revoke": "POST only (the button is on the API tokens page)",
    # The REST API (docs/api.md) answers JSON; its documentation is Swagger UI, a vendored third-party page
    # (drf-spectacular-sidecar) that tests/browser/test_api_docs.py opens under the site's CSP.
    **{
        f"api:{name}": "the REST API's JSON"
        for name in (
            "schema",
            "tracks",
            "track",
            "roles",
            "role",
            "skills",
            "skill",
            "certifications",
            "certification",
            "my_results",
            "my_result",
            "my_plans",
            "my_plan",
            "people",
            "person",
            "person_results",
            "person_result",
            "person_plans",
            "person_plan",
            "readiness",
        )
    },
    "api:docs": "Swagger UI, vendored (tests/browser/test_api_docs.py)",
    "hr:scim_token_revoke": "POST only (the buttons are on the SCIM tokens page)",
    "scim:users": "the SCIM API: JSON for identity providers, with a bearer token",
    "scim:user": "the SCIM API",
    "scim:groups": "the SCIM API",
    "scim:group": "the SCIM API",
    "scim:service_provider_config": "the SCIM API",
    "scim:resource_types": "the SCIM API",
    "scim:schemas": "the SCIM API",
}


def _admin_model_keys() -> set[str]:
    return {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_{suffix}"
        for m in admin.site._registry
        for suffix in ("add", "change", "changelist", "delete", "history")
    }


def test_every_url_pattern_is_a_page_here_or_says_why_not():
    keys = {p.key for p in all_patterns()}
    unnamed_admin = {k for k in keys if k.startswith("<route:hr/")}  # Django's redirects to the change page
    covered = set(PAGES) | set(NOT_PAGES) | _admin_model_keys()
    missing = sorted(keys - covered - unnamed_admin)
    assert not missing, f"URL patterns this test neither visits nor excuses (add them to PAGES or NOT_PAGES): {missing}"
    stale = sorted((set(PAGES) | set(NOT_PAGES)) - keys)
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"


# What a page must satisfy, measured in the page: sideways overflow (with the widest elements
# when there is some) and the SVG texts drawn smaller than the minimum.
MEASURE = """(minPx) => {
  const doc = document.documentElement;
  const overflow = doc.scrollWidth - window.innerWidth;
  const wide = [];
  if (overflow > 0) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > window.innerWidth + 0.5 && box.width > 0) {
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
          + (el.classList.length ? '.' + [...el.classList].join('.') : '');
        wide.push(`${name} (right edge ${Math.round(box.right)} px)`);
      }
      if (wide.length >= 5) break;
    }
  }
  const small = [];
  for (const text of document.querySelectorAll('svg text')) {
    if (!text.getClientRects().length || !text.textContent.trim()) continue;  // not displayed
    const style = getComputedStyle(text);
    if (style.visibility === 'hidden') continue;
    const m = text.getScreenCTM();
    const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    const px = parseFloat(style.fontSize) * scale;
    if (px < minPx - 0.01) small.push(`"${text.textContent.trim().slice(0, 30)}" at ${px.toFixed(1)} px`);
  }
  return {overflow, scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide, small};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_fits_a_phone_and_a_laptop_passes_axe_and_has_readable_charts(
    browser: Browser, live_server, browser_context_args
):
    world = build_world()
    visits: list[Visit] = [visit for make in PAGES.values() for visit in make(world)]
    visits += [visit for page in admin_model_pages(world).values() for visit in page]
    visits.append(("anonymous", "/no-such-page/"))  # the 404 page
    by_actor = {actor: [path for who, path in visits if who == actor] for actor in ("anonymous", "engineer", "hr")}
    cookies = {
        actor: [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in client.cookies.items()
            if morsel.value
        ]
        for actor, client in world.clients.items()
    }

    failures: dict[str, list[str]] = {}
    timings = {"load": 0.0, "axe": 0.0}
    for viewport, size in VIEWPORTS.items():
        # axe is injected into every page before its own scripts; the site's CSP rightly forbids that.
        context = browser.new_context(**browser_context_args, viewport=size, bypass_csp=True)
        context.add_init_script(path=str(AXE))
        context.set_default_timeout(20_000)
        page = context.new_page()
        for actor, paths in by_actor.items():
            context.clear_cookies()
            context.add_cookies(cookies[actor])
            for path in paths:
                where = f"{viewport} {actor} {path}"
                started = time.monotonic()
                response = page.goto(live_server.url + path)
                timings["load"] += time.monotonic() - started
                problems = []
                expected = 404 if path == "/no-such-page/" else 200
                if response is None or response.status != expected:
                    problems.append(f"status {response and response.status}, expected {expected} ({page.url})")
                found = page.evaluate(MEASURE, MIN_CHART_TEXT_PX)
                if found["overflow"] > 0:
                    problems.append(
                        f"scrolls sideways: {found['scrollWidth']} px wide in {found['innerWidth']} px; "
                        f"wider than the screen: {', '.join(found['wide'])}"
                    )
                if found["small"]:
                    problems.append(f"SVG text under {MIN_CHART_TEXT_PX} px: {', '.join(found['small'][:6])}")
                started = time.monotonic()
                violations = axe_violations(page)
                timings["axe"] += time.monotonic() - started
                if violations:
                    problems.append(describe(violations))
                if problems:
                    failures[where] = problems
        context.close()
    seconds = f"{timings['load']:.1f} s loading, {timings['axe']:.1f} s in axe"
    print(f"{len(visits)} pages at {len(VIEWPORTS)} viewports: {seconds}")

    assert not failures, f"{len(failures)} of {2 * len(visits)} page views fail:\n\n" + "\n\n".join(
        f"{where}\n  " + "\n  ".join(problems) for where, problems in failures.items()
    )
