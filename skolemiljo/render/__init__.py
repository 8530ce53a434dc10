"""``skm render``: archive-ready case documents (PDF/A, HTML, Markdown) in bokmål and nynorsk.

Modules: ``api`` (render one case or all), ``context`` (case + history → template
variables), ``versions`` (earlier versions from git), ``engine`` (Jinja2),
``i18n`` (fixed texts, dates), ``pdf`` (WeasyPrint → PDF/A).

Importing this package is cheap; Jinja2, Babel and WeasyPrint are
imported only when a document is made.
"""

from skolemiljo.render.api import (
    DEFAULT_DOCUMENT,
    FORMATS,
    Outcome,
    render_all,
    render_case,
)
from skolemiljo.render.i18n import DOCUMENTS

__all__ = ["DEFAULT_DOCUMENT", "DOCUMENTS", "FORMATS", "Outcome", "render_all", "render_case"]
