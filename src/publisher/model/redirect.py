"""A redirect: where a published address now leads, after an item was renamed or merged.

Written in `content/redirects.yml`. Every address the site has ever published is kept in
the register (`permalinks.txt`); one that stops being published needs a redirect here, so
a citation in an old report still leads somewhere.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import ConfigDict, Field, PlainValidator

from .base import Model, PlainText, _fail, _text

#: A site address as authors write it: `recommendations/old-id/`, `/inspections/x/#f1`.
_ADDRESS = re.compile(r"^[A-Za-z0-9._~/-]*(?:#[A-Za-z0-9._-]+)?$")


def normalise(text: str) -> str:
    """The register's form of an address: from the site's root, and a page ends with '/'.

    `recommendations/x`, `/recommendations/x/` and `recommendations/x/index.html` are all
    `/recommendations/x/`; a file keeps its name (`/data/recommendations.csv`).
    """
    path, hash_, anchor = text.strip().partition("#")
    path = path.lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")] + "/"
    elif path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return "/" + path + (hash_ + anchor if anchor else "")


def _address(value: Any) -> str:
    text = _text(value)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        raise _fail(
            "address",
            f"'{text[:80]}' is a full web address",
            "write the address within this site, e.g. recommendations/2023-jcc-afi-4/ (without https:// and the site's name)",
        )
    if not text or not _ADDRESS.match(text) or "//" in text or "/../" in f"/{text}":
        raise _fail(
            "address",
            f"'{text[:80]}' is not an address on this site",
            "write it as it appears after the site's name, e.g. recommendations/2023-jcc-afi-4/ or inspections/2023-jcc/#2023-jcc-f01",
        )
    return normalise(text)


#: An address within the site, normalised to the register's form.
Address = Annotated[str, PlainValidator(_address)]


class Redirect(Model):
    """One old address and the address it now leads to. The reason is shown to readers."""

    model_config = ConfigDict(populate_by_name=True)

    old: Address = Field(
        alias="from",
        description="The address that is no longer published, as in `permalinks.txt`, e.g. `recommendations/2023-jcc-afi-9/`. "
        "A finding's or recommendation's anchor can be redirected too: `inspections/2023-jcc/#2023-jcc-f07`.",
    )
    new: Address = Field(
        alias="to",
        description="Where it now leads: an address this site publishes, e.g. `recommendations/2023-jcc-afi-4/`.",
    )
    reason: PlainText = Field(description="Why it moved, for readers, e.g. 'Merged with Area for improvement 4, which covers the same request.'")
