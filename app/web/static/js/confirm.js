// An action that cannot be undone asks first: a submit button with data-confirm="…" shows its question once the
// form's own checks (a required reason, say) have passed; "取消" sends nothing. Loaded by the console's pages.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
