// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Confirm before destructive or bulk actions: <button data-confirm="…">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Ctrl/Cmd+S saves the form that has [data-save-shortcut].
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      var form = document.querySelector("form[data-save-shortcut]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    }
  });
})();
// Bars carry their width as data so the CSP can forbid inline styles.
(function () {
  "use strict";
  function sizeBars(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      element.style.width = Math.max(0, Math.min(100, Number(element.getAttribute("data-width")))) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  document.addEventListener("htmx:afterSwap", function (event) { sizeBars(event.target); });
})();
