"""``skm serve`` on the command line: refusals before anything listens, and a web stack that no
other command imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import skolemiljo
from conftest import make_case, stderr_lines

WEB_STACK = ("flask", "werkzeug", "waitress", "skolemiljo.web")


def _imported(args: list[str], cwd: Path) -> set[str]:
    """Every module the real ``skm ARGS`` imports (``python -X importtime``)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(skolemiljo.__file__).resolve().parents[1]),
                                         *filter(None, [env.get("PYTHONPATH")])])
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "from skolemiljo.cli import main; main()",
                             *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert "skolemiljo.cli" in names
    return names


@pytest.mark.parametrize("args", [["--help"], ["list"], ["status"], ["show", "2026-0001"]])
def test_no_other_command_imports_the_web_stack(case_repo: Path, args: list[str]) -> None:
    make_case(case_repo)
    names = _imported(args, case_repo)
    for module in WEB_STACK:
        assert not any(name == module or name.startswith(module + ".") for name in names), (args, module)


def test_help_lists_serve_and_teaches_it(skm, case_repo: Path) -> None:
    assert "serve" in skm("--help", cwd=case_repo).stdout
    result = skm("serve", "--help", cwd=case_repo)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for part in ("Vis saksarkivet i nettleseren", "--port", "--host", "--open", "--proxy", "--proxy-epost",
                 "--proxy-navn", "--tillat-vert", "127.0.0.1"):
        assert part in text


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "::"])
def test_a_shared_host_without_a_proxy_is_refused_before_anything_listens(skm, case_repo: Path, host: str) -> None:
    result = skm("serve", "--host", host, "--port", "0", cwd=case_repo)
    assert result.exit_code == 2
    assert stderr_lines(result) == [
        f"Feil: skm serve vil ikke lytte på {host} uten innlogging: sakene gjelder barn og er unntatt offentlighet.",
        "Tips: På denne maskinen: la --host være (127.0.0.1). På en delt tjener: sett en innloggende proxy foran "
        "skm og oppgi adressen dens med --proxy (se README, «Nettleser»).",
    ]
    assert result.stdout == ""


def test_a_proxy_that_is_no_address_is_refused(skm, case_repo: Path) -> None:
    result = skm("serve", "--host", "0.0.0.0", "--proxy", "proxy.fylke.example", cwd=case_repo)
    assert result.exit_code == 2
    assert stderr_lines(result) == ["Feil: --proxy «proxy.fylke.example» er ingen IP-adresse (for eksempel 127.0.0.1)."]


def test_without_anyone_to_record_as_author_it_does_not_start(skm, tmp_path: Path) -> None:
    from conftest import make_repo

    repo = make_repo(tmp_path / "saker", configure_author=False)
    result = skm("serve", "--port", "0", cwd=repo)
    assert result.exit_code == 2
    assert stderr_lines(result)[0] == "Feil: Vet ikke hvem som gjør endringen: skm må føre det i historikken."


def test_without_the_web_extra_it_says_how_to_install_it(skm, case_repo: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "flask", None)
    result = skm("serve", cwd=case_repo)
    assert result.exit_code == 2
    assert stderr_lines(result) == [
        "Feil: skm serve trenger tilleggspakken for nettleseren (mangler flask).",
        'Tips: Installer den med `pip install "skolemiljo[web]"` (eller pipx: `pipx install "skolemiljo[web]"`).',
    ]


def test_a_port_in_use_is_a_clear_refusal(skm, case_repo: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = skm("serve", "--port", str(port), cwd=case_repo)
    assert result.exit_code == 2
    assert stderr_lines(result)[0].startswith(f"Feil: Kan ikke lytte på 127.0.0.1:{port}: ")
    assert stderr_lines(result)[1] == "Tips: Velg en annen port med --port."
