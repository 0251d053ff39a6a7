// The instance list's filters: choosing a process reloads the list with it, so its versions can be chosen next.
const process = document.getElementById("f-process");
if (process) {
  process.addEventListener("change", () => {
    const version = document.getElementById("f-version");
    if (version) version.value = ""; // another process's version would match nothing
    process.form.requestSubmit();
  });
}
