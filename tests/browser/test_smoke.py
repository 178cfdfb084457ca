"""The built site opens in Chromium, and nothing it loads comes from another host."""

import pytest

pytestmark = pytest.mark.browser


def test_the_home_page_loads_from_127_0_0_1_only(site_url, new_page):
    page = new_page()
    page.goto(site_url, wait_until="networkidle")
    assert "Jersey children's social care" in page.title()
    assert page.requests and all(url.startswith(site_url) for url in page.requests), page.requests
