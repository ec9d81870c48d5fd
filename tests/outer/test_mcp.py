"""`fadian mcp`: the SDK's own client lists the tools and asks them about a real law with two
versions — 刑法第一百六十五条 before and after 修正案（十二） took effect (2024-03-01) — and every
answer carries the address to cite; a question that names nothing is a tool error that says
why; the command serves a built site over stdio and refuses a folder that is not one."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from fadian.access.mcp_server import make_server

from conftest import run_fadian

OLD_165 = "国有公司、企业的董事、经理利用职务便利"  # the 2020 text: state-owned companies only
NEW_165 = "其他公司、企业的董事、监事、高级管理人员违反法律、行政法规规定"  # added by 修正案（十二）


@pytest.fixture(scope="module")
def site(criminal_project) -> Path:
    return criminal_project / "site"


def ask(server, tool: str, arguments: dict):
    async def call():
        async with Client(server) as client:
            return await client.call_tool(tool, arguments)

    return anyio.run(call)


def test_the_tools_are_listed(site):
    async def listed():
        async with Client(make_server(site)) as client:
            return [t.name for t in (await client.list_tools()).tools]

    assert sorted(anyio.run(listed)) == [
        "check_citations", "get_changes", "get_provision", "list_versions", "search"
    ]


@pytest.mark.parametrize(
    ("as_of", "label", "holds", "lacks"),
    [("2023-06-01", "v1", OLD_165, NEW_165), ("2024-06-01", "v2", NEW_165, "董事、经理利用")],
)
def test_an_article_as_in_force_on_a_date(site, as_of, label, holds, lacks):
    result = ask(make_server(site), "get_provision", {"law": "刑法", "article": "第一百六十五条", "as_of": as_of})
    assert not result.is_error, result.content
    answer = result.structured_content
    assert holds in answer["text"] and lacks not in answer["text"]
    assert answer["version"]["label"] == label and answer["status_on_date"] == "现行有效"
    assert answer["cite"] == answer["version"]["expression_uri"] + "/~art_165"
    assert (site / answer["page"].split("#")[0] / "index.html").is_file()  # the page it names


def test_a_citation_checked_on_a_date_names_its_later_change(site):
    passage = "依照刑法第一百六十五条和《中华人民共和国刑法》第九百条的规定"
    result = ask(make_server(site), "check_citations", {"text": passage, "as_of": "2023-06-01"})
    first, second = result.structured_content["citations"]
    assert first["text"] == "刑法第一百六十五条" and first["verdict"] == "ok"
    assert first["changed_later"] == [
        {"version": "v2", "from": "2024-03-01", "change": "修改", "compare": "history/criminal-law/compare-v1-v2/#art_165"}
    ]
    assert second["verdict"] == "missing" and second["law"] == "中华人民共和国刑法"


def test_versions_changes_and_search(site):
    server = make_server(site)
    versions = ask(server, "list_versions", {"law": "中华人民共和国刑法"}).structured_content
    assert [v["label"] for v in versions["versions"]] == ["v1", "v2"]
    assert versions["versions"][1]["effective"] == "2024-03-01"
    changes = ask(server, "get_changes", {"law": "刑法", "since": "2023-01-01"}).structured_content
    (change,) = changes["changes"]
    assert "art_165" in change["modified"]
    found = ask(server, "search", {"query": "同类的营业"}).structured_content
    assert any(hit["cite"].endswith("~art_165") for hit in found["articles"])


def test_a_question_that_names_nothing_is_an_error_that_says_why(site):
    result = ask(make_server(site), "get_provision", {"law": "不存在的法", "article": "第一条"})
    assert result.is_error and "不存在的法" in result.content[0].text
    result = ask(make_server(site), "get_provision", {"law": "刑法", "article": "第一百六十五条", "as_of": "1990-01-01"})
    assert result.is_error and "1990-01-01" in result.content[0].text  # before the first version held


def test_the_command_serves_a_site_over_stdio(site):
    params = StdioServerParameters(command=sys.executable, args=["-m", "fadian", "mcp", "--site", str(site)])
    result = ask(params, "get_provision", {"law": "刑法", "article": "165", "as_of": "2024-06-01"})
    assert not result.is_error and NEW_165 in result.structured_content["text"]


def test_a_folder_that_is_not_a_site_is_refused(tmp_path):
    done = run_fadian("mcp", "--site", str(tmp_path))
    err = done.stderr.decode()
    assert done.returncode == 1 and "error[F610]" in err and "Traceback" not in err
