// Directory editor: "Add a row" for the child lists (places, phones, hours …).
// Without JavaScript each list still offers one empty row, and saving adds another.
(function () {
  "use strict";
  function setUp(section) {
    var prefix = section.getAttribute("data-formset");
    var template = section.querySelector("template[data-formset-empty]");
    var rows = section.querySelector("[data-formset-rows]");
    var button = section.querySelector("[data-formset-add]");
    var total = section.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = section.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    if (!template || !rows || !button || !total) {
      return;
    }
    button.hidden = false;
    var note = section.querySelector("[data-formset-no-script]");
    if (note) {
      note.hidden = true;
    }
    button.addEventListener("click", function () {
      var index = Number(total.value);
      if (max && index >= Number(max.value)) {
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(setUp);
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
// Staff list: a column sorted through htmx stays sorted when the filters change next.
(function () {
  "use strict";
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var sort = document.getElementById("id_sort");
    if (sort) {
      sort.value = new URLSearchParams(window.location.search).get("sort") || "";
    }
  });
})();
