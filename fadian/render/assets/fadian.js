
// A visible permalink control on every article: copies the article's full URL.
function fadianPermalinks() {
  document.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id]").forEach(function (h) {
    if (!/^art_/.test(h.id) && !/(^|__)art_/.test(h.id)) return;
    if (h.querySelector(".fadian-permalink")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fadian-permalink";
    button.textContent = "复制链接";
    button.title = "复制本条的永久链接";
    button.addEventListener("click", function (event) {
      event.preventDefault();
      // a document with history: the stable link by wId (w/<slug>/#<wId>), which follows the
      // article through renumbering; otherwise this page's anchor
      var base = document.getElementById("fadian-permalink-base");
      var url = base && h.dataset.wid
        ? new URL(base.dataset.base, location.href).href + "#" + h.dataset.wid
        : location.origin + location.pathname + "#" + h.id;
      var done = function () { button.textContent = "已复制"; button.dataset.url = url; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, done);
      } else { done(); }
    });
    h.appendChild(button);
  });
}
if (typeof document$ !== "undefined") { document$.subscribe(fadianPermalinks); }
else { document.addEventListener("DOMContentLoaded", fadianPermalinks); }
