"""Transcripts (as pandoc's test/command/*.md): each file of tests/transcripts/ is one small
irregular project — its files as fenced blocks — and the exact output and exit code of a
command run in it. One per diagnostic code a source can trigger; the file's name starts with the
code, and the output must show it. `pytest --update-golden` rewrites the outputs (read the diff).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_fadian

FOLDER = Path(__file__).resolve().parent.parent / "transcripts"
FILE_BLOCK = re.compile(r"^```(text|bytes) path=(\S+)\n(.*?)^```$", re.M | re.S)
CONSOLE = re.compile(r"^```console\n\$ fadian (.*?)\n(.*?)^```$", re.M | re.S)
ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\([nrt\\])")


def unescaped(text: str) -> bytes:
    """A ``bytes`` block: UTF-8 text with \\xNN (a byte), \\uNNNN (a character), \\n, \\r, \\t."""
    out = bytearray()
    at = 0
    for m in ESCAPE.finditer(text):
        out += text[at : m.start()].encode("utf-8")
        if m.group(1):
            out.append(int(m.group(1), 16))
        elif m.group(2):
            out += chr(int(m.group(2), 16)).encode("utf-8")
        else:
            out += {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\"}[m.group(3)]
        at = m.end()
    out += text[at:].rstrip("\n").encode("utf-8")
    return bytes(out)


def run_transcript(path: Path, tmp: Path) -> tuple[str, str]:
    """The expected console block of ``path`` and the one the command gives now."""
    text = path.read_text("utf-8")
    for kind, rel, body in FILE_BLOCK.findall(text):
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(unescaped(body) if kind == "bytes" else body.encode("utf-8"))
    (tmp / "sources" / "documents").mkdir(parents=True, exist_ok=True)
    console = CONSOLE.search(text)
    assert console is not None, f"{path.name} has no ```console block"
    args, expected = console.group(1), console.group(2)
    done = run_fadian(*args.split(), cwd=tmp)
    shown = (done.stdout + done.stderr).decode("utf-8")
    actual = "".join(line.rstrip() + "\n" for line in shown.splitlines()) + f"[exit {done.returncode}]\n"
    return expected, actual


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.md")), ids=lambda p: p.stem)
def test_a_transcript_gives_its_output(path, tmp_path, request):
    expected, actual = run_transcript(path, tmp_path)
    if request.config.getoption("--update-golden"):
        text = path.read_text("utf-8")
        console = CONSOLE.search(text)
        assert console is not None
        path.write_text(text[: console.start(2)] + actual + text[console.end(2) :], "utf-8")
        expected = actual
    code = path.name.split("-", 1)[0]
    assert f"[{code}]" in actual, f"{path.name} does not give {code}"
    assert "Traceback" not in actual
    assert actual == expected


def test_there_is_a_transcript_for_each_code_a_source_can_give():
    """The codes a project's sources can trigger, each with its transcript (the others come from
    the machine, git, the command line or an instrument applied with `fadian apply`)."""
    have = {p.name.split("-", 1)[0] for p in FOLDER.glob("*.md")}
    from_sources = {
        "F101", "F102", "F103", "F104", "F105", "F107", "F109",
        "F201", "F202", "F203", "F204", "F205", "F206", "F207", "F208",
        "F301", "F302", "F303", "F304", "F305", "F306", "F308", "F311", "F312",
        "F320", "F401", "F609", "F701", "F703",
    }  # fmt: skip
    assert from_sources <= have
    assert unescaped("a\\x07\\u200bb\\n") == b"a\x07\xe2\x80\x8bb\n"
