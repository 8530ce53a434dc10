"""The process gateway for programs other than git: one place that starts them, with a clean
environment, never through a shell.

``skm archive`` hands each package to the county's own sending program (a Fiks IO client, an
integration platform) named in ``skole.yaml``. That program gets only what it needs: an argument
list (no shell, so nothing in a path or a setting is ever interpreted), the variables a program
needs to run (``PATH``, ``HOME``, the locale, the temp folder, proxy settings), and no lock file
descriptors. git has its own gateway (``storage.git``).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from skolemiljo.domain.text import for_terminal
from skolemiljo.errors import ProgramError

# What a program may need from skm's environment; everything else (GIT_*, SKM_*, tokens) stays out.
_KEPT = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SYSTEMROOT",
         "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
         "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE")


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a program is started with."""
    env = {name: os.environ[name] for name in _KEPT if name in os.environ}
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class ProgramResult:
    returncode: int


def run_program(argv: Sequence[str], *, cwd: Path, timeout: float | None = None,
                extra_env: dict[str, str] | None = None) -> ProgramResult:
    """Run ``argv`` in ``cwd`` and wait. Its output goes to skm's standard error (skm's standard
    output carries only paths), its standard input is closed.

    A program that cannot be started or runs past ``timeout`` seconds is a ``ProgramError``.
    """
    if not argv:
        raise ProgramError("Ingen kommando å kjøre.")
    name = for_terminal(argv[0])
    try:
        completed = subprocess.run(list(argv), cwd=cwd, env=clean_environment(extra_env), stdin=subprocess.DEVNULL,
                                   stdout=2, stderr=2, timeout=timeout, check=False, close_fds=True)
    except FileNotFoundError:
        raise ProgramError(f"Fant ikke programmet «{name}».",
                           hint="Kontroller at programmet er installert og ligger i PATH.") from None
    except PermissionError:
        raise ProgramError(f"Programmet «{name}» kan ikke kjøres (mangler kjøretillatelse).") from None
    except subprocess.TimeoutExpired:
        raise ProgramError(f"Programmet «{name}» ble ikke ferdig innen {timeout:g} sekunder og ble stoppet.") \
            from None
    except OSError as error:
        raise ProgramError(f"Programmet «{name}» kunne ikke startes: {error.strerror}.") from None
    return ProgramResult(completed.returncode)
