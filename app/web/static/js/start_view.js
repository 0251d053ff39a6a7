// The start form of an instance, read-only, with what its initiator submitted (task and call pages); drawn when
// first unfolded, so a folded one adds nothing to the page. Photos show as thumbnails (the forms bundle).
import { createForm } from "/static/web/js/forms.js";

for (const section of document.querySelectorAll(".start-view")) {
  const view = JSON.parse(section.querySelector(".start-form-data").textContent);
  const holder = section.querySelector(".start-form");
  const toggle = section.querySelector(".toggle");
  let drawn = false;
  toggle.addEventListener("click", async () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    holder.hidden = !open;
    if (open && !drawn) {
      drawn = true;
      const form = await createForm({ container: holder, readOnly: true });
      await form.importSchema(view.schema, view.data);
    }
  });
}
