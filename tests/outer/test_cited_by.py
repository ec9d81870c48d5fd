"""法条联想: under an article cited by texts of several levels, the citing places are grouped by
效力级别 in the national database's order, those in force first, folded under 被引用（N）; an
article cited by a few places of one text keeps its one-line list."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from conftest import run_fadian

LAW = "---\nslug: test-law\ntype: act\ntitle: 中华人民共和国测试法\ndate: '2020-01-01'\nlevel: 法律\n---\n\n中华人民共和国测试法\n\n第一条 为了测试，制定本法。\n\n第二条 测试应当公开。\n\n第三条 依照本法第二条公开测试。\n"


def citing(slug: str, title: str, level: str, extra: str = "") -> str:
    return (
        f"---\nslug: {slug}\ntype: act\ntitle: {title}\ndate: '2021-01-01'\nlevel: {level}\n{extra}---\n\n"
        f"{title}\n\n第一条 根据《中华人民共和国测试法》第二条，制定本{title[-2:]}。\n"
    )


def test_an_article_cited_at_three_levels_lists_them_by_level(tmp_path):
    documents = tmp_path / "sources" / "documents"
    documents.mkdir(parents=True)
    (documents / "test-law.txt").write_text(LAW, "utf-8")
    texts = {
        "local-rules": ("某省测试条例", "地方性法规", ""),
        "old-regulation": ("测试法旧实施条例", "行政法规", "status: 已废止\n"),
        "regulation": ("测试法实施条例", "行政法规", ""),
        "ministry-rules": ("测试管理办法", "部门规章", ""),
    }
    for slug, (title, level, extra) in texts.items():
        (documents / f"{slug}.txt").write_text(citing(slug, title, level, extra), "utf-8")
    done = run_fadian("build", "--root", str(tmp_path), "--no-editions", "--no-search")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    page = lxml_html.fromstring((tmp_path / "site" / "documents" / "test-law" / "index.html").read_bytes())
    (folded,) = page.xpath("//*[@id='art_2']/ancestor-or-self::*[contains(@class,'fadian-article')][1]//details")
    assert folded.findtext("summary") == "被引用（5）"  # four texts and 本法第三条
    groups = [(p.findtext("span"), [a.text for a in p.iter("a")]) for p in folded.iter("p")]
    assert [label for label, _links in groups] == ["本文", "行政法规", "部门规章", "地方性法规"]
    regulations = dict(groups)["行政法规"]
    assert regulations == ["测试法实施条例 第一条", "测试法旧实施条例 第一条"]  # in force first
    assert "（已失效）" in lxml_html.tostring(folded, encoding="unicode").split("测试法旧实施条例")[1][:40]
    (inline,) = page.xpath("//*[@id='art_3']/ancestor-or-self::*[contains(@class,'fadian-article')][1]")
    assert not inline.xpath(".//details")  # 第三条 is cited by no one: nothing at all
    assert re.search("被引用", lxml_html.tostring(inline, encoding="unicode")) is None
