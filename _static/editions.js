/* The edition switcher in the page header.
 *
 * A published edition lives in <site>/<version>/ (and the newest also in <site>/latest/); the
 * site-level <site>/versions.js, loaded by a plain script tag so it works opened from disk, sets
 * window.DEEPSEEK_SHOCK_EDITIONS. This script fills the header's <select> with the editions and,
 * on a choice, opens the same page in the chosen edition (its home page if the page is not in it).
 * Outside a published edition (no versions.js) the switcher stays hidden.
 */
(function () {
  "use strict";

  var script = document.currentScript;

  function editionRoot() {
    // This file is <edition root>/_static/editions.js.
    return new URL("..", script.src);
  }

  function pageInEdition(root) {
    var here = decodeURIComponent(window.location.pathname);
    var base = decodeURIComponent(root.pathname);
    return here.indexOf(base) === 0 ? here.slice(base.length) : "";
  }

  function targetFor(edition, page, siteRoot) {
    var pages = edition.pages || [];
    var known = page && pages.indexOf(page) !== -1;
    var target = new URL(edition.version + "/" + (known ? page : "index.html"), siteRoot).href;
    return known ? target + window.location.hash : target;
  }

  function setUp() {
    var data = window.DEEPSEEK_SHOCK_EDITIONS;
    // Sphinx declares DOCUMENTATION_OPTIONS with const: a global, but not a property of window.
    var current = typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.VERSION;
    var box = document.querySelector(".ds-edition-switcher");
    var select = document.getElementById("ds-edition-select");
    if (!data || !current || !box || !select) {
      return;
    }
    var root = editionRoot();
    var siteRoot = new URL("..", root);
    var page = pageInEdition(root);
    data.editions.forEach(function (edition) {
      var option = document.createElement("option");
      option.value = edition.version;
      option.textContent = edition.version + (edition.version === data.latest ? " (latest)" : "");
      option.selected = edition.version === current;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      var chosen = data.editions.filter(function (edition) {
        return edition.version === select.value;
      })[0];
      if (chosen && chosen.version !== current) {
        window.location.href = targetFor(chosen, page, siteRoot);
      }
    });
    box.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
