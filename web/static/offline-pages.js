// The search page of the static export (kg export-site): its results for ?q=, from the search tables
// (offline-search.js), as the fan reads (offline-spoilers.js), drawn as the server's page draws them.
"use strict";

(() => {
  const PAGE_LIMIT = 100;

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  function matched(hit) {
    const parts = [document.createTextNode(hit.before)];
    if (hit.match) {
      parts.push(element("mark", "", hit.match));
    }
    parts.push(document.createTextNode(hit.after));
    return parts;
  }

  function result(hit) {
    const item = element("li", "result");
    const name = element("a", "name", hit.label);
    const target = new URL(hit.url);
    const here = new URLSearchParams(window.location.search);
    ["seen", "canon"].filter((key) => here.has(key)).forEach((key) => target.searchParams.set(key, here.get(key)));
    name.href = target.href; // a reading named in the URL goes on, as the server's links carry it
    item.append(name);
    if (hit.kind) {
      const kind = element("span", "kind", hit.kind);
      if (hit.context) {
        kind.append(" · ", element("span", "work", hit.context));
      }
      item.append(" ", kind);
    }
    hit.marks.forEach((word) => {
      item.append(" ", element("span", `badge ${["unconfirmed", "disputed"].includes(word) ? "flag" : word}`, word));
    });
    if (hit.field === "alias") {
      const line = element("p", "matched", "also known as ");
      const alias = element("span", "alias");
      alias.append(...matched(hit));
      line.append(alias);
      item.append(line);
    } else if (hit.field === "description") {
      const line = element("p", "matched description");
      line.append(...matched(hit));
      item.append(line);
    }
    return item;
  }

  async function searchPage(section) {
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const box = document.querySelector("input[data-suggest-index]");
    if (!query.trim() || !box) {
      return;
    }
    box.value = query;
    document.title = `Search: ${query.slice(0, 80)}`;
    const index = await window.kgOfflineSearch(box.dataset.suggestIndex);
    const found = index.search(query, window.kgReading(), PAGE_LIMIT);
    const heading = section.querySelector("h1");
    section.replaceChildren(heading);
    if (!found.hits.length) {
      const empty = element("p", "empty", "Nothing in the universe matches ");
      empty.append(element("q", "", query), ". Check the spelling, or try a shorter part of a name.");
      section.append(empty);
      return;
    }
    const count = element("p", "count", `${found.more ? "More than " : ""}${found.total} result${found.total === 1 ? "" : "s"} for `);
    count.setAttribute("role", "status");
    count.append(element("q", "", query), found.total > found.hits.length ? `; the first ${found.hits.length} are shown.` : ".");
    section.append(count);
    if (window.kgOfflineSearch.NEARLY.includes(found.hits[0].rank)) {
      const near = element("p", "near", "Nothing is called ");
      near.append(element("q", "", query), ": these names are the nearest to it.");
      section.append(near);
    }
    const list = element("ol", "results");
    list.append(...found.hits.map(result));
    section.append(list);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const section = document.querySelector("section.search-results");
    if (section) {
      searchPage(section);
    }
  });
})();
