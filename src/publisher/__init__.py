"""publisher: a static site generator for public accountability reporting.

Data flows one way:

    content/ (YAML + Markdown)
      -> content.load_content   read and validate (typed model, file:line errors)
      -> progress.derive        statuses, overdue, history, lineage
      -> site.build_pages       pages and open data, as in-memory files
      -> MkDocs + Material      (hooks/publisher_hooks.py is the only adapter)

Nothing in this package except `engine` imports MkDocs.
"""

__version__ = "0.1.0"
