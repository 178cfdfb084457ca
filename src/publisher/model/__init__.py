"""The content model: plain records named in the domain's words.

Authors write these as YAML (and Markdown for updates); see the site's content guide,
which is generated from the field descriptions below.
"""

from .inspection import Finding, Inspection
from .plan import Document, Funding, GovernanceBody, KeyArea, Plan
from .recommendation import Due, Recommendation, Response, Revision
from .source import Source
from .theme import Theme
from .update import Update

__all__ = [
    "Document", "Due", "Finding", "Funding", "GovernanceBody", "Inspection", "KeyArea", "Plan",
    "Recommendation", "Response", "Revision", "Source", "Theme", "Update",
]
