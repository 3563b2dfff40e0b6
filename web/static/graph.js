// The graph view: draws /api/graph/<slug> with the vendored Cytoscape (progressive enhancement:
// without this file the page lists the same facts).  Styles live here and in connections.css
// (the CSP forbids inline styles).  Click a node to open its page; drag nodes to untangle.
// The controls are a plain GET form: any change submits it, so every state is a URL to share.
"use strict";

(() => {
  // Colours come from connections.css (--group-character, ...): one palette for the picture and its key.
  function style(box) {
    const css = window.getComputedStyle(box);
    const colour = (node) => css.getPropertyValue(`--group-${node.data("group")}`).trim() || "#999";
    return [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 11, "color": "#1d1d1f", "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "wrap", "text-max-width": 120, "background-color": colour, "width": 16, "height": 16,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "min-zoomed-font-size": 7,
      } },
      { selector: "node[depth = 2]", style: { "width": 11, "height": 11, "font-size": 9 } },
      { selector: "node[?center]", style: {
        "width": 28, "height": 28, "font-size": 15, "font-weight": "bold", "border-width": 4, "border-color": "#f2b705",
      } },
      { selector: "edge", style: {
        "label": "data(label)", "font-size": 8, "color": "#5f6368", "width": 1.2, "line-color": "#cfcac0",
        "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#cfcac0", "arrow-scale": 0.8,
        "text-rotation": "autorotate", "min-zoomed-font-size": 9,
      } },
      { selector: "edge[?symmetric]", style: { "target-arrow-shape": "none" } },
      { selector: "node.hover", style: { "border-width": 3, "border-color": "#f2b705" } },
      { selector: "edge.near", style: { "line-color": "#8a1c1c", "target-arrow-color": "#8a1c1c", "width": 2,
                                         "color": "#1d1d1f", "min-zoomed-font-size": 0, "z-index": 10 } },
    ];
  }

  function elements(data) {
    const nodes = data.nodes.map((node) => ({ group: "nodes", data: node }));
    const edges = data.edges.map((edge) => ({ group: "edges", data: edge }));
    return nodes.concat(edges);
  }

  function open(node) {
    const url = node.data("url");
    if (typeof url === "string" && url.startsWith("/") && !url.startsWith("//")) {
      window.location.assign(url);
    }
  }

  function draw(box, data) {
    if (!Array.isArray(data.nodes) || data.nodes.length === 0) {
      return;
    }
    box.hidden = false;
    const cy = window.cytoscape({
      container: box,
      elements: elements(data),
      style: style(box),
      layout: data.nodes.length <= 16
        ? { name: "concentric", animate: false, minNodeSpacing: 40, levelWidth: () => 1,
            concentric: (node) => 3 - node.data("depth") }
        : { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 120,
            nodeOverlap: 40, gravity: 0.3, numIter: 2000, nodeDimensionsIncludeLabels: true },
      minZoom: 0.2, maxZoom: 3,
    });
    cy.on("tap", "node", (event) => open(event.target));
    // Pointing at a node lights its facts (edge labels show when zoomed in, or for the lit facts).
    cy.on("mouseover", "node", (event) => {
      event.target.addClass("hover");
      event.target.connectedEdges().addClass("near");
      box.classList.add("pointing");
    });
    cy.on("mouseout", "node", (event) => {
      event.target.removeClass("hover");
      event.target.connectedEdges().removeClass("near");
      box.classList.remove("pointing");
    });
    box.dataset.drawn = String(data.nodes.length); // for tests and the curious
  }

  function start() {
    const controls = document.querySelector("form.graph-controls");
    if (controls) {
      controls.addEventListener("change", () => controls.submit());
    }
    const box = document.getElementById("graph");
    if (!box || typeof window.cytoscape !== "function") {
      return;
    }
    fetch(box.dataset.source, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => data && draw(box, data))
      .catch(() => {}); // offline or a server error: the list below still shows the facts
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
