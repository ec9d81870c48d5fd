"""Legal time in a project: texts that are versions of one work, each version's in-force period
and 时效性 as of the build's stated date, citations that mean the version in force when they
were made, and the site's static data about works (tests the issue-20 "must show" list)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import CORPUS, REPO, run_fadian, run_git, serve_dir

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0", "fd": "urn:fadian:legal-metadata:1"}
COMPANY = "/akn/cn/act/1993-12-29/company-law"


def front(slug: str, title: str, date: str, **more: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in more.items())
    return f"---\nslug: {slug}\ntype: act\ntitle: {title}\ndate: '{date}'\n{extra}---\n"


def write(root: Path, slug: str, text: str) -> None:
    path = root / "sources" / "documents" / f"{slug}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def legal(root: Path, slug: str) -> dict:
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    return next(d for d in manifest["documents"] if d["slug"] == slug)["legal"]


def build(root: Path, *args: str) -> None:
    proc = run_fadian("build", "--root", str(root), "--no-editions", *args)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> Path:
    """The company law of 2018 and of 2023 as two files of one project (not in git)."""
    root = tmp_path_factory.mktemp("company")
    settings = REPO / "fadian" / "render" / "mkdocs_site.yml"  # fadian's settings, with an address
    (root / "mkdocs.yml").write_text(f"INHERIT: {settings}\nsite_url: https://laws.example.org/\n", "utf-8")
    for slug in ("company-law-2018", "company-law-2023"):
        text = (CORPUS / f"{slug}.txt").read_text("utf-8")
        write(root, slug, front(slug, "中华人民共和国公司法", "1993-12-29") + text)
    build(root)
    return root


def test_two_files_of_one_law_are_one_work_with_two_expressions(company):
    roots = {
        s: etree.parse(str(company / "build" / "akn" / f"{s}.xml"))
        for s in ("company-law-2018", "company-law-2023")
    }
    works = {s: r.xpath("//a:FRBRWork/a:FRBRuri/@value", namespaces=NS)[0] for s, r in roots.items()}
    expressions = {
        s: r.xpath("//a:FRBRExpression/a:FRBRuri/@value", namespaces=NS)[0] for s, r in roots.items()
    }
    assert set(works.values()) == {COMPANY}
    assert expressions == {
        "company-law-2018": f"{COMPANY}/zho@2018-10-26",
        "company-law-2023": f"{COMPANY}/zho@2023-12-29",
    }
    # the 2018 version was in force until the 2023 one took effect: a period closed by that event
    old = roots["company-law-2018"]
    end = old.xpath("//a:temporalData//a:timeInterval/@end", namespaces=NS)
    assert end and old.xpath(f"//a:eventRef[@eId='{end[0][1:]}']/@date", namespaces=NS) == ["2024-07-01"]
    new = roots["company-law-2023"]
    start = new.xpath("//a:temporalData//a:timeInterval/@start", namespaces=NS)
    assert new.xpath(f"//a:eventRef[@eId='{start[0][1:]}']/@date", namespaces=NS) == ["2024-07-01"]
    # the statuses are stated as of the newest date the texts print (not in git, no --as-of)
    assert legal(company, "company-law-2018")["status"] == "已修改"
    assert legal(company, "company-law-2018")["in_force_until"] == "2024-07-01"
    assert legal(company, "company-law-2023")["status"] == "现行有效"
    manifest = json.loads((company / "build" / "manifest.json").read_text("utf-8"))
    assert manifest["as_of"] == "2024-07-01"
    catalog = json.loads((company / "site" / "akn" / "index.json").read_text("utf-8"))
    assert catalog["as_of"] == "2024-07-01" and [w["work_uri"] for w in catalog["works"]] == [COMPANY]


def test_as_of_a_date_between_them_the_older_is_in_force(company, tmp_path):
    import shutil

    root = tmp_path / "company"
    shutil.copytree(company / "sources", root / "sources")
    shutil.copy(company / "mkdocs.yml", root / "mkdocs.yml")
    build(root, "--as-of", "2024-01-01")
    assert legal(root, "company-law-2018")["status"] == "现行有效"
    assert legal(root, "company-law-2023")["status"] == "尚未生效"
    page = (root / "site" / "documents" / "company-law-2023" / "index.html").read_text("utf-8")
    banner = re.search(r"fadian-expression-status.*?</div>", page, re.S).group()
    assert "尚未生效" in banner and "2024-07-01" in banner and "../company-law-2018/" in banner
    assert run_fadian("build", "--root", str(root), "--as-of", "2024-13-01").returncode == 2


def test_the_work_and_its_expressions_have_their_frbr_addresses(company):
    import jsonschema

    site = company / "site"
    data = json.loads((site / COMPANY[1:] / "index.json").read_text("utf-8"))
    jsonschema.validate(data, json.loads((REPO / "fadian" / "render" / "assets" / "work.schema.json").read_text("utf-8")))
    assert data["in_force"] == f"{COMPANY}/zho@2023-12-29"
    assert [e["status"] for e in data["expressions"]] == ["已修改", "现行有效"]
    for e in data["expressions"]:
        akn = etree.parse(str(site / e["akn"]))
        assert akn.xpath("//a:FRBRExpression/a:FRBRuri/@value", namespaces=NS) == [e["expression_uri"]]
        assert (site / e["page"] / "index.html").is_file()
        opener = (site / e["expression_uri"][1:] / "index.html").read_text("utf-8")
        assert f'url=../../../../../../{e["page"]}"' in opener  # opens that expression's page
    work_page = (site / COMPANY[1:] / "index.html").read_text("utf-8")
    assert "现行有效的版本" in work_page and "2023-12-29 版" in work_page
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for listed in (
        f"{COMPANY}/index.json",
        f"{COMPANY}/zho@2018-10-26/!main.xml",
        "/documents/company-law-2018/",
    ):
        assert f"<loc>https://laws.example.org{listed}</loc>" in sitemap


def test_every_work_data_file_of_a_site_validates(built_project):
    import jsonschema

    schema = json.loads((REPO / "fadian" / "render" / "assets" / "work.schema.json").read_text("utf-8"))
    files = sorted(p for p in (built_project / "site" / "akn").rglob("index.json") if p.parent.name != "akn")
    assert len(files) >= 7  # one per work of the seed
    for path in files:
        jsonschema.validate(json.loads(path.read_text("utf-8")), schema)


@pytest.fixture(scope="module")
def criminal(tmp_path_factory) -> Path:
    """刑法 2020, then 修正案（十二） and the 2023 text, in git; built as of 2024-02-01."""
    root = tmp_path_factory.mktemp("criminal")
    law = front("criminal-law", "中华人民共和国刑法", "1979-07-01", short_titles="[刑法]")
    write(root, "criminal-law", law + (CORPUS / "criminal-law-2020.txt").read_text("utf-8"))
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "刑法（2020年修正）", date="2021-01-04T12:00:00")
    amendment = "---\nslug: amendment-12\ntype: amendment\ntitle: 中华人民共和国刑法修正案（十二）\ndate: '2023-12-29'\n---\n"
    write(
        root, "amendment-12", amendment + (CORPUS / "criminal-law-amendment-12-2023.txt").read_text("utf-8")
    )
    write(root, "criminal-law", law + (CORPUS / "criminal-law-2023.txt").read_text("utf-8"))
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "根据刑法修正案（十二）修改", date="2024-01-02T12:00:00")
    build(root, "--as-of", "2024-02-01")
    return root


def test_the_2023_criminal_law_takes_effect_when_its_amendment_does(criminal):
    history = json.loads(
        (criminal / "build" / "history" / "criminal-law" / "history.json").read_text("utf-8")
    )
    old, new = history["versions"]
    assert new["expression_uri"].endswith("zho@2023-12-29") and new["legal"]["effective"] == "2024-03-01"
    assert (old["legal"]["status"], new["legal"]["status"]) == ("现行有效", "尚未生效")
    assert old["legal"]["in_force_until"] == "2024-03-01"
    akn = etree.parse(str(criminal / "build" / "akn" / "criminal-law.xml"))
    assert akn.xpath("//fd:status/text()", namespaces=NS) == ["尚未生效"]
    manifest = json.loads((criminal / "build" / "manifest.json").read_text("utf-8"))
    assert manifest["as_of"] == "2024-02-01"  # the date the statuses are stated at


def test_the_site_answers_what_was_in_force_on_a_date(criminal, browser):
    with serve_dir(criminal / "site") as base:
        page = browser.new_page()
        page.goto(base + "history/criminal-law/")
        page.fill("#fadian-as-of-date", "2024-02-01")
        page.click("form.fadian-as-of button")
        page.wait_for_url(re.compile(r"/history/criminal-law/v1/$"))
        page.goto(base + "history/criminal-law/")
        page.fill("#fadian-as-of-date", "2024-03-01")
        page.click("form.fadian-as-of button")
        page.wait_for_url(re.compile(r"/history/criminal-law/v2/$"))
        page.close()
    current = (criminal / "site" / "documents" / "criminal-law" / "index.html").read_text("utf-8")
    assert "本文本尚未生效，自 2024-03-01 起施行" in current


LAND = "中华人民共和国土地管理法"


def land_law(year: int, article16: str, effective: str) -> str:
    return (
        front(f"land-law-{year}", LAND, "1986-06-25")
        + f"{LAND}\n\n1986年6月25日 第六届全国人民代表大会常务委员会第十六次会议通过\n\n"
        + f"{year}年8月28日 第十届全国人民代表大会常务委员会第十一次会议修订\n\n"
        + f"第十五条 国家实行土地用途管制制度。\n\n第十六条 {article16}\n\n第十七条 本法自{effective}起施行。\n"
    )


def test_a_citation_means_the_version_in_force_when_it_was_made(tmp_path):
    """The Henan case: a 2009 text citing 《土地管理法》第十六条 (land-ownership disputes in the
    2004 numbering) links to the 2004 version's article, not the 2019 one's (planning)."""
    root = tmp_path / "henan"
    write(
        root, "land-law-2004", land_law(2004, "土地所有权和使用权争议，由当事人协商解决。", "2004年8月28日")
    )
    write(
        root, "land-law-2019", land_law(2019, "下级土地利用总体规划应当依据上一级规划编制。", "2020年1月1日")
    )
    write(
        root,
        "henan-measures",
        front("henan-measures", "河南省实施《中华人民共和国土地管理法》办法", "2009-11-27")
        + "河南省实施《中华人民共和国土地管理法》办法\n\n2009年11月27日 河南省第十一届人民代表大会常务委员会第十二次会议通过\n\n"
        + "第一条 土地权属争议依照《中华人民共和国土地管理法》第十六条的规定处理。\n\n"
        + "第二条 依照《中华人民共和国土地管理法》第九十九条的规定处理。\n",
    )
    proc = run_fadian("build", "--root", str(root), "--no-editions")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    xml = etree.parse(str(root / "build" / "akn" / "henan-measures.xml"))
    refs = xml.xpath("//a:article[@eId='art_1']//a:ref/@href", namespaces=NS)
    assert refs == ["/akn/cn/act/1986-06-25/land-law/zho@2004-08-28/~art_16"]
    # a cited article no version has is text with a warning, never a link to a missing anchor
    assert xml.xpath("//a:article[@eId='art_2']//a:ref", namespaces=NS) == []
    assert re.search(r"henan-measures\.txt:\d+:\d+: warning\[F701\].*art_99", proc.stderr.decode())
    page = (root / "site" / "documents" / "henan-measures" / "index.html").read_text("utf-8")
    link = re.search(
        r'<a class="fadian-ref" href="([^"]+)"( title="[^"]*")?>《中华人民共和国土地管理法》第十六条</a>'
        r'(<sup class="fadian-cited-version"[^>]*>†</sup>)?',
        page,
    )
    assert link and link.group(1) == "../land-law-2004/#art_16" and link.group(3)
    # the version the citation means is said in the link's title and a mark, not in the sentence
    assert "2004-08-28 版" in link.group(2) and "引用时版本" not in page
    # cited-by names the citing text on the version it cites, not on the current one
    backlinks = json.loads((root / "build" / "reports" / "backlinks.json").read_text("utf-8"))
    assert "art_16" in backlinks["land-law-2004"] and "art_16" not in backlinks.get("land-law-2019", {})


def test_sweep_writes_what_it_read_of_every_text(tmp_path):
    """`fadian sweep --json`: per text, the legal metadata beside the structure counts; texts in
    sub-folders are swept too (a collection kept by kind, as the national one is)."""
    import shutil

    sample = CORPUS.parent / "national-sample"
    for name, folder in (("005.txt", "地方性法规"), ("231.txt", "行政法规"), ("176.txt", "司法解释")):
        (tmp_path / folder).mkdir()
        shutil.copy(sample / name, tmp_path / folder / name)
    out = tmp_path / "sweep.json"
    proc = run_fadian("sweep", str(tmp_path), "--json", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert "converted 3/3" in proc.stdout.decode()
    texts = {t["file"]: t for t in json.loads(out.read_text("utf-8"))["texts"]}
    assert sorted(texts) == ["司法解释/176.txt", "地方性法规/005.txt", "行政法规/231.txt"]
    regulation = texts["行政法规/231.txt"]["legal"]
    assert regulation["level"] == "行政法规" and regulation["document_number"] == "国务院令第422号"
    assert (regulation["promulgated"], regulation["effective"]) == ("2004-10-20", "2004-12-01")
    assert [e["kind"] for e in regulation["events"]] == ["adopted", "promulgated", "effective"]
    assert texts["地方性法规/005.txt"]["articles"] == 31
    assert texts["司法解释/176.txt"]["legal"]["document_number"] == "法释〔2022〕3号"


def test_a_text_repealed_by_another_of_the_project_is_repealed_from_that_day(tmp_path):
    """上海市慈善条例 (施行 2021-11-01) says 《上海市募捐条例》同时废止: from that day the
    募捐条例 of the project is 已废止, its period closed by a repeal event."""
    root = tmp_path / "repeal"
    write(
        root,
        "donations",
        front("donations", "上海市募捐条例", "2012-06-07")
        + "上海市募捐条例\n\n2012年6月7日 上海市第十三届人民代表大会常务委员会第三十四次会议通过\n\n"
        + "第一条 为了规范募捐活动，制定本条例。\n\n第二条 本条例自2012年9月1日起施行。\n",
    )
    write(
        root,
        "charity",
        front("charity", "上海市慈善条例", "2021-09-28")
        + "上海市慈善条例\n\n2021年9月28日 上海市第十五届人民代表大会常务委员会第三十五次会议通过\n\n"
        + "第一条 为了发展慈善事业，制定本条例。\n\n第二条 本条例自2021年11月1日起施行。"
        + "2012年6月7日上海市第十三届人民代表大会常务委员会第三十四次会议通过的《上海市募捐条例》同时废止。\n",
    )
    build(root, "--as-of", "2022-01-01")
    assert legal(root, "donations")["status"] == "已废止"
    assert legal(root, "donations")["repealed"] == "2021-11-01"
    assert legal(root, "charity")["status"] == "现行有效"
    akn = etree.parse(str(root / "build" / "akn" / "donations.xml"))
    end = akn.xpath("//a:timeInterval/@end", namespaces=NS)[0][1:]
    assert akn.xpath(f"//a:eventRef[@eId='{end}']/@type", namespaces=NS) == ["repeal"]
    assert akn.xpath(f"//a:eventRef[@eId='{end}']/@date", namespaces=NS) == ["2021-11-01"]
    build(root, "--as-of", "2021-10-01")
    assert legal(root, "donations")["status"] == "现行有效"
