"""Jinja2 environments for the documents.

Two environments, one per kind of output:

* ``html`` (also the source of the PDF): autoescaping on, so text from a case
  is data and never markup; a ``<script>`` typed into a description is printed
  as ``&lt;script&gt;``.
* ``md``: every printed value is escaped for Markdown (``finalize``), so a
  ``*`` or ``# `` in a description stays text. Autoescaping is on here too, but
  ``finalize`` has already turned every value into Markdown-safe ``Markup``, so
  HTML escaping never applies; what autoescaping adds is that macro output is
  ``Markup`` and is not escaped a second time. Avoid filters that HTML-escape
  their input (``join``) on case text in Markdown templates.

Both use ``StrictUndefined``: a template that names a variable the context
lacks fails loudly. The loader looks in the case repository's own
``templates/`` first, then in skm's packaged templates, so a school can
override any file (a logo in ``_base.html``, its own wording in
``aktivitetsplan.html``, colours in ``stil.css``).

A school's templates arrive through ``skm sync`` and are treated as hostile: both
environments are Jinja2's ``ImmutableSandboxedEnvironment``, so a template can change the
layout and nothing else (no ``__globals__``, no ``os``, no mutating the case data); what
the sandbox refuses is a ``TemplateProblem`` in Norwegian, and nothing of the template
runs. Templates that are symlinks (or lie in a symlinked folder) are not loaded.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from skolemiljo.errors import TemplateProblem
from skolemiljo.render.i18n import Text
from skolemiljo.storage.resources import templates_dir

KINDS = ("html", "md")


# Characters that may start Markdown syntax anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")


# Line starts that would make a heading, list, quote, rule or setext underline.
_MD_LINE_START = re.compile(r"^(\s*)(#|[-+=]|\d+(?=[.)]))")


_BLANK_RUNS = re.compile(r"\n{3,}")


def _md_line(line: str) -> str:
    line = _MD_INLINE.sub(r"\\\1", line)
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    if match.group(2)[0].isdigit():
        end = match.end()
        return line[:end] + "\\" + line[end:]  # "1\. mars" is no list
    start = match.start(2)
    return line[:start] + "\\" + line[start:]


def md_escape(value: Any) -> str:
    """Case text as Markdown that shows exactly that text; line breaks are kept."""
    lines = [_md_line(line) for line in str(value).splitlines()] or [""]
    out = []
    for index, line in enumerate(lines):
        follows = index + 1 < len(lines) and lines[index + 1].strip()
        out.append(line + ("\\" if line.strip() and follows else ""))
    return "\n".join(out)


def md_cell(value: Any) -> Markup:
    """Case text for one Markdown table cell: one line, pipes escaped."""
    if value is None:
        return Markup("")
    if isinstance(value, (Markup, Text)):
        return Markup(value)
    lines = [_MD_INLINE.sub(r"\\\1", line.strip()) for line in str(value).splitlines() if line.strip()]
    return Markup("<br>".join(lines))


def _finalize_html(value: Any) -> Any:
    return "" if value is None else value


def _finalize_md(value: Any) -> Any:
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    if isinstance(value, (Text, int, float)):
        return Markup(value)
    return Markup(md_escape(value))


def search_path(repo_root: Path | None) -> list[Path]:
    """Where templates are looked up: the repository's own first, then skm's."""
    packaged = templates_dir().resolve()
    paths = []
    if repo_root is not None:
        if (repo_root / "templates").is_symlink():
            raise TemplateProblem("templates/ i saksarkivet er en symbolsk lenke; skm bruker bare maler som ligger "
                                  "i saksarkivet selv.", hint="Erstatt lenken med selve mappen.")
        own = (repo_root / "templates").resolve()
        if own.is_dir() and own != packaged:
            paths.append(own)
    paths.append(packaged)
    return paths


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A bytecode cache whose failures (folder removed, disk full) only cost a compile."""

    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache(kind: str) -> jinja2.BytecodeCache | None:
    """Compiled templates in the user's cache folder: compiling costs more than rendering.

    Jinja checks each entry against the template's source, so an edited template
    is compiled again; the folder name holds the versions of skm and Jinja and the
    kind, because the environment's settings shape the compiled code. Without a
    writable cache folder, templates are simply compiled every time.
    """
    from skolemiljo import __version__

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    # "sandbox": the sandbox compiles calls differently; never load code compiled without it.
    folder = Path(base) / "skm" / f"jinja-{__version__}-{jinja2.__version__}-sandbox-{kind}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return _QuietBytecodeCache(str(folder))


class _NoSymlinkLoader(jinja2.FileSystemLoader):
    """``FileSystemLoader`` that will not load a template through a symlink (file or folder)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        for folder in self.searchpath:
            if filename.startswith(folder.rstrip(os.sep) + os.sep):
                current = Path(folder)
                for part in Path(filename).relative_to(folder).parts:
                    current = current / part
                    if current.is_symlink():
                        raise TemplateProblem(
                            f"Malen {template} er en symbolsk lenke; skm bruker bare maler som ligger i "
                            "malmappen selv.", hint="Legg selve malfila i templates/ i stedet for lenken.")
                break
        return source, filename, uptodate


@cache
def _environment(paths: tuple[Path, ...], kind: str) -> jinja2.Environment:
    loader = _NoSymlinkLoader([str(p) for p in paths], encoding="utf-8")
    common: dict[str, Any] = dict(loader=loader, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                  lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                                  bytecode_cache=_bytecode_cache(kind))
    sandbox = jinja2.sandbox.ImmutableSandboxedEnvironment
    if kind == "html":
        env = sandbox(autoescape=jinja2.select_autoescape(("html", "htm", "xml"), default_for_string=True),
                      finalize=_finalize_html, **common)
    else:
        env = sandbox(autoescape=True, finalize=_finalize_md, **common)
        env.filters["cell"] = md_cell
        env.filters["md"] = lambda value: Markup(md_escape(value)) if value is not None else Markup("")
    return env


def environment(repo_root: Path | None, kind: str) -> jinja2.Environment:
    return _environment(tuple(search_path(repo_root)), kind)


def render(repo_root: Path | None, document: str, kind: str, context: dict[str, Any]) -> str:
    """Render ``<document>.<kind>`` with ``context``.

    A mistake in a school's own template becomes a Norwegian error naming the
    file and line; a mistake in skm's packaged templates is a bug and is raised.
    """
    paths = search_path(repo_root)
    env = _environment(tuple(paths), kind)
    own = paths[0] if len(paths) > 1 else None
    try:
        text = env.get_template(f"{document}.{kind}").render(context)
        return _BLANK_RUNS.sub("\n\n", text) if kind == "md" else text
    except jinja2.TemplateError as error:
        where = _template_location(error, sys.exc_info()[2])
        if own is not None and where is not None and _inside(Path(where[0]), own):
            file = Path(where[0]).relative_to(own.parent).as_posix()
            if isinstance(error, jinja2.sandbox.SecurityError):
                raise TemplateProblem(
                    f"Malen {file} prøver på linje {where[1]} å bruke noe maler ikke har lov til (skjulte "
                    "attributter, Python-moduler eller å endre saken); skm kjører ikke kode fra maler, og ingen "
                    "dokumenter er laget.",
                    hint=f"Fjern det fra malen, eller fjern {file} for å bruke skm sin standardmal. Kom malen "
                    "med `skm sync`, si fra til den som har ansvaret for det sentrale saksarkivet.",
                ) from None
            raise TemplateProblem(
                f"Malen {file} har en feil på linje {where[1]}: {error.message or error}",
                hint=f"Rett malen, eller fjern {file} for å bruke skm sin standardmal.",
            ) from None
        raise


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except ValueError:
        return False
    return True


def _template_location(error: jinja2.TemplateError, tb: Any) -> tuple[str, int] | None:
    """The template file and line where ``error`` happened (innermost template frame)."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return error.filename, error.lineno
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".md", ".css")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
