"""Build a commit's tree with one file changed, without an index.

``git read-tree`` + ``update-index`` + ``write-tree`` on a private index rewrite an index
of every file in the repository; with 10,000 cases that is most of a commit's time.
Only the trees on the changed file's path need to change, so skm reads those few trees
through one ``git cat-file --batch`` (the gateway's ``ObjectReader``), edits them in memory and writes the new ones with
``git hash-object -t tree`` (which checks each tree before writing it). Untouched
subtrees are kept by id, so the cost does not grow with the number of cases.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from skolemiljo.errors import GitError
from skolemiljo.storage.git import ObjectReader, run_git

TREE_MODE = b"40000"
FILE_MODE = b"100644"
EXECUTABLE_MODE = b"100755"
SYMLINK_MODE = b"120000"
SUBMODULE_MODE = b"160000"


@dataclass(frozen=True)
class Slot:
    """Where ``name`` is, or belongs, in a raw tree (``<mode> <name>\\0<oid>`` per entry, sorted)."""

    start: int
    end: int  # == start when the name is not there
    mode: bytes | None = None
    oid: bytes | None = None


def find_slot(raw: bytes, name: bytes, oid_size: int, *, folder: bool) -> Slot:
    """Find ``name`` (a file or a folder) in a raw tree object, walking its entries in place.

    git sorts a tree by name, comparing a folder's name as if it ended in ``/``. When
    ``name`` is not there, the slot is where a new entry of that kind (``folder`` or not)
    belongs; the walk stops at the first entry that sorts after both kinds.
    """
    position = 0
    size = len(raw)
    as_folder = name + b"/"
    insert_file = None
    while position < size:
        nul = raw.find(b"\0", position)
        space = raw.find(b" ", position, nul)
        end = nul + 1 + oid_size
        if nul < 0 or space < 0 or end > size:
            raise GitError("Et git-tre er ødelagt (avkortet oppføring).")
        entry_name = raw[space + 1:nul]
        if entry_name == name:
            return Slot(position, end, raw[position:space], raw[nul + 1:end])
        key = entry_name + b"/" if raw[position:space] == TREE_MODE else entry_name
        if insert_file is None and key > name:
            insert_file = position
        if key > as_folder:
            break
        position = end
    insert = position if folder or insert_file is None else insert_file
    return Slot(insert, insert)


def splice(raw: bytes, slot: Slot, mode: bytes, name: bytes, oid: bytes) -> bytes:
    """``raw`` with the entry at ``slot`` set to ``mode name oid``."""
    return raw[:slot.start] + mode + b" " + name + b"\0" + oid + raw[slot.end:]


def object_id(kind: str, body: bytes, algorithm: str) -> str:
    """The id git gives an object of ``kind`` with ``body``."""
    digest = hashlib.new(algorithm)
    digest.update(f"{kind} {len(body)}\0".encode())
    digest.update(body)
    return digest.hexdigest()


@dataclass
class TreeEdit:
    """The new root tree, the commit it was made from, and what the edited paths held there."""

    tree: str
    head: str | None  # None: the branch has no commit yet
    old_blobs: dict[str, str | None]


def edit_tree(cwd: Path, changes: dict[str, str], algorithm: str, *, base: str = "HEAD",
              env: dict[str, str] | None = None) -> TreeEdit:
    """The tree of commit ``base`` with each ``path -> blob id`` of ``changes`` set.

    A ``base`` that does not exist yet (a new repository) counts as an empty tree.
    Missing folders are created; a file keeps its executable bit. The new trees are
    written to the object database; nothing else changes.
    """
    oid_size = hashlib.new(algorithm).digest_size
    new_trees: dict[str, bytes] = {}  # trees made here, written at the end
    old_blobs: dict[str, str | None] = {}
    with ObjectReader(cwd, env) as reader:

        def load(oid_hex: str | None) -> bytes:
            if oid_hex is None:
                return b""
            if oid_hex in new_trees:
                return new_trees[oid_hex]
            found = reader.read(oid_hex)
            if found is None or found[1] != "tree":
                raise GitError(f"Fant ikke git-treet {oid_hex[:8]}.")
            return found[2]

        def edit(tree_id: str | None, parts: list[bytes], blob: bytes, path: str) -> bytes:
            """Set the file at ``parts`` below ``tree_id``; the raw id of the new tree."""
            raw = load(tree_id)
            name = parts[0]
            slot = find_slot(raw, name, oid_size, folder=len(parts) > 1)
            is_folder = slot.mode == TREE_MODE
            if len(parts) == 1:
                if is_folder or slot.mode in (SYMLINK_MODE, SUBMODULE_MODE):
                    raise GitError(f"{path} er ikke en vanlig fil i git.")
                old_blobs[path] = slot.oid.hex() if slot.oid is not None else None
                body = splice(raw, slot, EXECUTABLE_MODE if slot.mode == EXECUTABLE_MODE else FILE_MODE, name, blob)
            else:
                if slot.mode is not None and not is_folder:
                    raise GitError(f"{path}: {name.decode('utf-8', 'replace')} er en fil i git, ikke en mappe.")
                sub = edit(slot.oid.hex() if slot.oid is not None else None, parts[1:], blob, path)
                body = splice(raw, slot, TREE_MODE, name, sub)
            new_id = object_id("tree", body, algorithm)
            new_trees[new_id] = body
            return bytes.fromhex(new_id)

        tree: str | None = None
        head: str | None = None
        commit = reader.read(f"{base}^{{commit}}")
        if commit is not None:
            head = commit[0]
            tree = commit[2].split(b"\n", 1)[0].split(b" ")[1].decode()
        for path, blob in changes.items():
            tree = edit(tree, path.encode("utf-8").split(b"/"), bytes.fromhex(blob), path).hex()
    if tree is None:  # no changes and no commit: the empty tree
        tree = object_id("tree", b"", algorithm)
        new_trees[tree] = b""
    _write_trees(cwd, new_trees, env)
    return TreeEdit(tree, head, old_blobs)


def _write_trees(cwd: Path, trees: dict[str, bytes], env: dict[str, str] | None) -> None:
    """Write tree objects with ``git hash-object -t tree`` (git checks each) and check their ids."""
    for oid, body in trees.items():
        result = run_git(cwd, ("hash-object", "-t", "tree", "-w", "--stdin"), env, body)
        if result.returncode != 0 or result.stdout.decode().strip() != oid:
            raise GitError("git kunne ikke skrive et nytt tre: "
                           + (result.stderr.decode("utf-8", "replace").strip() or "uventet objekt-id"))
