"""The error catalogue: one reproducer per check id and per refusal, with its exact output.

Each entry is one YAML file in ``tests/catalogue/entries/``:

```yaml
id: varsling-rektor-frist          # unique, the file's name
kind: check | refusal | rule       # a check id, an exception class (exit 1), or a status rule
covers: [varsling-rektor-frist]    # check ids / error class names / guard keys / rule ids shown here
description: Rektor er ikke varslet innen fristen.   # Norwegian, one line: what the reproducer shows
fix: Registrer varselet med `skm notify SAKSNR rektor`.   # Norwegian: how to put it right
setup:                             # steps, in order, in a fresh case repository ``saker``
  - case: {status: mottatt, unset: [varsling.rektor], set: {melding.mottatt: 2026-11-18}}
run: [check, varsling-rektor-frist]
exit: 1
stdout: [...]                      # exact lines (written by SKM_UPDATE_CATALOGUE=1)
stderr: [...]
```

Setup steps (each a one-key mapping; ``in: FOLDER`` runs it in another folder of the test's
temporary directory, default ``saker``):

- ``case``: a complete case (``case_fixtures.complete_case``: ``status``, ``sakstype``,
  ``alvorlig``), changed by ``set`` (dotted path → value; list items by index) and ``unset``
  (dotted paths), committed the way skm commits (``file`` names another file name);
- ``register``: a new case through the real API (``conftest.make_case`` fields);
- ``skm``: a command that must succeed; ``git``: a plain git command (fixed test author);
- ``write`` / ``append``: ``{path, text}`` into a file (relative to the folder);
- ``remove``: a path (file or folder, relative to the folder) that is deleted;
- ``central``: a bare central repository ``sentral.git`` cloned from this one, as ``origin``;
- ``clone``: ``{name}``: another clone of ``sentral.git`` (a colleague) with the test author.

Entry-level ``lock: true`` holds the writer lock while the command runs; ``missing_modules``
names Python modules that cannot be imported (as when a package is not installed); ``editor`` is a list of
``[regex, replacement]`` the test editor applies (``conftest.Editor``); ``run_in`` the folder the
command runs in; ``input`` its stdin; ``env`` extra variables.

Output is normalised before it is compared: the temporary folder becomes ``<tmp>``, a commit id
(7–40 hex digits) ``<commit>``. ``SKM_UPDATE_CATALOGUE=1 pytest tests/catalogue`` rewrites the
``exit``, ``stdout`` and ``stderr`` of every entry from what skm prints now (review the diff);
``python tests/catalogue/catalogue_lib.py`` then rewrites ``docs/errors.md`` (a test checks it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ENTRIES = HERE / "entries"
ROOT = HERE.parents[1]
DOC = ROOT / "docs" / "errors.md"
KINDS = ("check", "refusal", "rule")
FIELDS = ("id", "kind", "covers", "description", "fix", "setup", "lock", "editor", "missing_modules", "env", "run_in", "run", "input",
          "exit", "stdout", "stderr")
UPDATE = os.environ.get("SKM_UPDATE_CATALOGUE") == "1"


# ------------------------------------------------------------------ the YAML files

class _Loader(yaml.SafeLoader):
    """Dates stay text (``2026-10-30``), as in a case file skm reads."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(yaml.SafeDumper):
    pass


class _Lines(list):
    """Output lines: one per row of the file, never wrapped."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Lines, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", list(value), flow_style=False))


def load_entries() -> list[dict[str, Any]]:
    entries = []
    for path in sorted(ENTRIES.glob("*.yaml")):
        entry = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        entry["_path"] = path
        entries.append(entry)
    return entries


def dump(entry: dict[str, Any]) -> str:
    ordered = {key: _Lines(entry[key]) if key in ("stdout", "stderr") else entry[key]
               for key in FIELDS if key in entry}
    unknown = set(entry) - set(FIELDS) - {"_path"}
    if unknown:
        raise ValueError(f"{entry.get('id')}: unknown fields {sorted(unknown)}")
    return yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                     default_flow_style=None)


def save(entry: dict[str, Any]) -> None:
    entry["_path"].write_text(dump(entry), encoding="utf-8")


# -------------------------------------------------------------------- normalising

_COMMIT = re.compile(r"\b[0-9a-f]{7,40}\b")


def normalise(text: str, tmp: Path) -> list[str]:
    for root in {str(tmp), str(tmp.resolve())}:
        text = text.replace(root, "<tmp>")
    text = _COMMIT.sub("<commit>", text)
    return text.splitlines()


# ------------------------------------------------------------------------ the doc

_KIND_TITLE = {
    "check": "Kontroller i `skm check`",
    "refusal": "Avvisninger og feil (utgangskode 1)",
    "rule": "Det statusen krever (`skm advance`, `skm close`, `skm reopen`)",
}


def _command(entry: dict[str, Any]) -> str:
    import shlex

    return "skm " + " ".join(shlex.quote(str(a)) for a in entry["run"])


def render_doc(entries: list[dict[str, Any]]) -> str:
    lines = [
        "# Feilkatalogen: hver kontroll og hver avvisning",
        "",
        "<!-- Generert fra tests/catalogue/entries/*.yaml av `python tests/catalogue/catalogue_lib.py`;",
        "     ikke rediger for hånd (tests/catalogue/test_catalogue.py sjekker at fila er oppdatert). -->",
        "",
        "Hver oppføring er et eksempel testene kjører: kommandoen, utgangskoden og nøyaktig det skm skriver",
        "(`<tmp>` er mappen saksarkivet ligger i, `<commit>` en commit-id). Kontrollene er beskrevet med",
        "lovhjemmel i [checks.md](checks.md); her står meldingene slik de ser ut. Utgangskoder: `0` ok,",
        "`1` avvist eller ugyldig, `2` feil bruk, `3` intern feil (se README).",
        "",
    ]
    for kind in KINDS:
        chosen = [e for e in entries if e["kind"] == kind]
        if not chosen:
            continue
        lines += [f"## {_KIND_TITLE[kind]}", ""]
        for entry in chosen:
            lines += [f"### `{entry['id']}`", ""]
            lines += [f"{entry['description']}", ""]
            lines += [f"**Gjelder:** {', '.join(f'`{c}`' for c in entry['covers'])} · "
                      f"**Utgangskode:** {entry.get('exit')}", ""]
            lines += ["```console", f"$ {_command(entry)}"]
            lines += [*(entry.get("stdout") or []), *(entry.get("stderr") or [])]
            lines += ["```", ""]
            lines += [f"**Slik retter du:** {entry['fix']}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    DOC.write_text(render_doc(load_entries()), encoding="utf-8")
    print(f"Skrev {DOC.relative_to(ROOT)}")
