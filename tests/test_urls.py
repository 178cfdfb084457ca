"""Permanent URLs come from ids, and links between pages are relative for both URL styles."""

import pytest

from publisher.site import urls
from publisher.site.urls import Urls


def test_item_urls_are_made_from_ids():
    u = Urls(directory_urls=True)
    assert u.url(urls.recommendation("2023-jcc-afi-4")) == "recommendations/2023-jcc-afi-4/"
    assert u.url(urls.inspection("2018-ofsted")) == "inspections/2018-ofsted/"
    assert u.url(urls.HOME) == ""
    assert Urls(directory_urls=False).url(urls.recommendation("x")) == "recommendations/x.html"


@pytest.mark.parametrize(
    "directory_urls, here, there, anchor, expected",
    [
        (True, "index.md", "recommendations/x.md", None, "recommendations/x/"),
        (True, "recommendations/x.md", "index.md", None, "../../"),
        (True, "recommendations/x.md", "recommendations/y.md", None, "../y/"),
        (True, "recommendations/index.md", "recommendations/x.md", None, "x/"),
        (True, "recommendations/x.md", "recommendations/x.md", "history", "#history"),
        (True, "recommendations/x.md", "inspections/a.md", "f1", "../../inspections/a/#f1"),
        (False, "recommendations/x.md", "index.md", None, "../index.html"),
        (False, "index.md", "recommendations/x.md", None, "recommendations/x.html"),
        (False, "recommendations/x.md", "inspections/a.md", "f1", "../inspections/a.html#f1"),
    ],
)
def test_relative_links(directory_urls, here, there, anchor, expected):
    assert Urls(directory_urls).href(here, there, anchor) == expected
