"""The dev query set of the site's search (tests/data/search_queries.json), from the national
sample: what readers type — a law and an article (Chinese and Arabic numerals, with and without
a space), a title, a topic — each with what must come first or what must be found.

Run: .venv/bin/python scripts/make_search_queries.py   (writes the file; deterministic)
Ground truth: the law+article and title queries name the text (its file in the sample) and the
article's eId; topic queries are checked against the converted texts themselves by the test.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fadian.read.numerals import cn_to_int, int_to_cn  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "corpus" / "national-sample"
OUT = ROOT / "tests" / "data" / "search_queries.json"
TOPICS = [
    "个人信息",
    "不可抗力",
    "合法权益",
    "行政处罚",
    "知识产权",
    "未成年人",
    "环境保护",
    "数据安全",
    "劳动合同",
]
ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条[ \u3000]")


def normal(title: str) -> str:
    return re.sub(r"\s", "", title).removeprefix("中华人民共和国")


def main() -> None:
    files = sorted(SAMPLE.glob("*.txt"))
    titles = {f.name: re.sub(r"\s", "", f.read_text("utf-8").strip().split("\n", 1)[0]) for f in files}
    names = [normal(t) for t in titles.values()]
    law_article, title_queries = [], []
    for k, f in enumerate(files):
        if k % 6:  # a sixth of the sample: 50 texts
            continue
        title = titles[f.name]
        name = normal(title)
        # the name must lead to this text only: no other title equal to it or ending with it
        if sum(1 for n in names if n == name or n.endswith(name)) != 1 or len(name) < 3:
            continue
        numbers = [
            m.group(1) for line in f.read_text("utf-8").split("\n") if (m := ARTICLE.match(line.strip()))
        ]
        if not numbers:
            continue
        n = cn_to_int(numbers[len(numbers) // 2])
        eid = f"art_{n}"
        law_article += [
            {"query": f"{name}第{int_to_cn(n)}条", "file": f.name, "eid": eid},
            {"query": f"{name}第{n}条", "file": f.name, "eid": eid},
            {"query": f"{name} 第{int_to_cn(n)}条", "file": f.name, "eid": eid},
        ]
        title_queries.append({"query": name, "file": f.name})
    data = {
        "source": "../shared/corpus/national-sample (made by scripts/make_search_queries.py)",
        "law_article": law_article,
        "title": title_queries,
        "topic": TOPICS,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{OUT}: {len(law_article)} law+article, {len(title_queries)} title, {len(TOPICS)} topic queries")


if __name__ == "__main__":
    main()
