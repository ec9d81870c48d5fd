// 引用核验 (the site's check/ page): every citation of a text the reader pastes, judged on a date,
// in the browser, from static data (render/check_data): the titles in 256 buckets, each work's
// data file, and each version's articles with a digest of each article, 款 and 项. The rules
// are the command line's (access/cite_check, refs/patterns, refs/resolve), line for line:
// 《title》第X条之Y第Z款第（W）项, a short title right before 第X条 (刑法第一百六十五条), lists
// and ranges after them (、第一百六十六条, 至第一百六十八条, 第二款), Chinese or Arabic numbers; a
// bare 第X条 of no law named is 无法确定所指. Uses fadian.js (fadianRoot, fadianEl,
// fadianNumber, fadianPick, fadianStatusFor, fadianToday).

var FADIAN_CITE = (function () {
  var N = "[零〇一二三四五六七八九十百千0-9]+";
  var tail = function (k, i) {
    return "(?:第(?<" + k + ">" + N + ")款)?(?:第[（(]?(?<" + i + ">" + N + ")[）)]?项)?";
  };
  return new RegExp(
    "(?<deftitle>[（(](?:以下简称|以下称|下称|简称|以下统称|统称)(?:《(?<short>[^《》]{1,40})》" +
    "|“(?<shortq>[^“”]{1,30})”|(?<shortp>[^《》（）()，。、；“”]{1,20}))[）)])" +
    "|(?<title>《(?<tname>[^《》]{1,80})》)(?:第(?<tart>" + N + ")条(?:之(?<tsub>" + N + "))?" + tail("tk", "ti") + ")?" +
    "|(?<ben>本法|本条例|本办法|本规定|本决定|本解释|本细则|本宪法|本准则)?第(?<art>" + N + ")条(?:之(?<sub>" + N + "))?" +
    tail("k", "i") +
    "|(?<rel>前(?<reln>[两二三四五六七八九十])?(?<relu>[款条])|本(?<selfu>条(?!例)|[款项章节]))" + tail("rk", "ri") +
    "|第(?<div>" + N + ")(?<divu>[章节])" +
    "|第(?<kuan>" + N + ")款(?:第[（(]?(?<kuani>" + N + ")[）)]?项)?" +
    "|第[（(](?<xiang>" + N + ")[）)]项", "y");
})();
var FADIAN_JOINERS = ["、", "和", "或者", "及", "以及", "与", "，", "至", "到"];
var FADIAN_LAW_END = "法典例则定释令";
var FADIAN_INSTRUMENT = /(法|法典|条例|规定|办法|决定|解释|细则|规则|方案|计划|规划|意见|通知|纲要|草案|建议稿|修正案|公约|协定)(（[^（）]*）)?$/;
var FADIAN_VERDICTS = { ok: "正确", missing: "无此条", not_in_force: "该日未施行", uncollected: "未收录", unclear: "无法确定所指" };

function fadianFindCitations(text) {
  var out = [], end = 0, cand = /[第本前《（(]/g, c;
  while ((c = cand.exec(text))) {
    if (c.index < end) continue;
    FADIAN_CITE.lastIndex = c.index;
    var m = FADIAN_CITE.exec(text);
    if (m && m[0].length) { out.push(m); end = m.index + m[0].length; }
  }
  return out;
}

function fadianTitleKey(title) {
  return title.replace(/\s+/g, "").replace(/\(/g, "（").replace(/\)/g, "）").replace(/</g, "〈").replace(/>/g, "〉")
    .replace(/^中华人民共和国/, "");
}

function fadianEid(art, sub, kuan, item) {
  var eid = "art_" + fadianNumber(art) + (sub ? "-" + fadianNumber(sub) : "");
  return fadianDeeper(eid, kuan, item);
}

function fadianDeeper(eid, kuan, item) {
  if (!kuan && !item) return eid;
  if (kuan) eid += "__para_" + fadianNumber(kuan);
  if (item) eid += (kuan ? "" : "__para_1") + "__point_" + fadianNumber(item);
  return eid;
}

// The digest of the unit ``eid`` names in a version's articles (render/check_data), or null.
function fadianUnitDigest(articles, eid) {
  var m = /^art_([0-9]+(?:-[0-9]+)?)(?:__para_([0-9]+)(?:__point_([0-9]+))?)?$/.exec(eid);
  var entry = m && articles[m[1]];
  if (!entry) return null;
  if (!m[2]) return entry[0];
  var para = entry[parseInt(m[2], 10)];
  if (!para) return null;
  if (!m[3]) return typeof para === "string" ? para : para[0];
  return typeof para === "string" ? null : para[parseInt(m[3], 10)] || null;
}

// The unit ``eid`` names, under its article's number in ``after`` when that article is in
// ``after`` unchanged under another number (its 款 word for word), and under no other; else null
// (access/cite_check._moved: the same rule on the same data).
function fadianMoved(before, after, eid) {
  var m = /^art_([0-9]+(?:-[0-9]+)?)(.*)$/.exec(eid);
  var mine = m && before[m[1]] ? JSON.stringify(before[m[1]].slice(1)) : "[]";
  if (mine === "[]") return null;
  var found = Object.keys(after).filter(function (k) {
    return k !== m[1] && JSON.stringify(after[k].slice(1)) === mine;
  });
  return found.length === 1 ? "art_" + found[0] + m[2] : null;
}

// The page that holds the article ``eid`` names: of a version kept as several part files, its
// part's (site_data.Version.part_of).
function fadianPartPage(version, eid) {
  var m = /^art_([0-9]+)/.exec(eid || ""), n = m ? +m[1] : 0;
  var part = (version.parts || []).filter(function (p) { return p.first_article <= n && n <= p.last_article; })[0];
  return part ? part.page : version.page;
}

// ``eid`` under the number the comparison gave its article (``moved``: articles.json's), or null
// (access/cite_check._compared_move).
function fadianComparedMove(moved, eid) {
  var m = /^art_([0-9]+(?:-[0-9]+)?)(.*)$/.exec(eid);
  return m && moved[m[1]] ? "art_" + moved[m[1]] + m[2] : null;
}

// A unit's words without its article's number: an article's 款 digests, else the unit's digest
// (access/cite_check._words).
function fadianWords(articles, eid) {
  var m = /^art_([0-9]+(?:-[0-9]+)?)$/.exec(eid);
  if (!m) return fadianUnitDigest(articles, eid);
  return articles[m[1]] ? JSON.stringify(articles[m[1]].slice(1)) : null;
}

// 一百零五: a number as statutes print it (below ten thousand: an article's).
function fadianCnNumber(n) {
  var digits = "零一二三四五六七八九", out = "", zero = false;
  [[1000, "千"], [100, "百"], [10, "十"], [1, ""]].forEach(function (u) {
    var d = Math.floor(n / u[0]) % 10;
    if (!d) { zero = zero || out !== ""; return; }
    if (zero) { out += "零"; zero = false; }
    out += (u[0] === 10 && d === 1 && out === "" ? "" : digits[d]) + u[1];
  });
  return out;
}

// 第一百六十五条之一: the article an eId names.
function fadianArticleLabel(eid) {
  var m = /^art_([0-9]+)(?:-([0-9]+))?/.exec(eid);
  return "第" + fadianCnNumber(+m[1]) + "条" + (m[2] ? "之" + fadianCnNumber(+m[2]) : "");
}

function fadianCheckData() {
  var cache = {};
  var get = function (path) {
    if (!(path in cache)) {
      cache[path] = fetch(new URL(path, fadianRoot)).then(function (r) { return r.ok ? r.json() : null; });
    }
    return cache[path];
  };
  var data = {
    // the work a title names (its key, without 中华人民共和国), or null
    work: function (key) {
      if (!key) return Promise.resolve(null);
      var code = key.codePointAt(0) % 256;  // render/check_data.NAME_BUCKETS
      return get("check/names/" + code + ".json").then(function (rows) {
        var row = (rows || []).filter(function (r) { return r[0] === key; })[0];
        if (!row) return null;
        return get(row[1].replace(/^\//, "") + "/index.json").then(function (work) {
          if (!work) return null;
          work.expressions.forEach(function (e) { e.start = e.effective || e.date; });
          return work;
        });
      });
    },
    articles: function (version) {
      return get(version.akn.replace(/[^/]+$/, "articles.json")).then(function (a) { return (a && a.articles) || {}; });
    },
    // the articles of the version before that this one holds under another number (render/check_data)
    moved: function (version) {
      return get(version.akn.replace(/[^/]+$/, "articles.json")).then(function (a) { return (a && a.moved) || {}; });
    },
  };
  return data;
}

// The version a citation on ``day`` means (refs/index Work.at): the latest that had taken effect
// by then, else the oldest; a work of one version, that one.
function fadianCitedVersion(work, day) {
  var rows = work.expressions;
  if (rows.length < 2) return rows[rows.length - 1];
  var began = rows.filter(function (e) { return e.start <= day; });
  return began.length ? began[began.length - 1] : rows[0];
}

// 时效性 on ``day`` (access/site_data Version.status_on): the site script's rule, and before the
// next version was even made, a version whose end is not stated was in force.
function fadianStatusOn(rows, version, day) {
  var later = rows[rows.indexOf(version) + 1];
  var built = version.status || "";
  if (built === "已修改" && !version.in_force_until && later && day < later.date &&
      !(version.effective && day < version.effective)) return "现行有效";
  return fadianStatusFor(built, version.effective || "", version.in_force_until || "", day);
}

// Every citation of ``text`` (line by line), found and led to a work as refs/resolve does.
function fadianCitations(text, day, data) {
  var found = [];
  var lines = text.split(/\r\n|\r|\n/);
  var chain = Promise.resolve();
  lines.forEach(function (line, n) {
    chain = chain.then(function () { return fadianLineCitations(line, n + 1, day, data, found); });
  });
  return chain.then(function () { return found; });
}

function fadianLineCitations(line, number, day, data, found) {
  var matches = fadianFindCitations(line);
  var st = { carried: null, short: {} };
  var lead = line.length - line.replace(/^\s+/, "").length;
  var add = function (m, start, status, work, eid) {
    var text = line.slice(start, m.index + m[0].length);
    found.push({ text: text, line: number, col: start + 1, status: status, work: work, eid: eid, lead: lead });
  };
  var cited = function (m, start, work, eid) {  // a citation of ``work``, unresolved when the version lacks it
    st.carried = eid ? { work: work, end: m.index + m[0].length, eid: eid } : st.carried;
    if (!eid) { add(m, start, "corpus", work, null); return Promise.resolve(); }
    return data.articles(fadianCitedVersion(work, day)).then(function (articles) {
      add(m, fadianUnitDigest(articles, eid) === null ? m.index : start,
          fadianUnitDigest(articles, eid) === null ? "unresolved" : "corpus", work, eid);
    });
  };
  var k = 0;
  var step = function () {
    if (k >= matches.length) return Promise.resolve();
    var m = matches[k], g = m.groups;
    if (g.deftitle) {  // （以下简称《X》） after a title: X names that work
      var prev = matches[k - 1];
      var term = (g.short || g.shortq || g.shortp || "").trim();
      k += 1;
      if (term && prev && prev.groups.title && prev.index + prev[0].length === m.index) {
        return Promise.resolve(st.short[prev.groups.tname] || data.work(fadianTitleKey(prev.groups.tname)))
          .then(function (work) { st.short[term] = work; }).then(step);
      }
      return step();
    }
    if (g.title) {
      k += 1;
      return fadianTitled(m, st, data, add, cited).then(function () { return fadianSameWork(line, matches, k, st, cited); })
        .then(function (taken) { k += taken; return step(); });
    }
    var group = [m];
    while (k + group.length < matches.length) {
      var next = matches[k + group.length], last = group[group.length - 1];
      var between = line.slice(last.index + last[0].length, next.index);
      if (FADIAN_JOINERS.indexOf(between) >= 0 && !next.groups.title && !next.groups.deftitle) group.push(next);
      else break;
    }
    k += group.length;
    var j = 0;
    var member = function () {
      if (j >= group.length) return Promise.resolve();
      var gm = group[j], gg = gm.groups, before = group[j - 1];
      j += 1;
      if (gg.art && !gg.ben && gm.index > 0 && FADIAN_LAW_END.indexOf(line[gm.index - 1]) >= 0) {
        return fadianByShortName(line, gm, st, data, cited).then(member);
      }
      if (before && st.carried && st.carried.end === before.index + before[0].length) {
        return fadianOfCarried(gm, st, cited).then(member);
      }
      add(gm, gm.index, "unresolved", null, null);  // the pasted text's own article: unclear
      return member();
    };
    return member().then(step);
  };
  return step();
}

function fadianTitled(m, st, data, add, cited) {
  var g = m.groups;
  return Promise.resolve(st.short[g.tname] || data.work(fadianTitleKey(g.tname))).then(function (work) {
    if (!work) {
      if (FADIAN_INSTRUMENT.test(g.tname.replace(/\s+/g, ""))) add(m, m.index, "unknown", null, null);
      return null;
    }
    return cited(m, m.index, work, g.tart ? fadianEid(g.tart, g.tsub, g.tk, g.ti) : null);
  });
}

// A list that goes on citing the text just named (《刑法》第一百六十五条、第一百六十六条): the
// matches from ``k`` joined to it, each of that text.
function fadianSameWork(line, matches, k, st, cited) {
  var taken = 0;
  var next = function () {
    var m = matches[k + taken];
    if (!m || !st.carried) return Promise.resolve(taken);
    var between = line.slice(st.carried.end, m.index);
    if (FADIAN_JOINERS.indexOf(between) < 0 || m.groups.ben || !(m.groups.art || m.groups.kuan || m.groups.xiang)) {
      return Promise.resolve(taken);
    }
    taken += 1;
    return fadianOfCarried(m, st, cited).then(next);
  };
  return next();
}

function fadianOfCarried(m, st, cited) {
  var g = m.groups, carried = st.carried;
  var eid = g.art ? fadianEid(g.art, g.sub, g.k, g.i)
    : g.kuan ? fadianDeeper(carried.eid.split("__")[0], g.kuan, g.kuani)
    : fadianSiblingPoint(carried.eid, g.xiang);
  return cited(m, m.index, carried.work, eid);
}

// 第（N）项 after a citation of a 项 (or 款, or article): that 项 of the same 款.
function fadianSiblingPoint(previous, number) {
  var unit = previous.replace(/__point_[0-9]+$/, "");
  return unit + (/__para_[0-9]+$/.test(unit) ? "" : "__para_1") + "__point_" + fadianNumber(number);
}

// 刑法第一百六十五条: the longest title (2 to 12 characters, not 关于…) that ends right before 第.
function fadianByShortName(line, m, st, data, cited) {
  var length = Math.min(12, m.index);
  var tryName = function () {
    if (length < 2) return Promise.resolve();
    var name = line.slice(m.index - length, m.index);
    length -= 1;
    if (name.indexOf("关于") === 0) return tryName();
    return data.work(name).then(function (work) {
      if (!work) return tryName();
      var g = m.groups;
      return cited(m, m.index - name.length, work, fadianEid(g.art, g.sub, g.k, g.i));
    });
  };
  return tryName();
}

// What a citation names on ``day`` (access/cite_check._judged).
function fadianJudge(c, day, data) {
  var out = { text: c.text, line: c.line, col: c.col, verdict: "unclear" };
  if (c.status === "unknown") {
    out.verdict = "uncollected";
    out.law = c.text.split("》")[0].replace(/^《/, "");
    return Promise.resolve(out);
  }
  if (!c.work) return Promise.resolve(out);
  var rows = c.work.expressions;
  out.law = c.work.title;
  var version = fadianPick(rows, day);
  if (c.status === "unresolved") {
    version = version || rows[rows.length - 1];
    out.verdict = "missing";
    out.version = version;
    out.status_on_date = fadianStatusOn(rows, version, day);
    return Promise.resolve(out);
  }
  if (!version) {
    out.verdict = "not_in_force";
    out.note = "本站所收版本中没有在 " + day + " 施行的（最早的版本自 " + rows[0].start + " 起）";
    return Promise.resolve(out);
  }
  out.version = version;
  out.status_on_date = fadianStatusOn(rows, version, day);
  var inForce = ["已废止", "尚未生效"].indexOf(out.status_on_date) < 0;
  if (!c.eid) {
    out.verdict = inForce ? "ok" : "not_in_force";
    out.page = version.page;
    return Promise.resolve(out);
  }
  var later = rows.slice(rows.indexOf(version));
  return Promise.all(later.map(data.articles).concat(later.map(data.moved))).then(function (got) {
    var all = got.slice(0, later.length), moves = got.slice(later.length);
    var digest = fadianUnitDigest(all[0], c.eid);
    if (digest === null) { out.verdict = "missing"; return out; }
    out.verdict = inForce ? "ok" : "not_in_force";
    out.page = fadianPartPage(version, c.eid) + "#" + c.eid;
    var changes = fadianLaterChanges(all, later, c.eid, digest, moves);
    out.changed_later = changes.rows;
    if (changes.renumbered) out.renumbered = changes.renumbered;
    return out;
  });
}

// What the versions after the first of ``all`` (their articles; ``later``: the versions) did
// to the unit ``eid`` whose digest is ``digest`` in the first: each change, and the article's
// number now when one renumbered it (access/cite_check._in_version).
function fadianLaterChanges(all, later, eid, digest, moves) {
  var out = { rows: [], renumbered: "" }, before = all[0];
  all.slice(1).forEach(function (articles, k) {
    var now = fadianUnitDigest(articles, eid), change;
    var compared = fadianComparedMove((moves || [])[k + 1] || {}, eid);  // its comparison moved it
    if (compared || now !== digest) {
      var moved = compared || fadianMoved(before, articles, eid);
      if (moved) {  // the article under another number: its number now
        var words = fadianWords(before, eid);
        eid = moved;
        out.renumbered = fadianArticleLabel(moved);
        var reworded = fadianWords(articles, eid) !== words ? "，内容修改" : "";
        change = "条号变为" + out.renumbered + reworded;
        now = fadianUnitDigest(articles, eid);
      } else {
        change = now === null ? "删除" : "修改";
      }
      out.rows.push({ version: later[k + 1].label, from: later[k + 1].start,
        change: change, page: later[k + 1].page,
        compare: later[k + 1].compare ? later[k + 1].compare + "#" + eid.split("__")[0] : "" });
      digest = now;
    }
    before = articles;
  });
  return out;
}

var FADIAN_RANGE_END = /^art_([0-9]+)(?:-[0-9]+)?$/;

// 第一百六十五条至第一百六十七条: the later changes of the articles strictly inside the range,
// each naming its article, go with the range's end (access/cite_check._changed_between).
function fadianRangeMiddles(start, end, startRow, endRow, data) {
  var rows = start.work.expressions, version = startRow.version;
  var later = rows.slice(rows.indexOf(version));
  var from = +FADIAN_RANGE_END.exec(start.eid)[1], to = +FADIAN_RANGE_END.exec(end.eid)[1];
  return Promise.all(later.map(data.articles).concat(later.map(data.moved))).then(function (got) {
    var all = got.slice(0, later.length), moves = got.slice(later.length);
    for (var n = from + 1; n < to; n++) {
      var eid = "art_" + n, digest = fadianUnitDigest(all[0], eid);
      if (digest === null) continue;
      fadianLaterChanges(all, later, eid, digest, moves).rows.forEach(function (r) {
        r.article = fadianArticleLabel(eid);
        endRow.changed_later.push(r);
      });
    }
  });
}

function fadianCheckText(text, day) {
  var data = fadianCheckData(), lines = text.split(/\r?\n/);
  return fadianCitations(text, day, data).then(function (found) {
    var kept = found.filter(function (c) {  // 第一条 beginning a line: the pasted text's own heading
      return !(c.status === "unresolved" && !c.work && c.col === c.lead + 1 && c.text[0] === "第" &&
               "条章节编".indexOf(c.text.slice(-1)) >= 0);
    });
    return Promise.all(kept.map(function (c) { return fadianJudge(c, day, data); })).then(function (rows) {
      var middles = [];
      for (var k = 1; k < kept.length; k++) {
        var a = kept[k - 1], b = kept[k], joiner = lines[a.line - 1].slice(a.col - 1 + a.text.length, b.col - 1);
        if ((joiner === "至" || joiner === "到") && a.line === b.line && rows[k - 1].version &&
            rows[k - 1].version === rows[k].version && rows[k - 1].page && rows[k].page &&
            FADIAN_RANGE_END.test(a.eid || "") && FADIAN_RANGE_END.test(b.eid || "")) {
          middles.push(fadianRangeMiddles(a, b, rows[k - 1], rows[k], data));
        }
      }
      return Promise.all(middles).then(function () { return rows; });
    });
  });
}

function fadianCheckRow(r) {
  var li = fadianEl("li", { class: "fadian-check-" + r.verdict, "data-verdict": r.verdict });
  var head = fadianEl("p", { class: "fadian-check-head" });
  head.append(fadianEl("span", { class: "fadian-check-verdict" }, FADIAN_VERDICTS[r.verdict]), " ",
              fadianEl("q", {}, r.text), " ", fadianEl("span", { class: "fadian-check-place" }, "（第 " + r.line + " 行第 " + r.col + " 字）"));
  li.append(head);
  var said = [];
  if (r.law) said.push("《" + r.law + "》");
  if (r.version) said.push(r.version.label + "，当日" + r.status_on_date);
  if (r.note) said.push(r.note);
  if (said.length) {
    var p = fadianEl("p", {}, said.join("　"));
    if (r.page) {
      p.append("　");
      p.append(fadianEl("a", { href: new URL(r.page, fadianRoot).href }, "查看条文"));
    }
    li.append(p);
  }
  (r.changed_later || []).forEach(function (c) {
    var what = c.article ? c.change + "（区间内的" + c.article + "）" : c.change;
    var p = fadianEl("p", { class: "fadian-check-later" }, "此后" + what + "：" + c.from + " 起施行的" + c.version + "　");
    p.append(fadianEl("a", { href: new URL(c.compare || c.page, fadianRoot).href }, c.compare ? "新旧对照" : "查看该版本"));
    li.append(p);
  });
  return li;
}

function fadianCheck() {
  var box = document.getElementById("fadian-check");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  var form = fadianEl("form", { class: "fadian-check-form" });
  var area = fadianEl("textarea", { name: "text", rows: "8", "aria-label": "要核验的文字",
    placeholder: "粘贴含有法条引用的文字，如：依照《中华人民共和国刑法》第一百六十五条……" });
  var dateLabel = fadianEl("label", {}, "核验日期 ");
  var date = fadianEl("input", { type: "date", name: "date", value: fadianToday().iso });
  dateLabel.append(date);
  var submit = fadianEl("button", { type: "submit" }, "核验");
  var status = fadianEl("p", { class: "fadian-check-status", role: "status", "aria-live": "polite" });
  var list = fadianEl("ol", { class: "fadian-check-results" });
  form.append(area, dateLabel, submit);
  box.replaceChildren(form, status, list);
  var run = 0;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var mine = ++run, day = date.value || fadianToday().iso;
    list.replaceChildren();
    status.textContent = "正在核验……";
    fadianCheckText(area.value, day).then(function (rows) {
      if (mine !== run) return;
      rows.forEach(function (r) { list.append(fadianCheckRow(r)); });
      var wrong = rows.filter(function (r) { return r.verdict === "missing" || r.verdict === "not_in_force"; }).length;
      status.textContent = rows.length ? "共 " + rows.length + " 处引用，" + wrong + " 处有误（截至 " + day + "）" : "没有找到法条引用";
      list.dataset.done = "1";
    });
  });
}

fadianCheck();
