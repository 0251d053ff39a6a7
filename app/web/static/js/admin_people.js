// 用户与组织: the Excel picker names the chosen file in Chinese (the browser's own button speaks the browser's language).
document.querySelectorAll("input[type=file][data-file-name]").forEach((input) => {
  const shown = document.getElementById(input.dataset.fileName);
  input.addEventListener("change", () => {
    shown.textContent = input.files.length ? input.files[0].name : shown.dataset.empty;
  });
});
