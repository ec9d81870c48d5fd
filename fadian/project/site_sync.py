"""An old generation's site brought up to date as the next build's copy of the published one:
``python -m fadian.project.site_sync SOURCE TARGET`` makes TARGET a tree of hard links to
SOURCE's files, touching only what differs.

A build starts from a copy of the published site made of hard links (project/site_stage). Made
anew (`cp -al`), that is a folder a text and several links, and the generation it replaces is
deleted later (as many unlinks): where making a folder costs hundreds of microseconds, seconds of
the other core, and the disk's journal shared with the build itself. An old site
differs from the published one only in what the builds since changed: walking both (a folder's
listing gives each file's inode, no stat) and relinking what differs costs reads, not writes.

Files are compared by inode (a hard link to the same file is the same bytes: generations are
never written after they are published). Exit status 0 only when TARGET is whole.
"""

from __future__ import annotations

import os
import shutil
import sys


def mirror(source: str, target: str) -> None:
    """Make ``target`` hold exactly ``source``'s names: each file a hard link to ``source``'s,
    each folder mirrored in turn, each symlink as it is; what else ``target`` holds is removed."""
    with os.scandir(source) as it:
        wanted = {e.name: e for e in it}
    try:
        with os.scandir(target) as it:
            present = {e.name: e for e in it}
    except FileNotFoundError:
        os.mkdir(target)
        present = {}
    for name, old in present.items():
        new = wanted.get(name)
        if new is None or _kind(new) != _kind(old):
            _remove(old)
            present[name] = None  # type: ignore[assignment]
    for name, new in wanted.items():
        path = os.path.join(target, name)
        old = present.get(name)
        kind = _kind(new)
        if kind == "dir":
            mirror(new.path, path)
        elif kind == "link":
            if old is None or os.readlink(old.path) != os.readlink(new.path):
                if old is not None:
                    os.unlink(path)
                os.symlink(os.readlink(new.path), path)
        elif old is None or old.inode() != new.inode():
            if old is not None:
                os.unlink(path)
            os.link(new.path, path)


def _kind(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return "link"
    return "dir" if entry.is_dir(follow_symlinks=False) else "file"


def _remove(entry: os.DirEntry) -> None:
    if _kind(entry) == "dir":
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m fadian.project.site_sync SOURCE TARGET", file=sys.stderr)
        return 2
    try:
        mirror(argv[0], argv[1])
    except OSError as exc:  # (a build then links the published site itself)
        print(f"site_sync: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
