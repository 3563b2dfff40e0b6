// The query editor at /sparql: "graph", a Yasr plugin of ours, as window.kgSparql.graphPlugin.
//
// A picture of CONSTRUCT and DESCRIBE answers drawn with the vendored Cytoscape; a click on a node opens its
// page.  It needs sparql-common.js, loaded before this file; sparql.js registers it.  Styles live in
// sparql.css (no inline styles).
"use strict";

(() => {
  const { BASE, localPath, prefixed, namesInGraph, icon } = window.kgSparql; // sparql-common.js
  const GRAPH_NODES = 300; // the graph picture draws at most this many nodes
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

  // --- the graph picture of CONSTRUCT and DESCRIBE answers -------------------------------------------------

  function graphPlugin(prefixesOf) {
    return class GraphPicture {
      constructor(yasr) {
        this.yasr = yasr;
        this.label = "Graph";
        this.priority = 15;
        this.cy = null;
      }

      canHandleResults() {
        const results = this.yasr.results;
        return Boolean(results) && !results.hasError() && results.getType() === "ttl" &&
          typeof window.cytoscape === "function";
      }

      getIcon() {
        return icon([["line", { x1: 4, y1: 4, x2: 12, y2: 6, stroke: "currentColor", "stroke-width": 1.5 }],
                     ["line", { x1: 4, y1: 4, x2: 7, y2: 12, stroke: "currentColor", "stroke-width": 1.5 }],
                     ["line", { x1: 12, y1: 6, x2: 7, y2: 12, stroke: "currentColor", "stroke-width": 1.5 }],
                     ["circle", { cx: 4, cy: 4, r: 2.5, fill: "currentColor" }],
                     ["circle", { cx: 12, cy: 6, r: 2.5, fill: "currentColor" }],
                     ["circle", { cx: 7, cy: 12, r: 2.5, fill: "currentColor" }]]);
      }

      download(name) {
        const results = this.yasr.results;
        if (!results) {
          return undefined;
        }
        return {
          getData: () => results.getOriginalResponseAsString() || "",
          contentType: results.getContentType() || "text/turtle",
          filename: `${name || "query-results"}.ttl`,
          title: "Download the graph as Turtle",
        };
      }

      draw() {
        const statements = this.yasr.results.getStatements() || [];
        const prefixes = prefixesOf();
        const picture = toPicture(statements, prefixes);
        const summary = document.createElement("p");
        summary.className = "graph-summary";
        summary.textContent = pictureSummary(picture);
        this.yasr.resultsEl.appendChild(summary);
        if (picture.nodes.length === 0) {
          return;
        }
        const box = document.createElement("div");
        box.className = "sparql-graph";
        box.setAttribute("role", "img");
        box.setAttribute("aria-label", "A picture of the answer's graph; the Table view lists the same triples.");
        this.yasr.resultsEl.appendChild(box);
        this.cy = window.cytoscape({
          container: box,
          elements: [
            ...picture.nodes.map((data) => ({ group: "nodes", data })),
            ...picture.edges.map((data) => ({ group: "edges", data })),
          ],
          style: graphStyle(),
          layout: picture.nodes.length <= 12
            ? { name: "circle", animate: false, padding: 40 }
            : { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 110,
                nodeOverlap: 30, gravity: 0.3, numIter: 1500, nodeDimensionsIncludeLabels: true },
          minZoom: 0.15, maxZoom: 3,
        });
        this.cy.on("tap", "node", (event) => {
          const url = event.target.data("url");
          if (typeof url === "string" && url.startsWith("/") && !url.startsWith("//")) {
            window.location.assign(url);
          }
        });
        this.cy.on("mouseover", "node", (event) => {
          event.target.connectedEdges().addClass("near");
          box.classList.toggle("pointing", Boolean(event.target.data("url")));
        });
        this.cy.on("mouseout", "node", (event) => {
          event.target.connectedEdges().removeClass("near");
          box.classList.remove("pointing");
        });
        box.dataset.drawn = String(picture.nodes.length); // for tests and the curious
      }

      destroy() {
        if (this.cy) {
          this.cy.destroy();
          this.cy = null;
        }
      }
    };
  }

  // Triples -> nodes (IRIs and blank nodes) and edges between them; names come from rdfs:label, schema:name.
  function toPicture(statements, prefixes) {
    const names = namesInGraph(statements);
    const order = new Map(); // node id -> its term, in order of first appearance
    const links = [];
    let literals = 0;
    const note = (term) => {
      if (!order.has(term.value)) {
        order.set(term.value, term);
      }
    };
    for (const { subject, predicate, object } of statements) {
      if (object.termType === "Literal") {
        literals += 1;
        note(subject);
        continue;
      }
      note(subject);
      note(object);
      links.push([subject.value, predicate.value, object.value]);
    }
    const kept = new Set([...order.keys()].slice(0, GRAPH_NODES));
    const nodes = [...kept].map((id) => {
      const term = order.get(id);
      const blank = term.termType === "BlankNode";
      const name = names.get(id) || (blank ? "(blank node)" : prefixed(id, prefixes) || id);
      const url = blank ? null : localPath(id);
      const kind = blank ? "blank" : id.startsWith(`${BASE}ontology/`) ? "term" : url ? "entity" : "other";
      return { id, label: name, url, kind };
    });
    const seen = new Set();
    const edges = [];
    for (const [s, p, o] of links) {
      const key = `${s}\u0000${p}\u0000${o}`;
      if (kept.has(s) && kept.has(o) && !seen.has(key)) {
        seen.add(key);
        const name = p === RDF_TYPE ? "is a" : (prefixed(p, prefixes) || p).replace(/^[\w-]*:/, "");
        edges.push({ id: `e${edges.length}`, source: s, target: o, label: name });
      }
    }
    return { nodes, edges, total: order.size, triples: statements.length, literals };
  }

  function pictureSummary(picture) {
    const plural = (n, one, many) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
    if (picture.triples === 0) {
      return "The answer is an empty graph.";
    }
    let text = `${plural(picture.triples, "triple", "triples")}: ${plural(picture.total, "node", "nodes")}, ` +
      `${plural(picture.edges.length, "link", "links")} drawn`;
    if (picture.total > picture.nodes.length) {
      text += `; only the first ${picture.nodes.length} nodes are drawn`;
    }
    if (picture.literals) {
      text += `; names and other values (${picture.literals.toLocaleString()}) are in the Table view`;
    }
    return `${text}. Click a node to open its page.`;
  }

  function graphStyle() {
    return [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 11, "color": "#1d1d1f", "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "wrap", "text-max-width": 130, "background-color": "#999", "width": 16, "height": 16,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "min-zoomed-font-size": 7,
      } },
      { selector: "node[kind = 'entity']", style: { "background-color": "#8a1c1c" } },
      { selector: "node[kind = 'term']", style: { "background-color": "#1f4f8f", "shape": "round-rectangle" } },
      { selector: "node[kind = 'blank']", style: { "background-color": "#cfcac0", "width": 10, "height": 10 } },
      { selector: "edge", style: {
        "label": "data(label)", "font-size": 8, "color": "#5f6368", "width": 1.2, "line-color": "#cfcac0",
        "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#cfcac0", "arrow-scale": 0.8,
        "text-rotation": "autorotate", "min-zoomed-font-size": 9,
      } },
      { selector: "edge.near", style: { "line-color": "#8a1c1c", "target-arrow-color": "#8a1c1c", "width": 2,
                                        "color": "#1d1d1f", "min-zoomed-font-size": 0, "z-index": 10 } },
    ];
  }

  window.kgSparql.graphPlugin = graphPlugin;
})();
