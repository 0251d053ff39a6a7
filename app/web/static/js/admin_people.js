// 用户与组织: the Excel picker names the chosen file in Chinese (the browser's own button speaks the browser's language).
document.querySelectorAll("input[type=file][data-file-name]").forEach((input) => {
  const shown = document.getElementById(input.dataset.fileName);
  const submit = input.form && input.form.querySelector("button[type=submit]");
  const chosen = () => {
    shown.textContent = input.files.length ? input.files[0].name : shown.dataset.empty;
    if (submit) submit.disabled = !input.files.length; // 导入 waits for a file: the hidden input cannot say so itself
  };
  chosen();
  input.addEventListener("change", chosen);
});
