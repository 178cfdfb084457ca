"""MkDocs hooks (`hooks:` in mkdocs.yml): the publisher's adapter, from the installed package."""

from publisher.hooks import *  # noqa: F401,F403
