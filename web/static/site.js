// Progressive enhancement only: every page works without this file.
"use strict";

// The spoiler selector applies as soon as it changes (its button stays for keyboards and no-JS); submitted as
// its button would, so that the static export keeps the choice in the browser (offline-spoilers.js).
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("form.spoilers select");
  if (select) {
    select.addEventListener("change", () => (select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit()));
  }
});

// The matrix's marks are focusable cells that show their words when focused; a tap focuses one (Safari does not on its own).
document.addEventListener("click", (event) => {
  const mark = event.target instanceof Element ? event.target.closest("table.appearances td.in") : null;
  if (mark) {
    mark.focus();
  }
});
