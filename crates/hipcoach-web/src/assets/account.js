// The account page: tells the server this browser's offset from UTC (minutes east) for calendar
// times, and copies the calendar address at a tap.
for (const field of document.querySelectorAll("input[data-utc-offset]")) {
  field.value = String(-new Date().getTimezoneOffset());
}
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.hidden = !navigator.clipboard;
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    const said = document.getElementById(button.dataset.copy + "-copied");
    try {
      await navigator.clipboard.writeText(field.value);
      said.textContent = "Copied.";
    } catch {
      field.select();
      said.textContent = "Select the address and copy it.";
    }
  });
}
