"""`fadian cite-check`: the citations of a text a reader brings, judged on a date against a
built site by the build's own citation engine — right, 无此条, 未收录, a later change — in both
numeral styles, with 款 and lists; exit 1 when one is wrong; the MCP tool says the same."""

from __future__ import annotations

import json

import anyio
from mcp import Client

from fadian.access.mcp_server import make_server

from conftest import run_fadian

BRIEF = (
    "依照刑法第一百六十五条、第一百六十六条的规定，\n"
    "参照《中华人民共和国刑法》第165条第二款和第九百条，以及《某某管理法》第三条。\n"
)


def cite_check(root, *args: str, text: str = BRIEF) -> tuple[int, str, str]:
    (root.parent / "brief.txt").write_text(text, "utf-8")
    done = run_fadian("cite-check", str(root.parent / "brief.txt"), "--root", str(root), *args)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def verdicts(out: str) -> list[tuple[str, str]]:
    return [(c["text"], c["verdict"]) for c in json.loads(out)["citations"]]


def test_before_the_amendment_took_effect(criminal_project):
    code, out, err = cite_check(criminal_project, "--as-of", "2023-06-01", "--json")
    assert code == 1, err  # 第九百条 is wrong
    answer = json.loads(out)
    assert verdicts(out) == [
        ("刑法第一百六十五条", "ok"),
        ("第一百六十六条", "ok"),  # the list goes on citing 刑法, not the brief itself
        ("《中华人民共和国刑法》第165条第二款", "missing"),  # the 2020 article has one 款
        ("第九百条", "missing"),
        ("《某某管理法》第三条", "uncollected"),
    ]
    first = answer["citations"][0]
    assert first["version"]["date"] == "2020-12-26" and first["status_on_date"] == "现行有效"
    assert first["changed_later"] == [
        {"version": "v2", "from": "2024-03-01", "change": "修改", "compare": "history/criminal-law/compare-v1-v2/#art_165"}
    ]
    assert first["cite"].endswith("zho@2020-12-26/~art_165")


def test_after_the_amendment_took_effect(criminal_project):
    code, out, _err = cite_check(criminal_project, "--as-of", "2024-06-01", "--json")
    assert code == 1
    found = dict(verdicts(out))
    assert found["《中华人民共和国刑法》第165条第二款"] == "ok"  # the 款 修正案（十二） added
    first = json.loads(out)["citations"][0]
    assert first["version"]["date"] == "2023-12-29" and "changed_later" not in first


def test_a_right_text_passes_and_the_lines_read_like_a_compiler(criminal_project):
    code, out, err = cite_check(criminal_project, "--as-of", "2024-06-01", text="见刑法第一百六十五条第二款。\n")
    assert code == 0, out + err
    assert out.startswith(f"{criminal_project.parent / 'brief.txt'}:1:2: 正确: 刑法第一百六十五条第二款")
    assert "1 citation(s), 0 wrong" in err


def test_bad_input_is_a_clear_error(criminal_project, tmp_path):
    done = run_fadian("cite-check", str(tmp_path / "none.txt"), "--root", str(criminal_project))
    assert done.returncode == 1 and b"error[F603]" in done.stderr and b"Traceback" not in done.stderr
    done = run_fadian("cite-check", str(tmp_path / "none.txt"), "--root", str(tmp_path))
    assert done.returncode == 1 and b"error[F610]" in done.stderr
    code, _out, err = cite_check(criminal_project, "--as-of", "2024-13-01")
    assert code == 2 and "YYYY-MM-DD" in err


def test_the_mcp_tool_agrees_with_the_command(criminal_project):
    _code, out, _err = cite_check(criminal_project, "--as-of", "2023-06-01", "--json")

    async def asked():
        async with Client(make_server(criminal_project / "site")) as client:
            return await client.call_tool("check_citations", {"text": BRIEF, "as_of": "2023-06-01"})

    assert anyio.run(asked).structured_content == json.loads(out)


def test_a_texts_own_headings_are_not_citations_and_a_whole_law_is_judged(criminal_project):
    text = "第一条　根据《中华人民共和国刑法》，制定本规定。\n第二章　附则\n"
    code, out, err = cite_check(criminal_project, "--as-of", "2024-06-01", "--json", text=text)
    assert code == 0, out + err
    (only,) = json.loads(out)["citations"]  # 第一条 and 第二章 begin lines: the brief's own
    assert only["text"] == "《中华人民共和国刑法》" and only["verdict"] == "ok"
    assert only["version"]["date"] == "2023-12-29"
    code, out, _err = cite_check(criminal_project, "--as-of", "1990-01-01", "--json", text=text)
    assert code == 1 and verdicts(out) == [("《中华人民共和国刑法》", "not_in_force")]
