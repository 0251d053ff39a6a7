// 清单 editing: a search box above an organisation picker (a select, or a list of checkboxes) keeps only the
// organisations whose name contains what was typed; the chosen ones always stay. Codes are submitted, names shown.
(function () {
  "use strict";
  function filterSelect(select, text) {
    select.querySelectorAll("option").forEach(function (option) {
      option.hidden = Boolean(text) && !option.selected && option.textContent.indexOf(text) < 0;
    });
    select.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }
  function filterChecks(list, text) {
    list.querySelectorAll("label.check").forEach(function (item) {
      var box = item.querySelector("input");
      item.hidden = Boolean(text) && !box.checked && item.textContent.indexOf(text) < 0;
    });
  }
  function countChosen(list) {
    var counter = document.querySelector('[data-chosen-count="' + list.id + '"]');
    if (!counter) { return; }
    var names = Array.prototype.map.call(list.querySelectorAll("input:checked"), function (box) {
      return box.parentNode.textContent.trim();
    });
    counter.textContent = names.length ? "已选：" + names.join("、") : "未选";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input.org-search[data-filters]").forEach(function (search) {
      var target = document.getElementById(search.getAttribute("data-filters"));
      if (!target) { return; }
      search.hidden = false;
      search.addEventListener("input", function () {
        var text = search.value.trim();
        if (target.tagName === "SELECT") { filterSelect(target, text); } else { filterChecks(target, text); }
      });
      if (target.tagName !== "SELECT") {
        target.addEventListener("change", function () { countChosen(target); });
      }
    });
  });
})();
