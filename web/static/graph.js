// The graph view: draws /api/graph/<slug> with the vendored Cytoscape and its fcose layout (progressive
// enhancement: without this file the page lists the same facts).  Styles live here and in connections.css
// (the CSP forbids inline styles).  Pointing at, tapping or moving to an entity (arrow keys, with the picture
// focused) lights its facts with their relation names; a click, a second tap or Enter opens its page.
// The controls are a plain GET form: any change submits it, so every state is a URL to share.
"use strict";

(() => {
  const LABEL_PX = 12; // names (and lit relation names) at zoom 1
  const READABLE_ZOOM = 0.92; // the default view zooms out no further (names stay 11 px); drag or pinch for the rest
  const MAX_ZOOM = 1.5; // nor zooms a small picture in further than this
  const STRETCH = 1.8; // a round layout is stretched at most this much to the canvas's shape
  const MARKS = new Set(["interpretation", "unconfirmed", "disputed"]);

  // Colours come from connections.css (--group-character, --mark-interpretation...): one palette for the
  // picture and its key.  Lines: dashed for a reading, dotted for what is unconfirmed or disputed (the key says so).
  function style(box) {
    const css = window.getComputedStyle(box);
    const value = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const reading = value("--mark-interpretation", "#7a4fa0");
    const doubted = value("--mark-doubted", "#a15c00");
    const text = { "font-size": LABEL_PX, "font-family": css.fontFamily, "color": "#1d1d1f",
      "text-background-color": "#ffffff", "text-background-padding": 2, "text-background-shape": "roundrectangle" };
    return [
      { selector: "node", style: Object.assign({}, text, {
        "label": "data(label)", "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "wrap",
        "text-max-width": box.clientWidth < 500 ? 100 : 130, "text-background-opacity": 0.85,
        "min-zoomed-font-size": 8, "width": 18, "height": 18,
        "background-color": (node) => value(`--group-${node.data("group")}`, "#999"),
      }) },
      { selector: "node[depth = 2]", style: { "width": 13, "height": 13 } },
      { selector: "node.mark-interpretation", style: { "border-width": 3, "border-style": "dashed", "border-color": reading } },
      { selector: "node.mark-unconfirmed, node.mark-disputed", style: {
        "border-width": 3, "border-style": "dotted", "border-color": doubted } },
      { selector: "node[?center]", style: {
        "width": 30, "height": 30, "font-size": LABEL_PX + 3, "font-weight": "bold", "border-width": 4,
        "border-color": "#f2b705", "border-style": "solid" } },
      { selector: "edge", style: Object.assign({}, text, {
        "label": "", "width": 1.5, "line-color": "#bdb6a8", "curve-style": "bezier", "target-arrow-shape": "triangle",
        "target-arrow-color": "#bdb6a8", "arrow-scale": 0.8, "text-rotation": "autorotate", "text-background-opacity": 0.9,
      }) },
      { selector: "edge[?symmetric]", style: { "target-arrow-shape": "none" } },
      { selector: "edge.interpretation", style: {
        "line-style": "dashed", "line-dash-pattern": [7, 4], "line-color": reading, "target-arrow-color": reading } },
      { selector: "edge.unconfirmed, edge.disputed", style: {
        "line-style": "dotted", "line-color": doubted, "target-arrow-color": doubted } },
      { selector: ".faded", style: { "opacity": 0.25 } },
      { selector: "node.chosen", style: { "overlay-color": "#f2b705", "overlay-opacity": 0.35, "overlay-padding": 6,
        "overlay-shape": "ellipse" } },
      { selector: "edge.lit", style: { "label": "data(label)", "width": 2.5, "z-index": 10, "min-zoomed-font-size": 0 } },
      { selector: "edge.lit[!marked]", style: { "line-color": "#8a1c1c", "target-arrow-color": "#8a1c1c" } },
    ];
  }

  function marksOf(item) {
    return (Array.isArray(item.marks) ? item.marks : []).filter((mark) => MARKS.has(mark));
  }

  function elements(data) {
    const nodes = data.nodes.map((node) => ({
      group: "nodes", data: node, classes: marksOf(node).map((mark) => `mark-${mark}`) }));
    const edges = data.edges.map((edge) => ({
      group: "edges", data: Object.assign({}, edge, { marked: marksOf(edge).length > 0 }), classes: marksOf(edge) }));
    return nodes.concat(edges);
  }

  function page(node) { // our own pages only (the static export's are addresses of its own, file:// included)
    const url = typeof node.data("url") === "string" ? new URL(node.data("url"), document.baseURI) : null;
    return url && url.protocol === window.location.protocol && url.host === window.location.host ? url.href : null;
  }
  const open = (node) => page(node) && window.location.assign(page(node));

  // First a start that is the same every time (the center, then each step on a ring of its own); fcose
  // (registered with Cytoscape by its own script) refines it, or Cytoscape's own cose if fcose did not load.
  // Facts are shorter on a small canvas (room: 1 on a wide screen, less on a phone).
  function layout(cy, count, room) {
    cy.layout({ name: "concentric", animate: false, fit: false, minNodeSpacing: 30, avoidOverlap: true,
      concentric: (node) => 3 - node.data("depth"), levelWidth: () => 1,
      sort: (a, b) => String(a.data("label")).localeCompare(String(b.data("label"))) }).run();
    const near = (edge) => edge.source().data("center") || edge.target().data("center");
    const common = { animate: false, fit: false, randomize: false, nodeDimensionsIncludeLabels: true };
    cy.layout(typeof window.cytoscapeFcose !== "function"
      ? Object.assign(common, { name: "cose", idealEdgeLength: () => 90 })
      : Object.assign(common, {
        name: "fcose", quality: "proof", packComponents: false, nodeRepulsion: () => 20000, numIter: 2500,
        idealEdgeLength: (edge) => room * (count < 16 ? 150 : near(edge) ? 110 : 75), gravity: count > 30 ? 0.35 : 0.25,
      })).run();
  }

  // Nudge apart the entities whose names still overlap after the layout (each pair along its shorter overlap).
  function separate(nodes, gap = 4) {
    const list = nodes.toArray();
    const at = list.map((node) => Object.assign({}, node.position()));
    const extent = list.map((node, i) => {
      const bb = node.boundingBox({ includeLabels: true, includeOverlays: false });
      return { x1: bb.x1 - at[i].x, x2: bb.x2 - at[i].x, y1: bb.y1 - at[i].y, y2: bb.y2 - at[i].y };
    });
    for (let round = 0, moved = true; moved && round < 100; round += 1) {
      moved = false;
      for (let i = 0; i < list.length; i += 1) {
        for (let j = i + 1; j < list.length; j += 1) {
          const [a, b, ea, eb] = [at[i], at[j], extent[i], extent[j]];
          const dx = Math.min(a.x + ea.x2, b.x + eb.x2) - Math.max(a.x + ea.x1, b.x + eb.x1) + gap;
          const dy = Math.min(a.y + ea.y2, b.y + eb.y2) - Math.max(a.y + ea.y1, b.y + eb.y1) + gap;
          if (dx > 0 && dy > 0) {
            moved = true;
            const axis = dx < dy ? "x" : "y";
            const push = (a[axis] <= b[axis] ? -1 : 1) * Math.min(dx, dy) / 2;
            a[axis] += push;
            b[axis] -= push;
          }
        }
      }
    }
    nodes.positions((node, i) => at[i]);
  }

  // Lay out, nudge names apart, stretch to the canvas's shape (only ever apart: nothing comes to overlap) and
  // fit; when names would then be too small, again with shorter facts (twice at most).  Then frame it: all of it
  // if it fits with names readable, else its middle at that size (drag or pinch for the rest).
  function arrange(cy, box, count) {
    let room = Math.min(1, Math.max(0.5, Math.min(box.clientWidth, box.clientHeight) / 640));
    let best = null; // the round whose fit left names largest
    const pad = Math.min(24, box.clientWidth / 30);
    for (let round = 0; round < 3 && (round === 0 || cy.zoom() < READABLE_ZOOM); round += 1) {
      room *= round === 0 ? 1 : Math.max(cy.zoom() / READABLE_ZOOM, 0.5);
      layout(cy, count, room);
      separate(cy.nodes());
      const nodes = cy.nodes();
      const bb = nodes.boundingBox();
      const [wide, shape] = [box.clientWidth / Math.max(box.clientHeight, 1), bb.w / Math.max(bb.h, 1)];
      const sx = shape < wide ? Math.min(wide / shape, STRETCH) : 1;
      const sy = shape > wide ? Math.min(shape / wide, STRETCH) : 1;
      const middle = { x: bb.x1 + bb.w / 2, y: bb.y1 + bb.h / 2 };
      nodes.positions((node) => ({ x: middle.x + (node.position("x") - middle.x) * sx,
        y: middle.y + (node.position("y") - middle.y) * sy }));
      cy.fit(undefined, pad);
      if (!best || cy.zoom() > best.zoom) {
        best = { zoom: cy.zoom(), at: nodes.map((node) => Object.assign({}, node.position())) };
      }
    }
    cy.nodes().positions((node, i) => best.at[i]);
    cy.fit(undefined, pad);
    if (cy.zoom() > MAX_ZOOM) {
      cy.zoom(MAX_ZOOM);
      cy.center();
    } else if (cy.zoom() < READABLE_ZOOM) {
      cy.zoom(READABLE_ZOOM);
      cy.center();
      const at = cy.nodes("[?center]").renderedPosition();
      if (at.x < pad || at.y < pad || at.x > box.clientWidth - pad || at.y > box.clientHeight - pad) {
        cy.center(cy.nodes("[?center]"));
      }
    }
  }

  // What is lit: an entity with its facts (the rest faded), or one fact.  Pointing lights for as long as it
  // points; choosing (a tap, the arrow keys) lights until something else is chosen, and says it in words.
  function lighter(cy, status) {
    let chosen = null;
    function light(target) {
      cy.elements().removeClass("lit faded chosen");
      if (target && target.isNode()) {
        const near = target.closedNeighborhood();
        cy.elements().not(near).addClass("faded");
        near.edges().addClass("lit");
        target.addClass("chosen");
      } else if (target) {
        cy.elements().not(target.union(target.connectedNodes())).addClass("faded");
        target.addClass("lit");
      }
    }
    function fact(edge, from) {
      const arrow = edge.data("symmetric") ? "↔" : edge.source().same(from) ? "→" : "←";
      const other = edge.source().same(from) ? edge.target() : edge.source();
      const marks = marksOf(edge.data());
      return `${arrow} ${edge.data("label")} ${arrow} ${other.data("label")}${marks.length ? ` (${marks.join(", ")})` : ""}`;
    }
    function say(target) {
      status.replaceChildren();
      if (target && target.isEdge()) {
        status.append(`${target.source().data("label")} ${fact(target, target.source())}`);
      } else if (target) {
        const facts = target.connectedEdges().map((edge) => fact(edge, target));
        const name = document.createElement("strong");
        name.textContent = target.data("label");
        status.append(name, `: ${facts.length} fact${facts.length === 1 ? "" : "s"} here`,
          facts.length ? ` (${facts.slice(0, 8).join("; ")}${facts.length > 8 ? "; …" : ""})` : "");
        if (page(target)) {
          const link = document.createElement("a");
          link.href = page(target);
          link.textContent = `Open ${target.data("label")}`;
          status.append(". ", link);
        }
      }
    }
    return {
      get chosen() { return chosen; },
      choose(target) {
        chosen = target && target.length ? target : null;
        light(chosen);
        say(chosen);
      },
      point(target) { light(target || chosen); },
    };
  }

  function draw(box, data) {
    if (!Array.isArray(data.nodes) || data.nodes.length === 0) {
      return;
    }
    box.hidden = false;
    const cy = window.cytoscape({ container: box, elements: elements(data), style: style(box),
      layout: { name: "preset" }, minZoom: 0.2, maxZoom: 4 });
    arrange(cy, box, data.nodes.length);

    const lit = lighter(cy, document.getElementById("graph-status") || document.createElement("p"));
    const touch = (event) => Boolean(event.originalEvent && String(event.originalEvent.type).startsWith("touch"));
    cy.on("mouseover", "node, edge", (event) => {
      lit.point(event.target);
      box.classList.toggle("pointing", event.target.isNode());
    });
    cy.on("mouseout", "node, edge", () => {
      lit.point(null);
      box.classList.remove("pointing");
    });
    // A click opens a page at once (pointing lit its facts already); a tap lights first, a second tap opens.
    cy.on("tap", "node", (event) => {
      if (touch(event) && !(lit.chosen && lit.chosen.same(event.target))) {
        lit.choose(event.target);
      } else {
        open(event.target);
      }
    });
    cy.on("tap", "edge", (event) => lit.choose(event.target));
    cy.on("tap", (event) => {
      if (event.target === cy) {
        lit.choose(null);
      }
    });
    keys(cy, box, lit);
    const help = document.getElementById("graph-help");
    if (help) {
      help.hidden = false;
    }
    box.cy = cy; // for tests and the curious
    box.dataset.drawn = String(data.nodes.length);
  }

  // With the picture focused: arrows move from entity to entity (the center first, then the nearest, by name),
  // Enter opens the lit one, Escape puts the light out.
  function keys(cy, box, lit) {
    const order = cy.nodes().toArray().sort((a, b) => (a.data("depth") - b.data("depth"))
      || String(a.data("label")).localeCompare(String(b.data("label"))));
    box.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      const current = lit.chosen && lit.chosen.isNode() ? order.findIndex((node) => node.same(lit.chosen)) : -1;
      if (step) {
        const next = order[current < 0 ? 0 : (current + step + order.length) % order.length];
        lit.choose(next);
        const at = next.renderedPosition();
        if (at.x < 0 || at.y < 0 || at.x > box.clientWidth || at.y > box.clientHeight) {
          cy.center(next);
        }
      } else if (event.key === "Enter" && current >= 0) {
        open(lit.chosen);
      } else if (event.key === "Escape") {
        lit.choose(null);
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  function start() {
    const controls = document.querySelector("form.graph-controls");
    if (controls) {
      controls.addEventListener("change", () => controls.submit());
    }
    const box = document.getElementById("graph");
    if (!box || typeof window.cytoscape !== "function" || document.body.dataset.graphIndex) {
      return; // the static export draws with offline-graph.js, at the fan's reading
    }
    fetch(box.dataset.source, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => data && draw(box, data))
      .catch(() => {}); // offline or a server error: the list below still shows the facts
  }

  window.kgGraphView = { draw };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
