"""The Jersey site's MkDocs hooks (`hooks:` in mkdocs.yml): the publisher's adapter, from
the installed package. Every tracker's hooks file is this one line (`publisher init`
writes it); the code is in src/publisher/hooks.py."""

from publisher.hooks import *  # noqa: F401,F403
