// The connections page of the static export for ?from=&to=: each end read as the server reads it (a slug, else
// a name or alias the fan sees), the chains found by offline-connect.js, listed as the server's page lists
// them (each step's relations with their arrows and marks).  The map of the chains is the server's alone.
"use strict";

(() => {
  const { badges, element } = window.kgOfflineConnect;

  function entityLink(tables, entity, lens) {
    const e = tables.entities[entity];
    const box = element("span", "entity");
    const link = element("a", "", e.label);
    link.href = e.url;
    box.append(link, ...badges(lens.entityMarks(entity)).flatMap((b) => [" ", b]));
    return box;
  }

  async function resolve(tables, index, text, reading, lens) {
    const path = text.trim().replace(/^\/id\//, "");
    if (tables.byPath.has(path)) {
      return { entity: tables.byPath.get(path), others: [] };
    }
    const hits = index.search(text, reading, 20).hits.filter((hit) => hit.rank === 0);
    const found = hits.map((hit) => tables.entities.findIndex((e) => e.url === hit.url)).filter((i) => i >= 0 && lens.shown(i));
    return { entity: found.length ? found[0] : null, others: found.slice(1) };
  }

  function message(section, className, ...parts) {
    const note = element("p", `message ${className}`);
    note.append(...parts);
    section.append(note);
  }

  async function connectionsPage(section) {
    const params = new URLSearchParams(window.location.search);
    const typed = { from: params.get("from") || "", to: params.get("to") || "" };
    if (!typed.from.trim() || !typed.to.trim()) { // one end given (a graph view's "how is it connected…"): named
      const tables = await window.kgOfflineGraph(document.body.dataset.graphIndex);
      const one = tables.byPath.get(typed.from.trim());
      if (one !== undefined && new window.kgOfflineConnect.Lens(tables, window.kgReading(), true).shown(one)) {
        section.querySelector("#connect-from").value = tables.entities[one].label;
      }
      return;
    }
    const reading = window.kgReading();
    const [tables, index] = await Promise.all([window.kgOfflineGraph(document.body.dataset.graphIndex),
      window.kgOfflineSearch(document.body.dataset.searchIndex)]);
    const { connect, ARROWS, DIRECTION } = window.kgOfflineConnect;
    const probe = connect(tables, -1, -1, reading).lens;
    const ends = {};
    for (const end of ["from", "to"]) {
      const found = await resolve(tables, index, typed[end], reading, probe);
      const box = section.querySelector(`#connect-${end}`);
      if (found.entity === null) {
        message(section, "unknown", `No entity you can see is called “${typed[end]}”.`);
        return;
      }
      ends[end] = found.entity;
      box.value = tables.entities[found.entity].label;
    }
    section.querySelectorAll("p.intro").forEach((intro) => intro.remove());
    if (ends.from === ends.to) {
      message(section, "same", "Both ends are ", entityLink(tables, ends.from, probe), ": pick two different entities.");
      return;
    }
    const connection = connect(tables, ends.from, ends.to, reading);
    if (!connection.chains.length) {
      message(section, "none", "No chain of at most 4 facts links ", entityLink(tables, ends.from, probe), " and ",
        entityLink(tables, ends.to, probe), reading.seen === null ? "." : " among what you have seen so far.");
      return;
    }
    if (connection.viaTrivial) {
      message(section, "trivial", "Nothing but shared films, casts or sources links them, so these chains go through them.");
    }
    const list = element("ol", "chains");
    for (const chain of connection.chains) {
      const item = element("li", "chain");
      item.append(element("span", "steps", `${chain.steps.length} step${chain.steps.length === 1 ? "" : "s"}`), " ",
        entityLink(tables, chain.entities[0], connection.lens));
      chain.steps.forEach((links, i) => {
        const step = element("span", "step");
        links.forEach((link, j) => {
          const direction = DIRECTION[link[2]];
          const relation = element("span", `relation ${direction}`);
          relation.append(element("span", "arrow", ARROWS[direction]), ` ${tables.predicates[link[1]].label} `,
            element("span", "arrow", ARROWS[direction]));
          step.append(relation, ...badges(connection.lens.linkMarks(link)).flatMap((b) => [" ", b]));
          if (j < links.length - 1) {
            step.append(element("span", "or", " / "));
          }
        });
        item.append(" ", step, " ", entityLink(tables, chain.entities[i + 1], connection.lens));
      });
      list.append(item);
    }
    section.append(list, element("p", "legend", "→ the fact points along the chain, ← it points back, ↔ it goes both ways."));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const section = document.querySelector("section.connections");
    if (section && document.body.dataset.graphIndex) {
      connectionsPage(section);
    }
  });
})();
