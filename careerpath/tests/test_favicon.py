"""The site's icon: linked from every page's head, and /favicon.ico (asked for regardless) leads to it."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from careerpath.views import FAVICON

pytestmark = pytest.mark.django_db

LINK = f'<link rel="icon" href="{static(FAVICON)}" type="image/svg+xml">'


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static(FAVICON)


def test_the_icon_is_a_static_svg_file():
    path = finders.find(FAVICON)

    assert path is not None
    assert ET.parse(path).getroot().tag == "{http://www.w3.org/2000/svg}svg"


# The log-in page is the HR panel's too (careerpath.admin.PanelSite.login).
@pytest.mark.parametrize("url", [reverse("home"), reverse("roles:list"), reverse("account_login")])
def test_pages_link_the_icon(client, url):
    assert LINK in client.get(url).content.decode()


def test_the_error_pages_link_the_icon(client):
    from django.template.loader import render_to_string

    for template in ("400.html", "404.html", "500.html"):
        assert LINK in render_to_string(template), template
