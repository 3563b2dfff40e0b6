// Progressive enhancement only: every page works without this file.
"use strict";

// The spoiler selector applies as soon as it changes (its button stays for keyboards and no-JS).
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("form.spoilers select");
  if (select) {
    select.addEventListener("change", () => select.form.submit());
  }
});
