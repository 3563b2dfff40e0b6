// kg serve --watch: reload this page when the data is built again, and lay the data's problems over it
// while there are any (web/watch.py answers /__watch).  Only pages served by --watch load this file.
"use strict";

(() => {
  let served = null; // the build this page was made from
  let box = null;

  function show(problems) {
    if (!box) {
      box = document.createElement("section");
      box.className = "watch-problems";
      box.setAttribute("role", "alert");
      document.body.prepend(box);
    }
    const title = document.createElement("h2");
    title.textContent = "The data has problems: this is the last good build until they are fixed";
    const list = document.createElement("pre");
    list.textContent = problems.join("\n");
    box.replaceChildren(title, list);
  }

  async function ask() {
    try {
      const answer = await fetch("/__watch", { cache: "no-store" });
      const { version, problems } = await answer.json();
      if (served === null) {
        served = version;
      }
      if (problems.length) {
        show(problems);
      } else if (version !== served) {
        window.location.reload();
        return;
      } else if (box) {
        box.remove();
        box = null;
      }
    } catch (error) {
      // the preview is restarting: ask again
    }
    window.setTimeout(ask, 1000);
  }

  ask();
})();
