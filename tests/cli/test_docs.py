"""The README is the user's manual: every command is documented there, and the
Norwegian framework texts are in place."""

from __future__ import annotations

from pathlib import Path

import typer.main

from typer.testing import CliRunner

from skolemiljo.cli.app import app, app_for, command_named

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "skm") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            names.extend(_commands(command, f"{prefix} {name}"))
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_command_is_documented_in_the_readme() -> None:
    commands = _commands(typer.main.get_command(app))
    assert "skm advance" in commands and "skm tiltak add" in commands
    missing = [name for name in commands if f"`{name}" not in README and f"### {name}" not in README]
    assert missing == []


def test_every_command_has_norwegian_help(skm) -> None:
    for name in _commands(typer.main.get_command(app)):
        result = skm(*name.split()[1:], "--help")
        assert result.exit_code == 0, name
        assert "Bruk: " in result.stdout and "Vis denne hjelpeteksten og avslutt." in result.stdout, name
        assert "Show this message" not in result.stdout


def test_usage_errors_are_norwegian_with_exit_2(skm, case_repo) -> None:
    result = skm("show", "--finnes-ikke", cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Feil: Ukjent valg: --finnes-ikke."
    result = skm("advance", "2026-0001", "--to", "ferdig", cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Feil: Ugyldig verdi for --to: «ferdig». Velg en av 'mottatt', 'undersokes', 'tiltak', 'avsluttet'.")
    result = skm("advance", cwd=case_repo)
    assert result.exit_code == 2 and result.stderr.splitlines()[-1] == "Feil: Mangler argumentet SAKSNR."
    result = skm("finnes-ikke", cwd=case_repo)
    assert result.exit_code == 2 and result.stderr.splitlines()[-1] == "Feil: Ukjent kommando 'finnes-ikke'."


def test_the_slim_app_of_one_command_answers_as_the_whole_app() -> None:
    """``skm`` builds only the command it runs (start-up time); help and errors stay the same."""
    runner = CliRunner()
    for name in _commands(typer.main.get_command(app)):
        for args in ([*name.split()[1:], "--help"], [*name.split()[1:], "--finnes-ikke"]):
            slim = app_for(args)
            assert slim is not app and len(slim.registered_commands) + len(slim.registered_groups) == 1, name
            whole = runner.invoke(app, args)
            alone = runner.invoke(slim, args)
            assert (alone.exit_code, alone.stdout, alone.stderr) == (whole.exit_code, whole.stdout, whole.stderr)
    for args in (["--help"], [], ["--version"], ["finnes-ikke"], ["-C"], ["-h", "show"]):
        assert app_for(args) is app, args


def test_command_named_skips_the_global_options() -> None:
    assert command_named(["-C", "saker", "show", "2026-0007"]) == "show"
    assert command_named(["--katalog", "saker", "tiltak", "add"]) == "tiltak"
    assert command_named(["--katalog=saker", "list"]) == "list"
    assert command_named(["-Csaker", "list"]) == "list"
    assert command_named(["--version"]) is None
    assert command_named(["-C", "saker"]) is None


def test_a_misspelt_option_is_named_in_norwegian_with_the_options_it_resembles(skm, case_repo) -> None:
    result = skm("list", "--navnn", cwd=case_repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Feil: Ukjent valg: --navnn. Ligner på: --navn."
