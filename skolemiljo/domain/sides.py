"""The two sides of a sync: this user's unpushed work and the others' work in the central repository.

A module of its own, so the command line names them without importing the merge.
"""

from __future__ import annotations

LOCAL = "lokal"
CENTRAL = "sentral"
SIDES = (LOCAL, CENTRAL)
