// insightmap: Pagefind search where the theme's search box would be. The index and its UI
// (pagefind/, written by `pagefind` after the engine) lie in the site itself: nothing loads
// from another host, and a query fetches only the index chunks it needs.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL("../pagefind/", script.src).href; // this file is assets/insightmap-search.js

  function start() {
    var header = document.querySelector(".md-header__inner") || document.body;
    var box = document.createElement("div");
    box.id = "im-search";
    box.className = "im-search";
    header.appendChild(box);
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = bundle + "pagefind-ui.css";
    document.head.appendChild(css);
    var ui = document.createElement("script");
    ui.src = bundle + "pagefind-ui.js";
    ui.onload = function () {
      // The UI speaks the page's language (<html lang="sv">); each hit shows its organisation
      // and date above the excerpt instead of metadata run together in the text.
      new window.PagefindUI({
        element: "#im-search",
        bundlePath: bundle,
        showImages: false,
        showMetadata: false, // organisation and date are shown above the excerpt, in Swedish
        resetStyles: false,
        excerptLength: 24,
        processResult: function (result) {
          var meta = result.meta || {};
          var line = [meta.organisation, meta.date].filter(Boolean).join(" · ");
          if (line) {
            var escaped = line.replace(/[&<>"]/g, function (c) {
              return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
            });
            result.excerpt = '<span class="im-search-meta">' + escaped + "</span> " + result.excerpt;
          }
          return result;
        },
      });
    };
    document.head.appendChild(ui);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
