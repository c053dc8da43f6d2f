// insightmap: Pagefind search where the theme's search box would be. The index and its UI
// (pagefind/, written by `pagefind` after the engine) lie in the site itself: nothing loads
// from another host, and a query fetches only the index chunks it needs.
//
// Speed of a first search (benchmarks/search_transfer.py): a large site's index comes in
// shards (pagefind/insightmap.json names pagefind-2/ ...), merged here with Pagefind's
// mergeIndex, because Pagefind's search time grows with the square of a shard's hits. The
// index (Pagefind's worker, wasm, page list and filters of every shard) is loaded when the
// browser is idle after the page has loaded, or as soon as the pointer or focus reaches the
// box, so that typing starts a search at once instead of a chain of downloads.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL("../pagefind/", script.src).href; // this file is assets/insightmap-search.js
  var EXCERPT_WORDS = 24;
  var pagefind = null; // the Pagefind module, with every shard merged once preloaded
  var shards = []; // the other shards' bundle paths
  var preloaded = false;

  function preload() {
    // Start loading the index: the merged shards first, so that no search runs without them.
    if (preloaded || !pagefind) return;
    preloaded = true;
    shards.forEach(function (path) {
      pagefind.mergeIndex(path, { excerptLength: EXCERPT_WORDS });
    });
    pagefind.filters().then(function () {
      document.dispatchEvent(new CustomEvent("im-search-ready"));
    });
  }

  function whenIdle(callback) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(callback, { timeout: 3000 });
    } else {
      setTimeout(callback, 500);
    }
  }

  function manifest() {
    return fetch(bundle + "insightmap.json")
      .then(function (response) {
        return response.ok ? response.json() : { shards: [] };
      })
      .catch(function () {
        return { shards: [] };
      })
      .then(function (data) {
        // Folders of the site (beside pagefind/), as paths like Pagefind's own bundle path.
        return (data.shards || []).map(function (shard) {
          return new URL("../" + shard, bundle).pathname;
        });
      });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var ui = document.createElement("script");
      ui.src = src;
      ui.onload = resolve;
      ui.onerror = reject;
      document.head.appendChild(ui);
    });
  }

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
    // Capture: these run before the UI's own focus handler, so its first search has every shard.
    ["focus", "pointerenter", "touchstart"].forEach(function (name) {
      box.addEventListener(name, preload, { capture: true, passive: true });
    });
    Promise.all([import(bundle + "pagefind.js"), manifest(), loadScript(bundle + "pagefind-ui.js")]).then(
      function (loaded) {
        pagefind = loaded[0];
        shards = loaded[1];
        pagefind.options({ excerptLength: EXCERPT_WORDS });
        // The UI speaks the page's language (<html lang="sv">); each hit shows its organisation
        // and date above the excerpt instead of metadata run together in the text.
        new window.PagefindUI({
          element: "#im-search",
          bundlePath: bundle, // the same pagefind.js as above: the UI searches the merged shards
          showImages: false,
          showMetadata: false, // organisation and date are shown above the excerpt, in Swedish
          resetStyles: false,
          excerptLength: EXCERPT_WORDS,
          // The index is loaded before typing; a short pause is enough to skip a search per letter.
          debounceTimeoutMs: 150,
          processResult: function (result) {
            var meta = result.meta || {};
            var line = [meta.organisation, meta.date].filter(Boolean).join(" · ");
            // Shown once, in the line above; the UI would repeat them as English "Date: …" chips.
            delete meta.organisation;
            delete meta.date;
            if (line) {
              var escaped = line.replace(/[&<>"]/g, function (c) {
                return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
              });
              result.excerpt = '<span class="im-search-meta">' + escaped + "</span> " + result.excerpt;
            }
            return result;
          },
        });
        if (document.readyState === "complete") {
          whenIdle(preload);
        } else {
          window.addEventListener("load", function () {
            whenIdle(preload);
          });
        }
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
