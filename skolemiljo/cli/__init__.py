"""The ``skm`` command line (Typer): parse arguments, prompt, print; the work is in ``services``.

Importing this package registers every command on ``app``.
"""

from skolemiljo.cli import archive as _archive  # noqa: F401  (skm archive)
from skolemiljo.cli import cases as _cases  # noqa: F401  (registers init, new-case, edit, show, list, …)
from skolemiljo.cli import check as _check  # noqa: F401  (skm check)
from skolemiljo.cli import intake as _intake  # noqa: F401  (skm parents, contact, meeting)
from skolemiljo.cli import overview as _overview  # noqa: F401  (skm status, skm calendar)
from skolemiljo.cli import render as _render  # noqa: F401  (skm render)
from skolemiljo.cli import serve as _serve  # noqa: F401  (skm serve)
from skolemiljo.cli import sync as _sync  # noqa: F401  (skm sync)
from skolemiljo.cli import workflow as _workflow  # noqa: F401  (advance, notify, …)
from skolemiljo.cli.app import app, app_for, command_named, main

__all__ = ["app", "app_for", "command_named", "main"]
