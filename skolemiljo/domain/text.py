"""What a text field may hold: no line breaks in a one-line field, no control characters anywhere.

A line break in a school's name becomes a new line in an iCalendar file (a forged event) or a
forged row in a terminal table; a control character (an ESC sequence) rewrites the terminal.
Settings files that arrive through ``skm sync`` (``skole.yaml``, ``calendar.yaml``) are
refused when a field breaks this rule, with the field's line.
"""

from __future__ import annotations

import re

__all__ = ["text_problem"]

# What str.splitlines() breaks on: \n, \r, \v, \f, \x1c–\x1e, NEL, LINE and PARAGRAPH SEPARATOR.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 and C1 control characters and DEL (Unicode category Cc).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # \t and \n allowed


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
