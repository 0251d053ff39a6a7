// A deadline's full date on tap: the words stay, the date (with the year) shows below them.
for (const button of document.querySelectorAll("button.when")) {
  button.addEventListener("click", () => {
    const full = button.nextElementSibling;
    full.hidden = !full.hidden;
    button.setAttribute("aria-expanded", String(!full.hidden));
  });
}
