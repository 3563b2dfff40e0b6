// The query editor at /sparql: what its results views (Yasr) share, on the global window.kgSparql.
//
// There is no bundler: the page loads plain deferred scripts, in order: this one, then sparql-table.js and
// sparql-graph.js (Yasr's "table" and "graph" plugins of ours, which add themselves to window.kgSparql), then
// sparql.js (the page), which takes them all from there.  Here: where our IRIs link and how they read, the
// names a graph answer gives its nodes, the plugins' icons, and the words of the error view (the endpoint's).
"use strict";

(() => {
  const BASE = document.documentElement.dataset.base || "https://kg.johnwick.example/"; // base.html says it
  const LOCAL = ["id/", "ontology/"]; // our IRIs that have a page here, at the same path
  const LABELS = new Set([
    "http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/name", "http://schema.org/name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
  ]);

  // --- IRIs: where they link and how they read -----------------------------------------------------------

  function localPath(iri) {
    if (typeof iri !== "string" || !iri.startsWith(BASE)) {
      return null;
    }
    const rest = iri.slice(BASE.length);
    return LOCAL.some((prefix) => rest.startsWith(prefix) && rest.length > prefix.length) ? `/${rest}` : null;
  }

  function isWebAddress(iri) {
    return /^https?:\/\//i.test(iri);
  }

  function prefixed(iri, prefixes) {
    let best = null;
    for (const [prefix, ns] of Object.entries(prefixes)) {
      if (ns && iri.startsWith(ns) && (best === null || ns.length > best[1].length)) {
        best = [prefix, ns];
      }
    }
    if (best) {
      const local = iri.slice(best[1].length);
      if (/^[\w.-]*$/u.test(local) && !local.endsWith(".")) {
        return `${best[0]}:${local}`;
      }
    }
    return null;
  }

  // --- names and icons, for both plugins -------------------------------------------------------------------

  function namesInGraph(statements) {
    const names = new Map();
    for (const { subject, predicate, object } of statements) {
      if (object.termType === "Literal" && LABELS.has(predicate.value) && !names.has(subject.value)) {
        names.set(subject.value, object.value);
      }
    }
    return names;
  }

  function icon(shapes) {
    const box = document.createElement("div");
    box.className = "svgImg";
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    for (const [name, attributes] of shapes) {
      const shape = document.createElementNS("http://www.w3.org/2000/svg", name);
      Object.entries(attributes).forEach(([k, v]) => shape.setAttribute(k, String(v)));
      svg.appendChild(shape);
    }
    box.appendChild(svg);
    return box;
  }

  // --- errors: the endpoint's own words ---------------------------------------------------------------------

  function errorRenderer(timeout) {
    return async (error) => {
      const text = (error && error.text ? String(error.text) : "").trim();
      const box = document.createElement("div");
      box.className = "sparql-error";
      const title = document.createElement("p");
      title.className = "title";
      title.textContent = "The query did not run";
      box.appendChild(title);
      const message = document.createElement("pre");
      message.textContent = text && text !== "Failed to fetch" ? text : "The server did not answer. Is it running?";
      box.appendChild(message);
      const hint = document.createElement("p");
      hint.className = "hint";
      if (/exceeded .* time limit/.test(text)) {
        hint.textContent = `A query may run ${timeout} s. Narrow its patterns, or add a LIMIT, and run it again.`;
      } else if (/syntax error/.test(text)) {
        hint.textContent = "The red marks in the editor's margin point at the problem.";
      } else if (/at most \d+ queries at once/.test(text)) {
        hint.textContent = "Wait for your other queries to finish, then run this one again.";
      }
      if (hint.textContent) {
        box.appendChild(hint);
      }
      return box;
    };
  }

  window.kgSparql = { BASE, localPath, isWebAddress, prefixed, namesInGraph, icon, errorRenderer };
})();
