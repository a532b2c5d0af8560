"""What the journey tests share: a browser tab that checks every page it shows with axe-core.

`Visitor` wraps one Playwright page. After each page load the test calls `check()`,
which runs axe (tests/browser/a11y.py) on the page as it is; the visitor also records
every document the tab navigated to, so `assert_every_page_passed()` fails when a page
was shown but never checked, or when any check found a serious or critical violation.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, expect

from .a11y import axe_violations, describe

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS_IMG = ROOT / "docs" / "img"
# README images are written only on request, so CI never changes the working tree.
UPDATE_SCREENSHOTS = os.environ.get("CAREERPATH_UPDATE_SCREENSHOTS") == "1"

# The journeys run on a shared two-core machine next to other test runs: a page may take more
# than Playwright's default five seconds to arrive, which is slowness, not a failure.
expect.set_options(timeout=15_000)

VIEWPORTS = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}


def context_args(browser_context_args: dict, viewport: str) -> dict:
    # axe is injected as an inline script, which the site's Content Security Policy rightly forbids.
    return {**browser_context_args, "bypass_csp": True, "viewport": VIEWPORTS[viewport]}


class Visitor:
    def __init__(self, page: Page, base_url: str, *, name: str):
        self.page = page
        self.base = base_url.rstrip("/")
        self.name = name
        self.failures: dict[str, str] = {}
        self.shown: set[str] = set()
        self.checked: set[str] = set()
        self._use(page)

    def _use(self, page: Page) -> Page:
        self.page = page
        page.set_default_timeout(20_000)
        page.on("framenavigated", self._navigated)
        return page

    def new_tab(self) -> Page:
        """Close this tab and carry on in a new one of the same browser (cookies kept)."""
        old = self.page
        self._use(old.context.new_page())
        old.close()
        return self.page

    def new_device(self, browser: Browser, args: dict) -> Page:
        """Close this browser and carry on in a fresh one (no cookies), keeping the records."""
        self.page.context.close()
        return self._use(browser.new_context(**args).new_page())

    @classmethod
    def in_new_context(cls, browser: Browser, base_url: str, *, name: str, args: dict) -> "Visitor":
        """A fresh browser context: no cookies, as on another device or after closing the browser."""
        return cls(browser.new_context(**args).new_page(), base_url, name=name)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame and frame.url.startswith(self.base):
            self.shown.add(urlparse(frame.url).path)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def check(self) -> None:
        """Run axe on the page as it is now; violations are collected, not raised, so the journey goes on."""
        self.page.wait_for_load_state()
        path = urlparse(self.page.url).path
        self.checked.add(path)
        if found := axe_violations(self.page):
            self.failures[f"{path} ({self.page.title()})"] = describe(found)

    def shot(self, step: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{step}.png"), full_page=True)

    def nav(self, name: str) -> None:
        """Follow a link of the main navigation, opening the menu first on a small screen."""
        navigation = self.page.get_by_role("navigation", name="Main navigation")
        toggler = navigation.get_by_role("button", name="Toggle navigation")
        if toggler.is_visible():
            toggler.click()
            expect(toggler).to_have_attribute("aria-expanded", "true")
            # Bootstrap sets aria-expanded as the menu starts to open and `show` once it has: a click
            # during the opening animation can land on a link that is still moving (seen on a busy machine).
            expect(navigation.locator(".navbar-collapse")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
        navigation.get_by_role("link", name=name, exact=True).click()

    def log_in(self, email: str, password: str) -> None:
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_role("textbox", name=re.compile(r"^Password\*?$")).fill(password)
        self.page.get_by_role("button", name="Log in").click()

    def assert_every_page_passed(self) -> None:
        unchecked = self.shown - self.checked
        assert not unchecked, f"pages shown but never checked with axe: {sorted(unchecked)}"
        assert not self.failures, "\n\n".join(f"{page}\n{text}" for page, text in self.failures.items())


def answer_section(page: Page, answers: dict[str, int], skills: int | tuple[int, ...]) -> None:
    """Answer every question on the section's page: from `answers` by field name, skills from `skills` in turn."""
    skills = (skills,) if isinstance(skills, int) else skills
    skill_count = 0
    for fieldset in page.locator("fieldset.question").all():
        radios = fieldset.locator("input[type=radio]")
        value = answers.get(radios.first.get_attribute("name"))
        if value is None:
            value, skill_count = skills[skill_count % len(skills)], skill_count + 1
        radios.nth(value - 1).check()


def answer_remaining_sections(v: Visitor, answers: dict[str, int], skills) -> None:
    """From the current section to the review page, answering every question (see `answer_section`)."""
    page = v.page
    while True:
        expect(page.get_by_text(re.compile(r"Section \d of \d"))).to_be_visible()
        v.check()
        answer_section(page, answers, skills)
        last = page.get_by_role("button", name="Review and submit")
        if last.count():
            last.click()
            break
        page.get_by_role("button", name="Next section").click()
    expect(page.get_by_role("button", name="Submit and see my result")).to_be_visible()
    v.check()
