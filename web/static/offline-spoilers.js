// Spoiler control in the static export, as the server does it per request (web/site.py, kg/views/describe.py):
// the pages are written showing everything, each fact saying from which spoiler level it shows (data-from)
// and from which to a fan reading canon only (data-canon-from, absent if never: a reading or a doubted
// claim); this hides what the fan's reading does not show.  The reading is the URL's (?seen=, ?canon=), else
// the one kept in this browser (localStorage), else nothing seen yet: no story fact until the fan says.
"use strict";

(() => {
  const CONTAINERS = ["section.group", "p.aliases", "aside.infobox", "section.notes", "section.plot",
    "section.timeline", "section.timeline > ol > li", "details.more"];

  function stored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage refused: nothing kept
    }
  }

  function keep(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (error) {
      // kept for this page only
    }
  }

  // {seen: null (everything) | level, canon: bool, answered: bool}
  window.kgReading = function () {
    const url = new URLSearchParams(window.location.search);
    const said = url.get("seen") ?? stored("kg-seen");
    const canon = (url.get("canon") ?? stored("kg-canon")) === "1";
    if (said === "all") {
      return { seen: null, canon, answered: true };
    }
    if (said !== null && /^\d+$/.test(said)) {
      return { seen: Number(said), canon, answered: true };
    }
    return { seen: 0, canon, answered: false };
  };

  function shows(from, canonFrom, reading) {
    const level = reading.canon ? canonFrom : from;
    return level !== undefined && (reading.seen === null || Number(level) <= reading.seen);
  }

  // Lists and the matrix carry every reading's rows (web/variants.py): the fan's show, in their order.
  function variants(reading) {
    const boxes = Array.from(document.querySelectorAll("[data-orders]"));
    if (!boxes.length) {
      return;
    }
    const orders = boxes.map((box) => JSON.parse(box.dataset.orders));
    const level = reading.seen === null || !(`${reading.seen}/0` in orders[0].by) ? "all" : reading.seen;
    const key = `${level}/${reading.canon ? 1 : 0}`;
    document.querySelectorAll("[data-readings]").forEach((item) => {
      item.hidden = !item.dataset.readings.split(" ").includes(key);
    });
    document.querySelectorAll("[data-release]").forEach((item) => { // the matrix's columns of works not seen
      const unseen = reading.seen !== null && (item.dataset.release === "" || Number(item.dataset.release) > reading.seen);
      if (item.matches(".tag")) {
        item.hidden = !unseen;
      } else {
        item.classList.toggle("unseen", unseen);
      }
    });
    boxes.forEach((box, i) => {
      box.kgRows = box.kgRows || Array.from(box.querySelectorAll(":scope > [data-readings]")); // as written
      const order = orders[i].orders[orders[i].by[key]];
      order.forEach((n) => box.append(box.kgRows[n]));
      (box.closest(".table-scroll") || box.closest("table")).hidden = order.length === 0;
    });
  }

  function apply() {
    const reading = window.kgReading();
    variants(reading);
    const heading = document.querySelector("h1[data-name-from]");
    const named = !heading || shows(heading.dataset.nameFrom, heading.dataset.nameCanonFrom, reading);
    if (heading) {
      heading.dataset.name = heading.dataset.name || heading.textContent;
      heading.textContent = named ? heading.dataset.name : heading.dataset.hiddenTitle;
    }
    let hidden = 0;
    document.querySelectorAll("[data-fact]").forEach((fact) => {
      fact.hidden = !named || !shows(fact.dataset.from, fact.dataset.canonFrom, reading);
      hidden += fact.hidden ? 1 : 0;
    });
    CONTAINERS.forEach((selector) => document.querySelectorAll(selector).forEach((box) => {
      const facts = box.querySelectorAll("[data-fact]");
      box.hidden = facts.length > 0 && Array.from(facts).every((fact) => fact.hidden);
      const count = box.querySelector(":scope > h2 .count");
      if (count) {
        count.textContent = String(Array.from(facts).filter((fact) => !fact.hidden).length);
      }
    }));
    document.querySelectorAll(".infobox dt, h3.by-work").forEach((title) => {
      const own = [];
      for (let next = title.nextElementSibling; next && next.tagName !== title.tagName; next = next.nextElementSibling) {
        own.push(...(next.matches("[data-fact]") ? [next] : next.querySelectorAll("[data-fact]")));
      }
      title.hidden = own.length > 0 && own.every((fact) => fact.hidden);
    });
    const note = document.querySelector("p.offline-hidden");
    note.hidden = hidden === 0;
    note.textContent = `${hidden} fact${hidden === 1 ? " is" : "s are"} hidden on this page: revealed in works you ` +
      `have not seen${reading.canon ? ", or readings and doubted claims (you read canon only)" : ""}.`;
    const question = document.querySelector("section.first-visit");
    if (question) {
      question.hidden = reading.answered;
    }
    const level = reading.seen === null ? "all" : String(reading.seen);
    document.querySelectorAll("select[name=seen]").forEach((box) => show(box, level));
    document.querySelectorAll("input[name=seen]").forEach((box) => {
      box.checked = box.value === level;
    });
    document.querySelectorAll("select[name=canon]").forEach((box) => {
      box.value = reading.canon ? "1" : "0";
    });
  }

  // A long ladder's menu lists only some releases (web/pages.py, menu): one chosen on the page of every release
  // (seen.html) joins the menu, under the name it had there.
  function show(box, level) {
    if (!Array.from(box.options).some((option) => option.value === level)) {
      const option = document.createElement("option");
      option.value = level;
      option.textContent = keptLabel(level) || `up to release ${level}`;
      const after = Array.from(box.options).find((other) => other.value === "all" || Number(other.value) > Number(level));
      box.insertBefore(option, after || null);
    }
    box.value = level;
  }

  function keptLabel(level) {
    try {
      const kept = JSON.parse(stored("kg-seen-label") || "null");
      return kept && kept.level === level ? kept.label : null;
    } catch (error) {
      return null; // not ours
    }
  }

  function chosenLabel(form) {
    const box = form.elements.seen;
    if (box instanceof HTMLSelectElement) {
      return box.selectedOptions.length ? box.selectedOptions[0].textContent.trim() : "";
    }
    const checked = form.querySelector("input[name=seen]:checked");
    return checked && checked.labels.length ? checked.labels[0].textContent.trim() : "";
  }

  function choose(event) {
    event.preventDefault();
    const form = event.target;
    if (form.elements.seen) {
      keep("kg-seen", form.elements.seen.value);
      keep("kg-seen-label", JSON.stringify({ level: form.elements.seen.value, label: chosenLabel(form) }));
    }
    if (form.elements.canon) {
      keep("kg-canon", form.elements.canon.value);
    }
    const url = new URL(window.location.href);
    url.searchParams.delete("seen");
    url.searchParams.delete("canon");
    window.history.replaceState(null, "", url);
    if (form.classList.contains("ladder") && window.history.length > 1) {
      window.history.back(); // the page of every release sends the fan back where they were, as the server does
      return;
    }
    apply();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const main = document.querySelector("main");
    if (main) {
      const note = document.createElement("p");
      note.className = "offline-hidden hidden-note";
      note.setAttribute("role", "status");
      main.prepend(note);
    }
    document.querySelectorAll("form.spoilers, section.first-visit form, form.ladder").forEach((form) => {
      form.addEventListener("submit", choose);
    });
    apply();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      apply(); // back from the page of every release: the page was kept as it was
    }
  });
})();
