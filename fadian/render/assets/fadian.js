
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
if (typeof document$ !== "undefined") { document$.subscribe(fadianPermalinks); }
else { document.addEventListener("DOMContentLoaded", fadianPermalinks); }
