// Copy buttons: the entity's IRI and its citations, one click to the clipboard.
//
// Progressive enhancement: without this file the buttons stay hidden and the texts can be selected by hand.
"use strict";

(() => {
  for (const button of document.querySelectorAll("button.copy[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) {
      continue;
    }
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = "Copied";
      } catch (error) {
        button.textContent = "Select and copy by hand";
      }
      window.setTimeout(() => { button.textContent = label; }, 2000);
    });
  }
})();
