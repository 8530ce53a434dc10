"""HTML to PDF/A with WeasyPrint.

* PDF/A-2b by default, PDF/A-1b when the school's ``skole.yaml`` says
  ``pdfa: 1b``. WeasyPrint writes the XMP identification (``pdfaid:part`` and
  ``conformance``), an sRGB OutputIntent and embeds every font (subsets).
* Deterministic bytes: WeasyPrint takes ``CreationDate``/``ModDate`` (and the
  XMP ``CreateDate``/``ModifyDate``) only from ``<meta name=dcterms.created>``
  and ``dcterms.modified``, which the templates fill from the case's first and
  last commit, never from the clock; the trailer ``/ID`` is an MD5 of the file
  content; font subset names are hashes of the glyphs used. The same case,
  templates, fonts and WeasyPrint version give the same bytes.
* Resources (a school's logo, stylesheets) may come only from the template
  folders or ``data:`` URLs: nothing is fetched from the network.

WeasyPrint and the system libraries it needs (Pango, HarfBuzz) are optional
(``pip install 'skolemiljo[pdf]'``); without them PDF fails with a Norwegian message
that says what to install, and HTML and Markdown still work.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

from skolemiljo.errors import PdfUnavailableError, SkmError

PDFA_VARIANTS = {"2b": "pdf/a-2b", "1b": "pdf/a-1b"}


DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core"


_weasyprint: Any = None


_font_config: Any = None


def _unavailable(detail: str) -> PdfUnavailableError:
    return PdfUnavailableError(
        f"Kan ikke lage PDF: {detail}",
        hint=(
            "Installer PDF-støtten med `pip install 'skolemiljo[pdf]'` og systembibliotekene med "
            f"`sudo apt-get install {DEBIAN_PACKAGES}` (Debian/Ubuntu). "
            "HTML og Markdown virker uten dem: bruk --format html eller --format md."
        ),
    )


@contextlib.contextmanager
def _quick_library_lookup() -> Iterator[None]:
    """Skip ``ctypes.util.find_library`` while WeasyPrint loads its libraries.

    WeasyPrint tries several names per library through cffi, and for each name
    that is not a file name cffi calls ``find_library``, which on Linux starts
    ``ldconfig``/``gcc`` subprocesses: about 0.3 s of skm's start-up. On Linux
    the names WeasyPrint also tries (``libpango-1.0.so.0`` …) load directly, so
    the lookup is not needed. If loading fails anyway, the caller retries with
    the real lookup.
    """
    if not sys.platform.startswith("linux"):
        yield
        return
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _forget_weasyprint() -> None:
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        del sys.modules[name]


def _import() -> Any:
    # WeasyPrint prints installation help to stdout when a library is missing;
    # skm's stdout carries only paths, so that text is swallowed here and the
    # Norwegian message says what to do.
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            with _quick_library_lookup():
                import weasyprint
        except OSError:
            _forget_weasyprint()
            import weasyprint
    return weasyprint


def load_weasyprint() -> Any:
    """Import WeasyPrint once; a missing module or library is a ``PdfUnavailableError``."""
    global _weasyprint
    if _weasyprint is None:
        try:
            _weasyprint = _import()
        except ImportError:
            raise _unavailable("WeasyPrint er ikke installert.") from None
        except OSError as error:
            raise _unavailable(f"WeasyPrint finner ikke systembibliotekene det trenger ({error}).") from None
    return _weasyprint


def available() -> bool:
    """WeasyPrint and its libraries can be loaded."""
    try:
        load_weasyprint()
    except PdfUnavailableError:
        return False
    return True


def _fonts() -> Any:
    """One font configuration for the whole process: fontconfig is set up once."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _fetcher(weasyprint: Any, folders: Sequence[Path]) -> Any:
    """A URL fetcher that serves only files from ``folders`` and ``data:`` URLs."""
    from urllib.parse import unquote, urlsplit

    allowed = [folder.resolve() for folder in folders]

    class LocalOnly(weasyprint.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path == folder or folder in path.parents for folder in allowed):
                    raise ValueError(f"skm henter ikke filer utenfor malmappene: {url}")
            elif parts.scheme != "data":
                raise ValueError(f"skm henter ikke noe fra nettet: {url}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("file", "data"))


def html_to_pdf(html: str, *, pdfa: str, folders: Sequence[Path]) -> bytes:
    """Render ``html`` (a whole document) to PDF/A bytes.

    ``folders`` are the template folders; relative URLs resolve against the
    first (the case repository's own ``templates/`` when it has one).
    """
    weasyprint = load_weasyprint()
    variant = PDFA_VARIANTS.get(pdfa)
    if variant is None:
        raise SkmError(f"Ukjent PDF/A-variant «{pdfa}» i skole.yaml: bruk 2b eller 1b.")
    base_url = folders[0].resolve().as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_fetcher(weasyprint, folders))
    return document.write_pdf(pdf_variant=variant, font_config=_fonts())
