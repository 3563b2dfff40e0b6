// "Suggest a correction" in the static export (every page loads this; it acts on suggest.html only): the fact
// the link is about (from the address), what the reader says, and the text of an issue for the maintainers
// (a static copy cannot check a patch against the data itself).
"use strict";

(() => {
  const form = document.querySelector("form.offline-suggest");
  if (!form) {
    return;
  }
  const asked = new URLSearchParams(window.location.search);
  const about = (asked.get("about") || "").slice(0, 200);
  const fact = [asked.get("property"), asked.get("value")].filter(Boolean).join(" ").slice(0, 400);
  document.querySelector(".suggest .about").textContent = about ? ` to ${about}` : "";
  form.elements.fact.value = fact;
  if (!fact) {
    form.querySelector("input[value=relation]").checked = true;
  }
  const words = { remove: "is wrong and should be removed", change: "should be", alias: "is also called",
                  relation: "is missing" };

  function write() {
    const kind = form.elements.kind.value;
    const lines = [`Suggested correction for ${about || "(a page)"}${fact ? `, the fact ${fact}` : ""}:`,
                   `${kind === "change" ? "The right value" : "It"} ${words[kind]}${
                     kind !== "remove" && form.elements.new.value ? `: ${form.elements.new.value}` : ""}`];
    if (form.elements.source.value) {
      lines.push(`Source: ${form.elements.source.value}`);
    }
    if (form.elements.note.value) {
      lines.push(`Note: ${form.elements.note.value}`);
    }
    form.elements.issue.value = lines.join("\n");
  }

  form.addEventListener("input", write);
  form.addEventListener("change", write);
  write();
})();
