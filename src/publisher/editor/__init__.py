"""The browser editor of the preview: Decap CMS at `/admin/`, over this project's files.

`config` makes Decap's configuration from the content model, `backend` answers Decap's
local-folder protocol over content/, `layout` writes files as the command line writes
them, and `server` puts them at the preview's `/admin/` and `/api/v1` (`publisher serve`
only: a public build has no editor).

Why Decap CMS (3.16.3, vendored from npm in `vendor/`) and not Sveltia CMS, its lighter
successor: Sveltia edits a local folder through the browser's File System Access
directory picker, which a test cannot drive, and imports optional modules from unpkg at
run time; Decap's local workflow talks to a small server instead, which the preview
server already is, and its build loads nothing from another host.
"""

from __future__ import annotations

from .server import routes

__all__ = ["routes"]
