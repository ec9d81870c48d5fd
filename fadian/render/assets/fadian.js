
// A visible permalink control on every article, at the right of its first line: copies the article's
// stable link (w/<slug>/#<wId> when the document has a history: it follows the article through
// renumbering), else this page's anchor.
function fadianPermalinks() {
  document.querySelectorAll(".fadian-article[id]").forEach(function (article) {
    var num = article.querySelector(".fadian-article-num");
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
      var url = base && article.dataset.wid
        ? new URL(base.dataset.base, location.href).href + "#" + article.dataset.wid
        : location.origin + location.pathname + "#" + article.id;
      var done = function () { button.textContent = "已复制"; button.dataset.url = url; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, done);
      } else { done(); }
    });
    num.parentNode.insertBefore(button, num.parentNode.firstChild);
  });
}
// The site's root, from this script's own address (assets/fadian.js), wherever it is deployed.
var fadianRoot = new URL("../", document.currentScript ? document.currentScript.src : location.href);

// A query as the index spells it (render/search.py index_text): Chinese text becomes one phrase,
// so 数据安全 finds 数据安全 and not every text with 数据 and 安全 apart; 第五十三条 is spelled
// one character per word, as it was indexed.
function fadianSearchTerm(term) {
  var t = term.trim();
  if (!/[\u3400-\u9fff]/.test(t) || /[\s"]/.test(t)) return term;
  t = t.replace(/第[零〇一二两三四五六七八九十百千万]+[条款项章节编]/g, function (m) {
    return " " + m.split("").join(" ") + " ";
  }).replace(/\s+/g, " ").trim();
  return "\"" + t + "\"";
}
window.fadianSearchTerm = fadianSearchTerm;

// Search: Pagefind's index of the current texts, loaded only on a page with a search box; a ?q=
// in the address runs that query. The index comes in shards (site/pagefind/<k>/, listed in
// bundles.json) that the search box merges into one list of results.
function fadianSearch() {
  var box = document.getElementById("fadian-search");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  var base = new URL("pagefind/", fadianRoot);
  var start = function (bundles) {
    var path = function (b) { return new URL(b, base).pathname; };
    var ui = new PagefindUI({
      element: "#fadian-search",
      bundlePath: path(bundles[0]),
      mergeIndex: bundles.slice(1).map(function (b) {
        return { bundlePath: path(b), baseUrl: fadianRoot.pathname };
      }),
      baseUrl: fadianRoot.pathname,
      showSubResults: true,
      showImages: false,
      processTerm: fadianSearchTerm,
      translations: { placeholder: "搜索条文，如：数据安全、第五十三条" },
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
    // the search field has a title only: give it a name screen readers announce
    var name = function () {
      var input = box.querySelector("input");
      if (input) { input.setAttribute("aria-label", "搜索条文"); return true; }
      return false;
    };
    if (!name()) {
      var watch = new MutationObserver(function () { if (name()) watch.disconnect(); });
      watch.observe(box, { childList: true, subtree: true });
    }
  };
  fetch(new URL("bundles.json", base)).then(function (r) { return r.json(); }).then(function (bundles) {
    if (!bundles.length) {  // built with --no-search
      box.textContent = "本站未建立搜索索引。";
      return;
    }
    if (window.PagefindUI) { start(bundles); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL("pagefind-ui.css", new URL(bundles[0], base)).href;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = new URL("pagefind-ui.js", new URL(bundles[0], base)).href;
    script.onload = function () { start(bundles); };
    document.head.appendChild(script);
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

function fadianPage() { fadianPermalinks(); fadianSearch(); fadianAsOf(); }
if (typeof document$ !== "undefined") { document$.subscribe(fadianPage); }
else { document.addEventListener("DOMContentLoaded", fadianPage); }
