
// A visible permalink control on every article, at the right of its first line: copies the article's
// stable link (w/<slug>/#<wId> when the document has a history: it follows the article through
// renumbering), else this page's anchor.
function fadianPermalinks() {
  document.querySelectorAll(".fadian-article[id]").forEach(function (article) {
    var num = article.querySelector("[role=heading]");
    if (!num || article.querySelector(".fadian-permalink")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fadian-permalink";
    button.textContent = "复制链接";
    button.setAttribute("aria-label", "复制" + num.textContent + "的链接");
    button.title = "复制本条的永久链接";
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var base = document.getElementById("fadian-permalink-base");
      // data-wid only where the article was renumbered: elsewhere its wId is its anchor
      var url = base
        ? new URL(base.dataset.base, location.href).href + "#" + (article.dataset.wid || article.id)
        : location.origin + location.pathname + "#" + article.id;
      var done = function () { button.textContent = "已复制"; button.dataset.url = url; fadianDatedCopy(article, button, num); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, done);
      } else { done(); }
    });
    num.parentNode.insertBefore(button, num.parentNode.firstChild);
  });
}
// After the stable link is copied, the same article's address in this version (its AKN portion:
// akn/…/zho@DATE/~art_165, which the site's 404 page opens at this version's article, whatever
// later versions do) is one more click away — for a citation that must name the version.
function fadianDatedCopy(article, button, num) {
  var expression = document.getElementById("fadian-expression");
  if (!expression || !expression.dataset.uri || article.querySelector(".fadian-permalink-dated")) return;
  var date = expression.dataset.uri.split("@").pop();
  var url = new URL(expression.dataset.uri.replace(/^\//, "") + "/~" + article.id, fadianRoot).href;
  var dated = document.createElement("button");
  dated.type = "button";
  dated.className = "fadian-permalink-dated";
  dated.textContent = "复制本版本（" + date + "）地址";
  dated.setAttribute("aria-label", "复制" + num.textContent + "在 " + date + " 版本中的地址");
  dated.addEventListener("click", function (event) {
    event.preventDefault();
    var copied = function () { dated.textContent = "已复制本版本地址"; dated.dataset.url = url; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(copied, copied);
    else copied();
  });
  button.parentNode.insertBefore(dated, button.nextSibling);
}

// The site's root, from this script's own address (assets/fadian.js), wherever it is deployed.
var fadianRoot = new URL("../", document.currentScript ? document.currentScript.src : location.href);

// A query as the index spells it (render/search.py index_text): every Han character a word, the
// Chinese text one phrase — so 数据安全 finds 数据安全 and not every text with 数据 and 安全 apart,
// wherever the segmenter would have cut it.
function fadianSearchTerm(term) {
  var t = term.trim();
  if (!/[\u3400-\u9fff]/.test(t) || /[\s"]/.test(t)) return term;
  t = t.replace(/([\u3400-\u9fff])/g, " $1 ").replace(/\s+/g, " ").trim();
  return "\"" + t + "\"";
}
window.fadianSearchTerm = fadianSearchTerm;

// Chinese and Arabic numerals of statute numbering: 一百六十五, 两, 165 → 165 (0 when not one).
function fadianNumber(text) {
  if (/^\d+$/.test(text)) return parseInt(text, 10);
  var digits = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  var units = { 十: 10, 百: 100, 千: 1000, 万: 10000 };
  var total = 0, section = 0, digit = 0;
  for (var k = 0; k < text.length; k++) {
    var c = text[k];
    if (c in digits) { digit = digits[c]; }
    else if (c === "万") { section = (section + digit) * 10000; total += section; section = 0; digit = 0; }
    else if (c in units) { section += (digit || 1) * units[c]; digit = 0; }
    else return 0;
  }
  return total + section + digit;
}
window.fadianNumber = fadianNumber;

// A title as readers type it: no spaces or book-title marks, no 中华人民共和国 in front.
function fadianNormal(text) {
  return text.replace(/[\s\u3000《》〈〉<>“”"]/g, "").replace(/^中华人民共和国/, "");
}

// "Article N of law X" (刑法第一百六十五条, 刑法 第165条, 民法典第五百条第二款, 刑法165): the law named
// and the eId of the article, or null. A law alone (民法典) gives the law and no eId.
var FADIAN_NUM = "[零〇一二两三四五六七八九十百千万0-9]+";
var FADIAN_ARTICLE = new RegExp(
  "^(.*?)第?(" + FADIAN_NUM + ")条(?:之(" + FADIAN_NUM + "))?(?:第(" + FADIAN_NUM + ")款)?" +
  "(?:第[（(]?(" + FADIAN_NUM + ")[）)]?项)?$");
function fadianArticleQuery(query) {
  var q = fadianNormal(query);
  var m = q.match(FADIAN_ARTICLE) || q.match(/^(.*?\D)(\d+)$/);
  if (!m) return { law: q, eid: "" };
  var n = fadianNumber(m[2]);
  if (!n) return { law: q, eid: "" };
  var eid = "art_" + n + (m[3] ? "-" + fadianNumber(m[3]) : "");
  if (m[4]) eid += "__para_" + fadianNumber(m[4]);
  if (m[5]) eid += (m[4] ? "" : "__para_1") + "__point_" + fadianNumber(m[5]);
  return { law: m[1].replace(/的$/, ""), eid: eid, article: n };
}

// The work a query names, from the site's list of titles (search/titles.json: [title, page,
// articles] of each text in force): the title itself, else the one it ends (刑法 → 中华人民共和国刑法),
// the shortest such title first.
// Of the texts of one title (versions kept as separate files): the one in force that has the
// article asked for, else one that has it, else the one in force.
function fadianBestOf(texts, article) {
  // (a part of a work kept in several files: [.., first article] — the part that holds it)
  var has = function (t) { return !article || !t[2] || (article <= t[2] && !(t[4] > article)); };
  var rank = function (t) { return (has(t) ? 2 : 0) + (t[3] ? 1 : 0); };
  return texts.slice().sort(function (a, b) { return rank(b) - rank(a); })[0] || null;
}

function fadianFindLaw(titles, law, article) {
  if (law.length < 2) return null;
  var exact = [], endings = [];
  titles.forEach(function (t) {
    var name = fadianNormal(t[0]);
    if (name === law) exact.push(t);
    else if (name.length > law.length && name.slice(-law.length) === law) endings.push(t);
  });
  if (exact.length) return fadianBestOf(exact, article);
  endings.sort(function (a, b) { return a[0].length - b[0].length; });
  return fadianBestOf(endings.filter(function (t) { return t[0].length === (endings[0] || t)[0].length; }), article);
}

function fadianEl(tag, attrs, text) {
  var el = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
  if (text) el.textContent = text;
  return el;
}

// 效力级别 from the highest (read/schemas.LEVELS, in its order): a search ranks by it
var FADIAN_LEVELS = ["宪法", "法律", "行政法规", "监察法规", "司法解释", "部门规章", "地方性法规", "自治条例和单行条例", "地方政府规章"];

// A query that names a law (公司法, 物业管理条例): found as that name, not inside another word.
var FADIAN_LAW_NAME = /(?:法|法典|条例|规定|办法|细则|规则|解释|决定)$/;
// 公司法定代表人, 公司法人: words a law's name ending in 法 does not stand before (公司法规定 does)
var FADIAN_NOT_AFTER_FA = /^(?:定|人|律|院|制|治|官|庭|务|学|理|则|规(?!定))/;

function fadianAsName(squashed, at, q) {
  return !/法$/.test(q) || !FADIAN_NOT_AFTER_FA.test(squashed.slice(at + q.length, at + q.length + 2));
}

// The articles of a result that hold the query, each with its excerpt: Pagefind's text of the
// page cut at its headings (the anchors, in order), each part searched for the query itself
// (``asName``: a law's name, as a name).
function fadianMatchingUnits(data, query, asName) {
  var content = data.content, q = query.replace(/[\s"]/g, "");
  var starts = [], from = 0;
  data.anchors.forEach(function (a) {
    var at = content.indexOf(a.text + ".", from);
    if (at >= 0 && a.id) { starts.push({ id: a.id, text: a.text, at: at }); from = at + 1; }
  });
  var out = [];
  starts.forEach(function (s, k) {
    var body = content.slice(s.at + s.text.length + 1, k + 1 < starts.length ? starts[k + 1].at : content.length);
    var excerpt = fadianExcerpt(body, q, asName);
    if (excerpt) out.push({ id: s.id, label: s.text, excerpt: excerpt });
  });
  return out;
}

// Around the first place a text holds the query (spaces ignored; ``asName``: as a law's name):
// [before, match, after], or null.
function fadianExcerpt(text, q, asName) {
  if (!q) return null;
  var squashed = "", map = [];
  for (var k = 0; k < text.length; k++) {
    if (!/\s/.test(text[k])) { squashed += text[k]; map.push(k); }
  }
  var at = squashed.indexOf(q);
  while (asName && at >= 0 && !fadianAsName(squashed, at, q)) at = squashed.indexOf(q, at + 1);
  if (at < 0) return null;
  var start = map[at], end = map[at + q.length - 1] + 1;
  // the index spells every Han character apart: joined again for reading
  var tidy = function (t) { return t.replace(/([^\x00-\x7f]) (?=[^\x00-\x7f])/g, "$1"); };
  return [tidy(text.slice(Math.max(0, start - 36), start)).trimStart(), tidy(text.slice(start, end)),
          tidy(text.slice(end, end + 60))];
}

// Search: a query naming a law and an article opens that article first (from the titles list,
// without the index); then Pagefind's index of the current texts, each document with every
// article that holds the query; filters by 效力级别, 时效性, 地区, 年份. A ?q= in the address runs
// that query, and a search changes the address (a search can be linked).
function fadianSearch() {
  var box = document.getElementById("fadian-search");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  var base = new URL("pagefind/", fadianRoot);
  var form = fadianEl("form", { class: "fadian-search-form" });
  var input = fadianEl("input", { type: "search", name: "q", "aria-label": "搜索条文",
    placeholder: "如：刑法第一百六十五条、个人信息、民法典", autocomplete: "off" });
  var submit = fadianEl("button", { type: "submit" }, "搜索");
  var filters = fadianEl("div", { class: "fadian-filters" });
  var status = fadianEl("p", { class: "fadian-search-status", role: "status", "aria-live": "polite" });
  var list = fadianEl("ol", { class: "fadian-results" });
  var more = fadianEl("button", { type: "button", class: "fadian-more" }, "显示更多");
  more.hidden = true;
  var fullText = fadianEl("button", { type: "button", class: "fadian-full-text" }, "在全部文本中搜索");
  fullText.hidden = true;
  form.append(input, submit);
  box.replaceChildren(form, filters, status, list, fullText, more);
  var pagefind = null, titles = null, results = [], shown = 0, query = "", run = 0, opened = "", named = false;
  // the filters chosen, kept in the address (?效力级别=法律): a search can be linked with them;
  // one row per work unless the reader asks for the historical versions too (?版本=全部)
  var params = new URLSearchParams(location.search);
  var chosen = { "版本": "现行" };
  params.forEach(function (value, name) { if (name !== "q") chosen[name] = value; });
  if (chosen["版本"] === "全部") delete chosen["版本"];
  var keepFilters = function () {
    var url = new URL(location.href);
    Array.from(url.searchParams.keys()).forEach(function (name) { if (name !== "q") url.searchParams.delete(name); });
    Object.keys(chosen).forEach(function (name) {
      if (!(name === "版本" && chosen[name] === "现行")) url.searchParams.set(name, chosen[name]);
    });
    if (!chosen["版本"]) url.searchParams.set("版本", "全部");
    history.replaceState(null, "", url);
  };

  var loadTitles = function () {
    if (!titles) titles = fetch(new URL("search/titles.json", fadianRoot)).then(function (r) { return r.json(); });
    return titles;
  };
  var loadPagefind = function () {
    if (pagefind) return pagefind;
    pagefind = fetch(new URL("bundles.json", base)).then(function (r) { return r.json(); }).then(function (bundles) {
      if (!bundles.length) return null;  // built with --no-search
      var path = function (b) { return new URL(b, base).pathname; };
      return import(new URL("pagefind.js", new URL(bundles[0], base)).href).then(function (pf) {
        return pf.options({ baseUrl: fadianRoot.pathname }).then(function () {
          return Promise.all(bundles.slice(1).map(function (b) {
            return pf.mergeIndex(path(b), { baseUrl: fadianRoot.pathname });
          }));
        }).then(function () { return pf; });
      });
    });
    return pagefind;
  };
  var direct = function (q) {
    var asked = fadianArticleQuery(q);
    return loadTitles().then(function (all) {
      var law = fadianFindLaw(all, asked.law, asked.article);
      if (!law) return null;
      var page = new URL(law[1], fadianRoot).pathname;
      if (!asked.eid) return { href: page, title: law[0], label: "文件" };
      if (law[2] && asked.article > law[2]) return { href: page, title: law[0], label: "本文件共 " + law[2] + " 条，没有第" + asked.article + "条" };
      var rest = fadianNormal(q).slice(asked.law.length);
      if (/^\d+$/.test(rest)) rest = "第" + rest + "条";
      return { href: page + "#" + asked.eid, title: law[0] + "　" + rest, label: "直达条文" };
    });
  };
  // the index holds the facts a 时效性 follows from (render/search.status_period); the reader's
  // day turns them into statuses, here and in what is asked of Pagefind
  // (版本 too: which file of a work is in force is the reader's day's, render/search.version_values)
  var judged = { "时效性": {}, "版本": {} }, filtersShown = null;
  var askedFilters = function () {
    var out = {};
    Object.keys(chosen).forEach(function (name) {
      var values = judged[name] && judged[name][chosen[name]];
      out[name] = values ? { any: values } : chosen[name];
    });
    return out;
  };
  var showFilters = function (pf) {
    if (filtersShown) return filtersShown;
    filtersShown = pf.filters().then(function (available) {
      var today = fadianToday().iso;
      if (available["时效性"]) available["时效性"] = fadianPeriodCounts(available["时效性"], today, judged["时效性"]);
      if (available["版本"]) available["版本"] = fadianVersionCounts(available["版本"], today, judged["版本"]);
      Object.keys(available).sort().forEach(function (name) {
        var label = fadianEl("label", {}, name + (name === "时效性" ? "（截至 " + fadianToday().text + "）" : "") + " ");
        var select = fadianEl("select", { name: name });
        select.append(fadianEl("option", { value: "" }, name === "版本" ? "全部（含历史版本）" : "全部"));
        Object.keys(available[name]).sort().forEach(function (value) {
          select.append(fadianEl("option", { value: value }, value + "（" + available[name][value] + "）"));
        });
        select.value = chosen[name] || "";
        select.addEventListener("change", function () {
          if (select.value) chosen[name] = select.value; else delete chosen[name];
          keepFilters();
          if (query) search(query);
        });
        label.append(select);
        filters.append(label);
      });
    });
    return filtersShown;
  };
  var render = function (item) {
    var li = fadianEl("li", { class: "fadian-result" });
    var link = fadianEl("a", { class: "fadian-result-link", href: item.href }, item.title);
    li.append(link);
    if (item.label) li.append(fadianEl("span", { class: "fadian-result-label" }, item.label));
    if (item.units && item.units.length) {
      var subs = fadianEl("ul", { class: "fadian-subresults" });
      item.units.forEach(function (u) {
        var sub = fadianEl("li");
        sub.append(fadianEl("a", { class: "fadian-sub-link", href: item.href + "#" + u.id }, u.label));
        var p = fadianEl("span", { class: "fadian-excerpt" });
        p.append(document.createTextNode(" " + u.excerpt[0]), fadianEl("mark", {}, u.excerpt[1]),
                 document.createTextNode(u.excerpt[2]));
        sub.append(p);
        subs.append(sub);
      });
      li.append(subs);
    }
    list.append(li);
  };
  var showMore = function (mine) {
    var page = results.slice(shown, shown + 10);
    shown += page.length;
    more.hidden = true;  // until this page is shown
    return Promise.all(page.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== run) return;
      more.hidden = shown >= results.length;
      if (more.hidden) list.dataset.complete = "1";
      var items = data.map(function (d, k) {
        var units = fadianMatchingUnits(d, query, named);
        var level = FADIAN_LEVELS.indexOf(((d.filters || {})["效力级别"] || [])[0]);
        return { href: d.url.split("#")[0], title: d.meta.title || d.url, units: units, order: k,
                 level: level < 0 ? FADIAN_LEVELS.length : level,
                 inTitle: fadianNormal(d.meta.title || "").indexOf(fadianNormal(query)) >= 0 };
      });
      // a law's name: a text that holds it only inside other words (公司法定代表人) is no hit
      if (named) items = items.filter(function (item) { return item.inTitle || item.units.length; });
      // among each page of results: a document whose title holds the query first, then the one
      // whose articles hold it most, then the higher 效力级别, then Pagefind's order (its
      // relevance); the work a title query opened is not listed again
      items.sort(function (a, b) {
        return (b.inTitle - a.inTitle) || (b.units.length - a.units.length) || (a.level - b.level) || (a.order - b.order);
      });
      items.filter(function (item) { return item.href !== opened || item.units.length; }).forEach(render);
      if (named && more.hidden && !list.children.length) status.textContent = "没有找到提及“" + query + "”的文本";
    });
  };
  var search = function (q) {
    query = q.trim();
    var mine = ++run;
    list.replaceChildren();
    delete list.dataset.complete;
    results = []; shown = 0; more.hidden = true; fullText.hidden = true;
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    // a law and an article is answered from the titles list alone: the index (a chunk per
    // character of the query) is asked only when the reader wants the full text searched too
    var article = !!fadianArticleQuery(query).eid;
    named = !article && FADIAN_LAW_NAME.test(fadianNormal(query));
    var index = article ? null : loadPagefind();
    return direct(query).then(function (hit) {
      if (mine !== run) return null;
      opened = hit ? hit.href.split("#")[0] : "";
      if (hit) render(hit);
      if (hit && article) {
        status.textContent = "";
        fullText.hidden = false;
        list.dataset.complete = "1";
        return null;
      }
      return fullTextSearch(mine, hit, index || loadPagefind());
    });
  };
  var fullTextSearch = function (mine, hit, index, asked) {
    return index.then(function (pf) {
      if (mine !== run) return null;
      if (!pf) { status.textContent = hit ? "" : "本站未建立搜索索引。"; return null; }
      return showFilters(pf).then(function () {
        return pf.search(fadianSearchTerm(query), { filters: askedFilters() });
      }).then(function (r) {
        if (mine !== run) return null;
        results = r.results;
        var none = (asked ? "全文中" : "") + "没有找到含“" + query + "”的文本";
        var found = named ? "提及“" + query + "”的文本：" : "找到 " + results.length + " 件文本";
        status.textContent = results.length ? found : (hit && !asked ? "" : none);
        return showMore(mine);
      });
    });
  };
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    search(input.value);
  });
  more.addEventListener("click", function () { showMore(run); });
  fullText.addEventListener("click", function () {
    fullText.hidden = true;
    delete list.dataset.complete;
    status.textContent = "正在搜索……";
    fullTextSearch(run, true, loadPagefind(), true);
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; search(q); }
}

// 跳转到条: a number typed on a document's page (第165条, 一百六十五, 165) opens that article.
// The form is made here, under the page's dates and legal data (a page marks it data-jump): it
// works only with this script, so a page without it carries none of its markup.
function fadianJumpForm(meta) {
  var input = fadianEl("input", { type: "text", name: "article", size: "10",
    placeholder: "如：165、一百六十五", autocomplete: "off" });
  var label = fadianEl("label", {}, "跳转到条 ");
  label.append(input);
  var form = fadianEl("form", { class: "fadian-jump", role: "search", "aria-label": "跳转到条" });
  form.append(label, " ", fadianEl("button", { type: "submit" }, "跳转"), " ",
    fadianEl("output", { "aria-live": "polite" }));
  var after = meta.nextElementSibling && meta.nextElementSibling.matches("dl.fadian-legal-meta")
    ? meta.nextElementSibling : meta;
  after.after(form);
  return form;
}

function fadianJump() {
  document.querySelectorAll(".fadian-meta[data-jump]").forEach(function (meta) {
    if (meta.dataset.ready) return;
    meta.dataset.ready = "1";
    var form = fadianJumpForm(meta);
    form.dataset.ready = "1";
    var input = form.querySelector("input");
    var output = form.querySelector("output");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var asked = fadianArticleQuery(input.value.replace(/^第?/, "第").replace(/(\d+|[零〇一二两三四五六七八九十百千万]+)$/, "$1条"));
      var target = asked.eid && document.getElementById(asked.eid);
      if (!target) { output.textContent = "本文件没有" + input.value.trim() + "。"; return; }
      output.textContent = "";
      // the address says which article (a link to it), without a navigation the theme would take
      // over; the article is scrolled to, marked and focused (a screen reader reads it next)
      history.pushState(null, "", "#" + asked.eid);
      document.querySelectorAll(".fadian-reached").forEach(function (el) { el.classList.remove("fadian-reached"); });
      target.classList.add("fadian-reached");
      target.setAttribute("tabindex", "-1");
      target.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  });
}

// "As in force on DATE" (the versions of a work): the version whose period holds the date — from
// its 施行日期 (else the day it was made, which the form says) to the day the next took over.
function fadianPick(periods, day) {
  var best = null;
  periods.forEach(function (p) {
    var start = p.effective || p.date;
    if (start <= day && (!p.in_force_until || day < p.in_force_until) && (!best || start >= best.start)) {
      best = { row: p, start: start };
    }
  });
  return best && best.row;
}

function fadianAsOf() {
  document.querySelectorAll("form.fadian-as-of").forEach(function (form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var periods = JSON.parse(form.dataset.periods || "[]");
    var input = form.querySelector("input[type=date]");
    var output = form.querySelector("output");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var row = fadianPick(periods, input.value);
      if (!row) {
        var first = periods.length ? (periods[0].effective || periods[0].date) : "";
        output.textContent = "本站所收的版本中没有在该日施行的（最早的版本自 " + first + " 起）。";
        return;
      }
      output.textContent = row.label + (row.effective ? "（" + row.effective + " 起施行）" : "（施行日期未载明，以其制定之日计）");
      location.href = new URL(row.url, location.href).href;
    });
  });
}

// 时效性 for the reader's day: the page prints the status its build found, dated by the text's own
// period; here it is judged again for today from the same dates, and the line says so
// (render/legal.status_anchor keeps the words the same).
function fadianToday() {
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  return { iso: now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()),
           text: now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日" };
}

function fadianStatusFor(built, effective, until, day) {
  if (["现行有效", "尚未生效", "已修改", "已废止"].indexOf(built) < 0) return built;  // declared: 草案, 有效
  if (until && until <= day) return built === "已废止" ? "已废止" : "已修改";
  if (effective && day < effective) return "尚未生效";
  if (built === "已废止" && !until) return built;  // repealed, the day not stated
  if (built === "已修改" && !until) return built;  // the next version's 施行日期 not stated
  return "现行有效";
}

// The 时效性 a search filter value (base|施行日期|有效至) means on ``day``; counts per status of
// the index's values, and into ``periods`` the values each status stands for.
function fadianPeriodStatus(value, day) {
  var parts = value.split("|");
  if (parts.length !== 3) return value;
  return fadianStatusFor(parts[0] || "现行有效", parts[1], parts[2], day);
}

function fadianPeriodCounts(values, day, groups) {
  return fadianJudgedCounts(values, function (value) { return fadianPeriodStatus(value, day); }, groups);
}

// The index's values of one filter regrouped by what ``judge`` makes of each (a status, 现行 or
// 历史 on the reader's day): the count of each group, and into ``groups`` the values it stands for.
function fadianJudgedCounts(values, judge, groups) {
  var counts = {};
  Object.keys(values).forEach(function (value) {
    var which = judge(value);
    counts[which] = (counts[which] || 0) + values[value];
    (groups[which] = groups[which] || []).push(value);
  });
  return counts;
}

// Whether a file is its work's current one on ``day``, from its 版本 filter value: 现行 (a work
// of one file), 自|START (the newest, from its start), 至|END (an older one, until the next took
// over), 历史 (an older one whose end is not stated).
function fadianVersionOn(value, day) {
  var parts = value.split("|");
  if (parts[0] === "自") return parts[1] <= day ? "现行" : "历史";
  if (parts[0] === "至") return day < parts[1] ? "现行" : "历史";
  return value;
}

function fadianVersionCounts(values, day, groups) {
  return fadianJudgedCounts(values, function (value) { return fadianVersionOn(value, day); }, groups);
}

function fadianStatusAnchor(status, effective, until) {
  if ((status === "现行有效" || status === "尚未生效") && effective) return "（" + effective + " 起施行）";
  if (status === "已修改" && until) return "（" + until + " 起施行新版本）";
  if (status === "已废止" && until) return "（" + until + " 起）";
  return "";
}

// "2024-03-01 起施行的修改" over a later version's changes: 将于 before that day.
function fadianNextVersionToday() {
  var today = fadianToday().iso;
  document.querySelectorAll(".fadian-next-version [data-start]").forEach(function (el) {
    if (today < el.dataset.start) el.textContent = "将于 " + el.dataset.start + " 施行的修改";
  });
}

function fadianStatusToday() {
  document.querySelectorAll(".fadian-legal-status[data-status]").forEach(function (el) {
    var today = fadianToday();
    var status = fadianStatusFor(el.dataset.status, el.dataset.effective, el.dataset.until, today.iso);
    if (!el.dataset.status) return;
    el.dataset.today = status;
    if ("short" in el.dataset) {  // a cell of a table of versions: the table's heading dates it
      el.textContent = status;
      el.title = "截至 " + today.text;
      return;
    }
    el.textContent = "截至 " + today.text + "：" + status + fadianStatusAnchor(status, el.dataset.effective, el.dataset.until);
  });
}

// A link to a collapsed block (下载 → 数据与下载) opens it: the browser scrolls to a closed
// <details> but does not open it.
function fadianOpenTarget() {
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") target.open = true;
}

// An AKN address no file stands at, opened on the site's 404 page: a version's article
// (…/zho@2023-12-29/~art_165, …/!main~art_165) or the version in force on a day
// (…/zho:2024-06-01/~art_165, the naming convention's zho:DATE), found in the work's data file
// and opened at the article; a day before every version says so on the page.
var FADIAN_ADDRESS = /^akn\/(.+?)\/zho([@:])(\d{4}-\d{2}-\d{2})\/?(?:!main)?(?:~([A-Za-z0-9_\-]+))?\/?$/;

function fadianAddress() {
  var path = decodeURIComponent(location.pathname);
  var root = decodeURIComponent(fadianRoot.pathname);
  if (path.indexOf(root) !== 0) return;
  var m = FADIAN_ADDRESS.exec(path.slice(root.length));
  if (!m || (m[2] === "@" && !m[4])) return;  // a version's own address is a page of its own
  fetch(new URL("akn/" + m[1] + "/index.json", fadianRoot)).then(function (r) {
    return r.ok ? r.json() : null;
  }).then(function (work) {
    if (!work) return;
    var rows = work.expressions;
    var row = m[2] === "@"
      ? rows.filter(function (e) { return e.expression_uri.slice(-10) === m[3]; })[0]
      : fadianPick(rows, m[3]);
    if (row) {
      location.replace(new URL(row.page, fadianRoot).href + (m[4] ? "#" + m[4] : ""));
      return;
    }
    var first = rows.length ? (rows[0].effective || rows[0].date) : "";
    var note = fadianEl("p", { class: "fadian-address-note" },
      "《" + work.title + "》：本站所收的版本中没有" + (m[2] === "@" ? m[3] + " 的版本" : "在 " + m[3] + " 施行的") +
      (first ? "（最早的版本自 " + first + " 起）" : "") + "。");
    var article = document.querySelector("article") || document.body;
    article.insertBefore(note, article.firstChild);
  });
}

// 目录 in the phone's drawer: the theme shows a page's contents there only for a page of its
// menu, and a law's page is not one. The page's contents list is put in the drawer as the theme
// puts its own (a row that opens the list, whose title goes back), and a choice closes the
// drawer. On a wide screen the theme hides the row: the list stands beside the text.
function fadianDrawerContents() {
  var primary = document.querySelector(".md-nav--primary > .md-nav__list");
  var contents = document.querySelector(".md-sidebar--secondary .md-nav--secondary");
  if (!primary || !contents || document.getElementById("__toc") ||
      !contents.querySelector(".md-nav__link")) return;
  var item = fadianEl("li", { class: "md-nav__item md-nav__item--active fadian-drawer-contents" });
  var toggle = fadianEl("input", { class: "md-nav__toggle md-toggle", type: "checkbox", id: "__toc" });
  var row = fadianEl("label", { class: "md-nav__link md-nav__link--active", for: "__toc" });
  row.append(fadianEl("span", { class: "md-ellipsis" }, "本页目录"), fadianEl("span", { class: "md-nav__icon md-icon" }));
  var list = contents.cloneNode(true);
  list.querySelectorAll("[data-md-component]").forEach(function (el) { el.removeAttribute("data-md-component"); });
  list.addEventListener("click", function (event) {
    if (!event.target.closest("a")) return;
    toggle.checked = false;
    var drawer = document.getElementById("__drawer");
    if (drawer) drawer.checked = false;
  });
  item.append(toggle, row, list);
  primary.append(item);
}

function fadianPage() {
  fadianAddress();
  fadianPermalinks(); fadianSearch(); fadianJump(); fadianAsOf(); fadianStatusToday(); fadianOpenTarget();
  fadianDrawerContents(); fadianNextVersionToday();
  if (!window.fadianHashWatched) { window.fadianHashWatched = true; window.addEventListener("hashchange", fadianOpenTarget); }
}
if (typeof document$ !== "undefined") { document$.subscribe(fadianPage); }
else { document.addEventListener("DOMContentLoaded", fadianPage); }
