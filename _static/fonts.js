// A page whose text holds Chinese (a quote, perhaps inside a collapsed card) fetches the site's Chinese
// font at once, so a card opens with its quote already set in it, and later pages find it cached.
(function () {
  function load() {
    var chinese = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
    if (!document.fonts || !chinese.test(document.body.textContent)) return;
    document.fonts.load('1em "DS Noto Sans CJK SC"', "\u4e2d").catch(function () {});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
