"""Small texts the amendment tests share: a test law (with and without front matter), an
instrument that amends it, and the reading of an instrument's text."""

from __future__ import annotations

from fadian.amend.apply import apply_instrument
from fadian.amend.grammar import parse_instrument
from fadian.read.sources import read_source

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}

LAW = """测试法

2020年1月1日 第一次会议通过

第一章 总则

第一条 为了测试，制定本法。

第二条 有下列情形之一的，予以处罚：

（一）甲；

（二）乙。

违反本法第一条规定的，依照第二条处理。

第三条 本法适用于测试活动和相关活动。

第二章 附则

第四条 依照本法第三条的规定执行。

第五条 本法自公布之日起施行。
"""

LAW_FRONT = "---\nslug: test-law\ntype: act\ntitle: 测试法\ndate: 2020-01-01\n---\n\n"
INSTRUMENT = (
    "---\nslug: test-law-amendment-1\ntype: amendment\ntitle: 测试法修正案（一）\ndate: 2024-01-01\n---\n\n"
    "测试法修正案（一）\n\n2024年1月1日 第二次会议通过\n\n"
    "一、将第三条修改为：“本法适用于一切测试活动。”\n\n二、删去第四条。\n\n三、本修正案自公布之日起施行。\n"
)


def amended_law_repository(root, law: str = LAW) -> None:
    """A project in git at ``root``: the test law (with ``law`` as its text), then its 修正案,
    then the law as the instrument amends it, committed on three days."""
    import git

    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Editor")
        cw.set_value("user", "email", "editor@example.org")
    (root / "sources" / "documents").mkdir(parents=True)
    (root / "sources" / "registry.yaml").write_text("works: []\n", encoding="utf-8")

    def commit(rel: str, text: str, message: str, date: str) -> None:
        (root / rel).write_text(text, encoding="utf-8")
        repo.index.add([rel])
        stamp = f"{date}T12:00:00"
        repo.index.commit(message, author_date=stamp, commit_date=stamp)

    commit("sources/documents/test-law.txt", LAW_FRONT + law, "测试法", "2020-01-01")
    commit("sources/documents/test-law-amendment-1.txt", INSTRUMENT, "修正案（一）", "2024-01-01")
    parsed, _ = instrument(INSTRUMENT.split("---\n", 2)[2])
    applied = apply_instrument("test-law.txt", (LAW_FRONT + law).encode(), parsed)
    assert applied.ok
    commit("sources/documents/test-law.txt", applied.text, "根据修正案（一）修改", "2024-01-02")


def instrument(text: str, path: str = "instrument.txt"):
    parsed, diags = parse_instrument(read_source(path, text.encode(), front_matter=False).lines, path)
    return parsed, diags


def apply(old: str, inst_text: str):
    parsed, diags = instrument(inst_text)
    assert not diags, [d.format() for d in diags]
    return apply_instrument("old.txt", old.encode(), parsed)


def one(inst_body: str) -> str:
    result = apply(LAW, "测试法修正案\n\n2024年1月1日 第二次会议通过\n\n" + inst_body + "\n")
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.text


def article(text: str, num: str) -> list[str]:
    """The lines of one article in an applied text, the first with its number."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    start = next(k for k, ln in enumerate(lines) if ln.startswith(num + " "))
    end = next(
        (
            k
            for k in range(start + 1, len(lines))
            if lines[k].startswith("第") and ("条 " in lines[k][:12] or "章" in lines[k][:6])
        ),
        len(lines),
    )
    return lines[start:end]
