"""The API's documentation page: Swagger UI from careerpath's own static files, under the site's CSP."""

import pytest
from playwright.sync_api import Page, expect


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_page_renders_every_part_of_the_api_from_local_files(page: Page, live_server):
    outside, refused = [], []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.get_by_role("heading", name="careerpath API")).to_be_visible()
    for tag in ("roles", "me", "people", "readiness"):
        expect(page.locator(f"#operations-tag-{tag}")).to_be_visible()
    expect(page.get_by_text("/api/v1/roles/{slug}/").first).to_be_visible()
    assert outside == []
    assert refused == []
