"""Versions from git: real repositories built in temporary folders."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import git
import pytest
from lxml import etree

from fadian.akn.validate import lxml_schema
from fadian.read.numerals import int_to_cn

from conftest import CORPUS, REPO, run_fadian, serve_dir

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
LAW = (REPO / "sources" / "documents" / "digital-economy-promotion-law-expert-draft.txt").read_text("utf-8")
SLUG = "digital-economy-promotion-law-expert-draft"


def commit(repo: git.Repo, rel: str, text: str, message: str, date: str) -> str:
    path = repo.working_tree_dir + "/" + rel
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    repo.index.add([rel])
    stamp = f"{date}T12:00:00"
    return repo.index.commit(message, author_date=stamp, commit_date=stamp).hexsha


def new_repo(tmp_path) -> git.Repo:
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    repo = git.Repo.init(tmp_path, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Editor")
        cw.set_value("user", "email", "editor@example.org")
    return repo


def renumber_after_9(text: str) -> str:
    """v2: insert a new 第十条 after 第九条, so 第十条–第六十五条 become 第十一条–第六十六条."""

    def bump(m):
        n = cn_value(m.group(1))
        return f"第{int_to_cn(n + 1)}条【" if n >= 10 else m.group()

    body = re.sub(r"^第([一二三四五六七八九十百]+)条【", bump, text, flags=re.M)
    return body.replace(
        "第十一条【数字基础设施体系】",
        "第十条【算力网络】\n\n国家推动全国一体化算力网络建设。\n\n第十一条【数字基础设施体系】",
    )


def cn_value(s: str) -> int:
    from fadian.read.numerals import cn_to_int

    return cn_to_int(s)


@pytest.fixture(scope="module")
def law_repo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("law-history")
    repo = new_repo(tmp)
    rel = f"sources/documents/{SLUG}.txt"
    v1 = LAW
    v2 = renumber_after_9(v1)
    art21 = v2.split("第二十一条【")[1].split("\n\n第二十二条")[0]  # the old 第二十条
    first_para = art21.split("\n\n")[1]
    assert "市场化应用" in first_para
    v2 = v2.replace(first_para, first_para.replace("市场化应用", "规模化应用", 1))
    last = v2.split("第六十六条【")[1]
    item6 = next(line for line in last.split("\n") if line.startswith("（六）"))
    v3 = v2.replace("\n\n" + item6, "")
    shas = [
        commit(repo, rel, v1, "v1", "2023-04-15"),
        commit(repo, rel, v2, "insert 第十条", "2023-06-01"),
        commit(repo, rel, v3, "delete an item", "2023-09-01"),
    ]
    repo.create_tag("edition-2023", ref=shas[2], message="published edition")
    return tmp, shas


def run_json(*args, cwd):
    proc = run_fadian(*args, "--json", cwd=cwd)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def test_history_lists_versions(law_repo):
    root, shas = law_repo
    rows = run_json("history", SLUG, "--root", str(root), cwd=root)
    assert [r["version"] for r in rows] == ["v1", "v2", "v3"]
    assert [r["date"] for r in rows] == ["2023-04-15", "2023-06-01", "2023-09-01"]
    assert [r["commit"] for r in rows] == shas
    assert rows[2]["tags"] == ["edition-2023"]
    assert rows[1]["expression_uri"].endswith("/zho@2023-06-01")


def test_insertion_renumbers_and_keeps_wids(law_repo):
    root, _ = law_repo
    d = run_json("diff", SLUG, "v1", "v2", "--root", str(root), cwd=root)
    kinds = [(c["kind"], c["modified"]) for c in d["changes"]]
    assert kinds.count(("added", False)) == 1
    assert kinds.count(("renumbered", False)) == 55
    assert kinds.count(("renumbered", True)) == 1
    assert len(kinds) == 57
    added = next(c for c in d["changes"] if c["kind"] == "added")
    assert (added["new_num"], added["new_eid"]) == ("第十条", "art_10")
    changed = next(c for c in d["changes"] if c["modified"])
    assert (changed["old_num"], changed["new_num"]) == ("第二十条", "第二十一条")
    assert (changed["old_eid"], changed["new_eid"], changed["wid"]) == ("art_20", "art_21", "art_20")
    deleted = "".join(t for op, t in changed["redline"] if op == "del")
    inserted = "".join(t for op, t in changed["redline"] if op == "ins")
    assert "市场" in deleted and "规模" in inserted and len(deleted) <= 4
    for c in d["changes"]:
        if c["kind"] == "renumbered":  # every renumbered article keeps the wId it had in v1
            assert c["wid"] == c["old_eid"]
    assert added["wid"] == "art_10_v2"  # art_10 belongs to the old 第十条


def test_item_deletion(law_repo):
    root, _ = law_repo
    d = run_json("diff", SLUG, "v2", "v3", "--root", str(root), cwd=root)
    assert [(c["kind"], c["new_num"]) for c in d["changes"]] == [("modified", "第六十六条")]
    items = d["changes"][0]["items"]
    assert [(i["kind"], i["old_num"]) for i in items] == [("deleted", "（六）")]
    # default revisions: the last two versions
    assert run_json("diff", SLUG, "--root", str(root), cwd=root)["changes"] == d["changes"]


def test_akn_per_version_and_wid_permalinks(law_repo):
    root, _ = law_repo
    proc = run_fadian("build", "--root", str(root), cwd=root)
    assert proc.returncode == 0, proc.stderr.decode()
    folder = root / "build" / "history" / SLUG
    roots = [etree.parse(str(folder / f"v{k}.xml")).getroot() for k in (1, 2, 3)]
    for k, akn in enumerate(roots, start=1):
        assert lxml_schema().validate(akn), lxml_schema().error_log
        events = akn.xpath("//a:lifecycle/a:eventRef/@date", namespaces=NS)
        assert events == ["2023-04-15", "2023-06-01", "2023-09-01"]
        expr = akn.xpath("//a:FRBRExpression/a:FRBRuri/@value", namespaces=NS)[0]
        assert expr.endswith("/zho@" + events[k - 1])
    assert roots[0].xpath("count(//a:passiveModifications)", namespaces=NS) == 0
    mods = roots[1].xpath("//a:textualMod", namespaces=NS)
    assert len(mods) == 57
    types = [m.get("type") for m in mods]
    assert (
        types.count("insertion") == 1
        and types.count("renumbering") == 55
        and types.count("substitution") == 1
    )
    # the old 第二十条 is art_21 in v2 and v3 and keeps wId art_20
    for akn in roots[1:]:
        assert akn.xpath("//a:article[@eId='art_21']/@wId", namespaces=NS) == ["art_20"]
    latest = etree.parse(str(root / "build" / "akn" / f"{SLUG}.xml")).getroot()
    assert latest.xpath("//a:article[@eId='art_21']/@wId", namespaces=NS) == ["art_20"]
    # a wId is written only where it is not the eId: an article before the insertion has none,
    # and no element anywhere carries a wId equal to its eId
    assert latest.xpath("//a:article[@eId='art_5']/@wId", namespaces=NS) == []
    assert not latest.xpath("//*[@wId and @wId = @eId]")
    assert len(latest.xpath("//*[@wId]")) > 40
    wids = json.loads((folder / "history.json").read_text("utf-8"))["wid_to_eid"]
    assert wids["art_20"] == "art_21"
    # the tagged version is a published edition: EPUB and PDF of its own
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    tagged = manifest["documents"][0]["tagged_editions"]
    assert [(t["tag"], t["version"]) for t in tagged] == [("edition-2023", "v3")]
    for kind in ("epub", "pdf"):
        assert (root / tagged[0][kind]).stat().st_size > 10_000
        assert (root / "site" / "downloads" / f"{SLUG}@edition-2023.{kind}").is_file()
    # the site's permalink by wId redirects to the current anchor
    redirect = (root / "site" / "w" / SLUG / "index.html").read_text("utf-8")
    assert '"art_20": "art_21"' in redirect


def test_wid_permalink_in_browser(law_repo):
    playwright = pytest.importorskip("playwright.sync_api")
    root, _ = law_repo
    # its own build (a no-op after test_akn_per_version_and_wid_permalinks): the test holds alone
    assert run_fadian("build", "--root", str(root), cwd=root).returncode == 0
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        with serve_dir(root / "site") as url:
            page.goto(url + f"w/{SLUG}/#art_20")
            page.wait_for_url(f"**/documents/{SLUG}/#art_21")
            assert "第二十一条" in page.locator("#art_21").inner_text()
        browser.close()


def corpus_repo(tmp_path, older: str, newer: str, slug: str) -> git.Repo:
    repo = new_repo(tmp_path)
    for name, date in ((older, "2020-01-01"), (newer, "2023-01-01")):
        text = (CORPUS / f"{name}.txt").read_text("utf-8")
        title = text.strip().split("\n", 1)[0]
        front = f"---\nslug: {slug}\ntype: act\ntitle: {title}\ndate: '1990-01-01'\nexpression_date: '{date}'\n---\n"
        commit(repo, f"sources/documents/{slug}.txt", front + text, name, date)
    return repo


def test_foreign_trade_law_2016_to_2022(tmp_path):
    corpus_repo(tmp_path, "foreign-trade-law-2016", "foreign-trade-law-2022", "ftl")
    d = run_json("diff", "ftl", "--root", str(tmp_path), cwd=tmp_path)
    first = d["changes"][0]
    assert (first["kind"], first["old_num"]) == ("deleted", "第九条")
    renumbered = [c for c in d["changes"] if c["kind"] == "renumbered"]
    assert len(renumbered) == 61
    assert all(c["old_eid"] != c["new_eid"] and c["wid"] == c["old_eid"] for c in renumbered)
    art18 = next(c for c in renumbered if c["old_num"] == "第十八条")
    assert art18["new_num"] == "第十七条" and art18["modified"]
    assert ["del", "六"] in art18["redline"] and ["ins", "五"] in art18["redline"]
    unchanged = next(c for c in renumbered if c["old_num"] == "第十条")
    assert not unchanged["modified"] and unchanged["redline"] == []
    assert d["header"] is not None


def test_criminal_law_2020_to_2023(tmp_path):
    corpus_repo(tmp_path, "criminal-law-2020", "criminal-law-2023", "criminal-law")
    d = run_json("diff", "criminal-law", "--root", str(tmp_path), cwd=tmp_path)
    assert [(c["kind"], c["new_eid"]) for c in d["changes"]] == [
        ("modified", f"art_{n}") for n in (165, 166, 169, 387, 390, 391, 393)
    ]
    assert d["header"] is not None and d["notes"] is not None  # the new amendment line, the ① note


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("company-law-2018", "company-law-2023"),
        ("administrative-reconsideration-law-2017", "administrative-reconsideration-law-2023"),
    ],
)
def test_comprehensive_revisions_diff_completely(tmp_path, older, newer):
    corpus_repo(tmp_path, older, newer, "law")
    d = run_json("diff", "law", "--root", str(tmp_path), cwd=tmp_path)
    old_count = len(
        re.findall(r"^第[零〇一二三四五六七八九十百]+条", (CORPUS / f"{older}.txt").read_text("utf-8"), re.M)
    )
    new_count = len(
        re.findall(r"^第[零〇一二三四五六七八九十百]+条", (CORPUS / f"{newer}.txt").read_text("utf-8"), re.M)
    )
    kinds = [c["kind"] for c in d["changes"]]
    # every article of both versions is accounted for
    old_seen = {c["old_eid"] for c in d["changes"] if c["old_eid"]}
    new_seen = {c["new_eid"] for c in d["changes"] if c["new_eid"]}
    assert kinds.count("added") + len([c for c in d["changes"] if c["new_eid"] and c["old_eid"]]) == len(
        new_seen
    )
    assert len(old_seen) <= old_count and len(new_seen) <= new_count
    assert kinds.count("deleted") + len([c for c in d["changes"] if c["old_eid"] and c["new_eid"]]) == len(
        old_seen
    )


def test_shallow_clone_warns_and_uses_what_is_there(law_repo, tmp_path):
    root, shas = law_repo
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    proc = run_fadian("history", SLUG, "--root", str(clone), "--json", cwd=clone)
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)
    assert [r["commit"] for r in rows] == [shas[-1]]
    assert b"warning[F802]" in proc.stderr and b"Traceback" not in proc.stderr


def test_dirty_tree_gives_a_working_copy_version(law_repo, tmp_path):
    root, _ = law_repo
    clone = tmp_path / "dirty"
    git.Repo.clone_from(str(root), str(clone))
    path = clone / "sources" / "documents" / f"{SLUG}.txt"
    path.write_text(path.read_text("utf-8").replace("制定本法。", "特制定本法。", 1), "utf-8")
    proc = run_fadian("history", SLUG, "--root", str(clone), "--json", cwd=clone)
    rows = json.loads(proc.stdout)
    assert [r["version"] for r in rows] == ["v1", "v2", "v3", "working copy"]
    assert rows[-1]["commit"] is None and rows[-1]["changes"] == {"modified": 1}
    assert b"warning[F803]" in proc.stderr


def test_folder_outside_git_has_one_version(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "law.txt").write_text(LAW, "utf-8")
    proc = run_fadian("history", "law", "--root", str(tmp_path), "--json", cwd=tmp_path)
    assert proc.returncode == 0
    assert [r["version"] for r in json.loads(proc.stdout)] == ["v1"]
    assert b"warning[F801]" in proc.stderr and b"not in a git repository" in proc.stderr
    proc = run_fadian("diff", "law", "--root", str(tmp_path), cwd=tmp_path)
    assert b"only one version" in proc.stderr and b"Traceback" not in proc.stderr


def test_standalone_diff_of_two_files():
    proc = run_fadian(
        "diff",
        str(CORPUS / "foreign-trade-law-2016.txt"),
        str(CORPUS / "foreign-trade-law-2022.txt"),
        "--json",
    )
    assert proc.returncode == 0, proc.stderr.decode()
    d = json.loads(proc.stdout)
    assert d["counts"]["deleted"] == 1 and d["changes"][0]["old_num"] == "第九条"


def test_history_follows_a_rename_and_ignores_a_tag_on_a_blob(tmp_path):
    """A document moved with `git mv` keeps every version; a tag on a blob is a warning."""
    from fadian.history.git import read_versions

    repo = new_repo(tmp_path)
    rel = "sources/documents/old-name.txt"
    for k in range(3):
        commit(
            repo, rel, LAW.replace("制定本法。", f"制定本法。（{k}）", 1), f"v{k + 1}", f"2023-0{k + 1}-01"
        )
    repo.index.move([rel, "sources/documents/new-name.txt"])
    repo.index.commit("rename", author_date="2023-04-01T12:00:00", commit_date="2023-04-01T12:00:00")
    commit(repo, "sources/documents/new-name.txt", LAW, "v4", "2023-05-01")
    blob = repo.head.commit.tree / "sources/documents/new-name.txt"
    repo.create_tag("blob-tag", ref=blob.hexsha, message="a tag on a blob")
    repo.create_tag("edition-1", ref=repo.head.commit, message="published")
    versions, diags = read_versions(tmp_path / "sources" / "documents" / "new-name.txt")
    assert [v.message for v in versions] == ["v1", "v2", "v3", "v4"]
    assert versions[-1].tags == ("edition-1",)
    assert [d.code for d in diags] == ["F806"] and "blob-tag" in diags[0].message
    proc = run_fadian("history", "new-name", "--root", str(tmp_path))
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr


def test_atom_feed_lists_the_changes(tmp_path):
    """site/feed.xml: one Atom entry per new version, with the commit message and a link to its
    新旧对照 page; the home page links it."""
    from feedgen.feed import FeedGenerator  # noqa: F401  (the dependency is installed)

    repo = new_repo(tmp_path)
    rel = f"sources/documents/{SLUG}.txt"
    commit(repo, rel, LAW, "初稿", "2023-04-15")
    commit(repo, rel, renumber_after_9(LAW), "增加算力网络一条", "2023-06-01")
    proc = run_fadian("build", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    feed = etree.parse(str(tmp_path / "site" / "feed.xml")).getroot()
    atom = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", atom)
    assert len(entries) == 1
    entry = entries[0]
    assert "v2" in entry.findtext("a:title", namespaces=atom)
    assert entry.findtext("a:summary", namespaces=atom).startswith("增加算力网络一条")
    assert entry.findtext("a:updated", namespaces=atom).startswith("2023-06-01")
    href = entry.find("a:link", atom).get("href")
    assert (tmp_path / "site" / href / "index.html").is_file()
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert 'href="feed.xml" type="application/atom+xml"' in home


def test_compare_page_stacks_old_and_new_on_a_phone(law_repo):
    """At 390 px the 新旧对照 shows each article's old text above its new text, each the
    width of the screen (two 9-character columns did not read)."""
    playwright = pytest.importorskip("playwright.sync_api")
    root, _ = law_repo
    site = root / "site"
    if not (site / "index.html").exists():
        assert run_fadian("build", "--root", str(root)).returncode == 0
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        with serve_dir(site) as url:
            page.goto(url + f"history/{SLUG}/compare-v1-v2/")
            row = page.locator("tr.fadian-change:has(td.fadian-old) >> nth=0")
            row.wait_for()
            old = row.locator("td.fadian-old").bounding_box()
            new = row.locator("td.fadian-new").bounding_box()
            assert old["width"] > 300 and new["width"] > 300
            assert new["y"] >= old["y"] + old["height"] - 1  # stacked, not side by side
            Path("build/test-artifacts").mkdir(parents=True, exist_ok=True)
            page.screenshot(path="build/test-artifacts/compare-390px.png", full_page=False)
        browser.close()
