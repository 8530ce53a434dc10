"""What a text field may hold: no line breaks in a one-line field, no control characters anywhere.

A line break in a school's name becomes a new line in an iCalendar file (a forged event) or a
forged row in a terminal table; a control character (an ESC sequence) rewrites the terminal.
Settings files that arrive through ``skm sync`` (``skole.yaml``, ``calendar.yaml``) are
refused when a field breaks this rule, with the field's line.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from skolemiljo.errors import UsageError

__all__ = ["checked_text", "for_terminal", "json_for_terminal", "text_problem"]

# What str.splitlines() breaks on: \n, \r, \v, \f, \x1c–\x1e, NEL, LINE and PARAGRAPH SEPARATOR.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 and C1 control characters and DEL (Unicode category Cc).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # \t and \n allowed


#: The same rules as JSON Schema ``pattern``s (``schemas/case.schema.json``), so ``skm edit`` and
#: ``skm check`` refuse what the commands and the web forms refuse.
ONE_LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot stand in a text field (Norwegian), or None when it can.

    A one-line field (a name, a title) may hold no line break and no control character; a
    multi-line field (``multiline=True``) may hold line breaks (``\\n``) and tabs, nothing else.
    """
    if multiline:
        found = _CONTROL_IN_TEXT.search(value)
        if found is None:
            return None
        return f"har et kontrolltegn ({_codepoint(found.group())}); fjern det"
    if _LINE_BREAK.search(value):
        return "kan ikke ha linjeskift (feltet står på én linje)"
    found = _CONTROL.search(value)
    if found is not None:
        return f"har et kontrolltegn ({_codepoint(found.group())}); fjern det"
    return None


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def checked_text(value: Any, option: str, *, multiline: bool = True, required: bool = True) -> str | None:
    """``value`` stripped, as a field may hold it; ``UsageError`` (exit 2, nothing changed) when it
    is empty (``required``) or breaks ``text_problem``. The one input rule of the command line and
    the web forms (both go through the services). The value is never echoed (it may be a name).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise UsageError(f"{option} kan ikke være tom.")
        return None
    if not isinstance(value, str):
        raise UsageError(f"{option} må være tekst.")
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise UsageError(f"{option} {problem}.")
    return value.strip()


# What may never reach a terminal raw: C0/C1 controls and DEL (escape sequences, a newline that
# forges a row), format characters (bidi overrides that reorder a line), line/paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(value: Any, *, multiline: bool = False) -> str:
    """``value`` as text that cannot steer a terminal: every control, format or separator character
    shown as its escape (``\\x1b``, ``\\u202e``); ``multiline`` keeps newlines and tabs.

    The one function for printing case text, ids read from files, git authors and subjects.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the common case, in C
        return text
    keep = "\n\t" if multiline else ""
    return "".join(char if char.isprintable() or char == " " or char in keep
                   or unicodedata.category(char) not in _UNSAFE_CATEGORIES else _escaped(char) for char in text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def json_for_terminal(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)`` with the characters JSON leaves raw that a
    terminal acts on (C1 controls, bidi and separators) written as ``\\uXXXX``: still the same JSON."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
