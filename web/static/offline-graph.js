// The graph view of the static export: kg/views/connections.py's neighbourhood of an entity, walked over the
// tables kg/views/graphoffline.py writes (graph-index.js) through offline-connect.js's lens of the fan's
// reading, so the picture, its relation choices, its summary and its list are the server's at that reading.
// The page was written showing everything (what a visitor without JavaScript reads, under the spoiler
// warning); this puts in its place what the fan's reading shows, and hands the picture to graph.js.
"use strict";

(() => {
  const { badges, element } = window.kgOfflineConnect;
  const plural = (n, one, many) => (n === 1 ? one : many);

  // kg/views/connections.py's neighbourhood: the ball around the center (hubs left out), nearest first and
  // real ties before shared films, at most the cap of entities, the facts among them, each relation's count.
  function neighbourhood(tables, center, depth, reading, relations) {
    const { distances, Lens } = window.kgOfflineConnect;
    const ball = (lens) => new Map([...distances(lens, center, depth)]
      .filter(([e]) => e === center || !tables.entities[e].hub));
    const everything = new Lens(tables, reading, true);
    if (!everything.shown(center)) {
      return null;
    }
    const counts = new Map();
    for (const edge of edges(everything, ball(everything).keys())) {
      counts.set(edge.predicate, (counts.get(edge.predicate) || 0) + 1);
    }
    const lens = new Lens(tables, reading, true, relations);
    const found = ball(lens);
    const direct = new Set([...lens.links(center)].filter(([, links]) => !links.every((l) => tables.predicates[l[1]].trivial))
      .map(([other]) => other));
    const path = (e) => tables.entities[e].path;
    const key = (e) => [found.get(e), !direct.has(e) && found.get(e) > 0 ? 1 : 0, path(e)];
    const kept = new Map([...found.keys()].sort((a, b) => window.kgOfflineConnect.compare(key(a), key(b)))
      .slice(0, tables.view.cap).map((e) => [e, found.get(e)]));
    return { center, depth: kept, edges: edges(lens, kept.keys()), relations: counts, total: found.size, everything };
  }

  function edges(lens, entities) { // each fact among these entities once, as stated, in the server's order
    const among = new Set(entities);
    const found = new Map();
    const path = (e) => lens.tables.entities[e].path;
    for (const entity of among) {
      for (const [other, links] of lens.links(entity)) {
        if (among.has(other)) {
          for (const link of links) {
            let [s, o] = link[2] === -1 ? [other, entity] : [entity, other];
            if (link[2] === 0 && path(o) < path(s)) {
              [s, o] = [o, s];
            }
            found.set(`${s} ${link[1]} ${o}`, { subject: s, predicate: link[1], object: o, symmetric: link[2] === 0 });
          }
        }
      }
    }
    return [...found.values()];
  }

  function view(tables, center, depth, reading, chosen) {
    const hood = neighbourhood(tables, center, depth, reading, chosen);
    if (hood === null) {
      return null;
    }
    const { compare } = window.kgOfflineConnect;
    const e = tables.entities;
    const p = tables.predicates;
    const order = (x) => [x.subject === center || x.object === center ? 0 : 1, e[x.subject].label,
      p[x.predicate].label, e[x.object].label, e[x.subject].path, p[x.predicate].iri, e[x.object].path, x.symmetric ? 1 : 0];
    hood.edges.sort((a, b) => compare(order(a), order(b)));
    const marksOf = (edge) => { // as stated, from the lens without a choice of relations (web/connections.py)
      const link = hood.everything.links(edge.subject).get(edge.object)
        ?.find((l) => l[1] === edge.predicate && l[2] !== -1);
      return link ? hood.everything.linkMarks(link) : [];
    };
    const node = (entity) => ({ id: e[entity].path, label: e[entity].label, kind: e[entity].kind, url: e[entity].url,
      group: e[entity].group });
    return {
      hood,
      groups: [...new Set([...hood.depth.keys()].map((x) => e[x].group))].sort(),
      relations: [...hood.relations].map(([predicate, count]) => ({ name: p[predicate].name, label: p[predicate].label,
        count, checked: chosen === null || chosen.has(predicate) }))
        .sort((a, b) => compare([a.label, a.name], [b.label, b.name])),
      data: {
        nodes: [...hood.depth].map(([entity, d]) => Object.assign(node(entity), { depth: d, center: entity === center,
          marks: hood.everything.entityMarks(entity) })),
        edges: hood.edges.map((x) => ({ id: `${e[x.subject].path} ${p[x.predicate].name} ${e[x.object].path}`,
          source: e[x.subject].path, target: e[x.object].path, relation: p[x.predicate].name,
          label: p[x.predicate].label, symmetric: x.symmetric, marks: marksOf(x) })),
      },
      marksOf,
    };
  }

  function entityLink(tables, entity) {
    const link = element("a", "", tables.entities[entity].label);
    link.href = tables.entities[entity].url;
    return link;
  }

  function hidden(section, tables, center) {
    const kind = tables.entities[center].kind;
    const heading = element("h1", "", `A hidden ${kind}`);
    const note = element("p", "message hidden-end", `This ${kind} is named only by a work you have not seen yet: its ` +
      "surroundings are hidden at your spoiler level.");
    section.replaceChildren(heading, note);
    document.title = document.title.replace(/^.*? · /, `A hidden ${kind} · `);
  }

  function relationChoices(form, relations) {
    const old = form.querySelector("fieldset.relations");
    if (!relations.length) {
      old?.remove();
      return;
    }
    const box = element("fieldset", "relations");
    box.append(element("legend", "", "Relations"));
    for (const r of relations) {
      const label = element("label");
      const input = element("input");
      Object.assign(input, { type: "checkbox", name: "rel", value: r.name, checked: r.checked });
      label.append(input, ` ${r.label} `, element("span", "count", String(r.count)));
      box.append(label);
    }
    if (old) {
      old.replaceWith(box);
    } else {
      form.querySelector("fieldset.depth").after(box);
    }
  }

  function summary(section, tables, shown, depth, reading) {
    const { hood } = shown;
    const name = tables.entities[hood.center].label;
    const [around, found, n] = [Math.max(hood.depth.size - 1, 0), Math.max(hood.total - 1, 0), hood.edges.length];
    const steps = `${depth} ${plural(depth, "step", "steps")}`;
    const facts = `the ${n} ${plural(n, "fact", "facts")} between them.`;
    const line = section.querySelector("p.summary");
    if (hood.total > hood.depth.size) {
      line.replaceChildren(`Showing the ${around} entities closest to ${name} (of the ${found} within ${steps}) and ${facts} `,
        element("strong", "capped", `Choose fewer relations${depth > 1 ? " or 1 step" : ""} to see the rest.`));
    } else {
      line.replaceChildren(`Showing the ${around} ${plural(around, "entity", "entities")} within ${steps} of ${name} and ${facts}`);
    }
    const key = section.querySelector("ul.key:not(.lines)");
    key.replaceChildren(...shown.groups.map((group) => {
      const item = element("li");
      item.append(element("span", `dot group-${group}`), ` ${group}`);
      return item;
    }));
    const list = section.querySelector("details.as-list");
    list.querySelector("summary").textContent = `The ${n} ${plural(n, "fact", "facts")} shown, as a list`;
    list.querySelectorAll(":scope > ul, :scope > p").forEach((old) => old.remove());
    if (!n) {
      list.append(element("p", "", `Nothing${reading.seen === null ? "" : " you have seen so far"} links ${name} to other ` +
        "entities through these relations."));
      return;
    }
    const items = element("ul");
    for (const edge of hood.edges) {
      const direction = edge.symmetric ? "both" : "forward";
      const arrow = edge.symmetric ? "↔" : "→";
      const relation = element("span", `relation ${direction}`);
      relation.append(element("span", "arrow", arrow), ` ${tables.predicates[edge.predicate].label} `, element("span", "arrow", arrow));
      const item = element("li");
      item.append(entityLink(tables, edge.subject), " ", relation, " ", entityLink(tables, edge.object),
        ...badges(shown.marksOf(edge)).flatMap((b) => [" ", b]));
      items.append(item);
    }
    list.append(items);
  }

  async function graphPage(section, box) {
    const tables = await window.kgOfflineGraph(document.body.dataset.graphIndex);
    const center = tables.byPath.get(box.dataset.center);
    if (center === undefined) {
      return;
    }
    const params = new URLSearchParams(window.location.search);
    const { depths, max_relations: maxRelations } = tables.view; // web/connections.py's
    const depth = depths.includes(Number(params.get("depth"))) ? Number(params.get("depth")) : depths[0];
    const names = new Set(params.getAll("rel").slice(0, maxRelations));
    const chosen = new Set(tables.predicates.flatMap((p, i) => (names.has(p.name) ? [i] : [])));
    const reading = window.kgReading();
    const shown = view(tables, center, depth, reading, chosen.size ? chosen : null);
    if (shown === null) {
      hidden(section, tables, center);
      return;
    }
    const form = section.querySelector("form.graph-controls");
    form.querySelectorAll("fieldset.depth input").forEach((input) => { input.checked = Number(input.value) === depth; });
    relationChoices(form, shown.relations);
    summary(section, tables, shown, depth, reading);
    box.dataset.offline = "drawn";
    if (window.kgGraphView) {
      window.kgGraphView.draw(box, shown.data);
    }
    section.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    const section = document.querySelector("section.graph-view");
    const box = document.getElementById("graph");
    if (section && box && document.body.dataset.graphIndex) {
      graphPage(section, box);
    }
  });
})();
