// Disclosure buttons (data-disclose): the button shows or hides the element its aria-controls names, e.g. the
// phone's menu and the filters of a list. Without script the button stays hidden and the element stays shown;
// the CSS hides a closed element only on a phone.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-disclose]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("aria-controls"));
      if (!target) { return; }
      var show = function (open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        target.classList.toggle("open", open);
      };
      target.classList.add("disclosable");
      button.hidden = false;
      show(button.getAttribute("aria-expanded") === "true");
      button.addEventListener("click", function () { show(button.getAttribute("aria-expanded") !== "true"); });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") { show(false); button.focus(); }
      });
    });
  });
})();
