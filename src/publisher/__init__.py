"""publisher: a static site generator for public accountability reporting.

Data flows one way:

    content/ (YAML + Markdown)
      -> content.load_content   read and validate (typed model, file:line errors)
      -> progress.derive        statuses, overdue, history, lineage
      -> site.build_pages       pages and open data, as in-memory files
      -> MkDocs + Material      (`publisher.hooks`, the only adapter, which a site's
                                 hooks/publisher_hooks.py imports in one line)

Nothing in this package except `engine` and `hooks` imports MkDocs.
"""

from pathlib import Path

__version__ = "0.1.0"

#: The theme the package ships, on top of Material: its template overrides, the page
#: templates (`generated/`), and the site's own CSS and JS. A site's `theme.custom_dir`
#: (`site_overrides/` in the repository's own site) comes before it, for what is the site's own.
THEME = Path(__file__).resolve().parent / "theme"
