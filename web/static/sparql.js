// The query editor at /sparql: YASGUI's editor (Yasqe) and results view (Yasr), vendored, on our endpoint.
//
// Progressive enhancement: without this file the page is a form that sends the query to the endpoint.
// Nothing leaves our origin: Yasqe's prefix completion uses our prefixes instead of prefix.cc, the class and
// property completion that asks LOV is off, and nothing is kept in localStorage (the URL holds the query,
// so a stale stored query can never replace it).  We use Yasqe and Yasr, the two halves of YASGUI, without
// its tab bar and endpoint box: this page has one endpoint and one query, and the address bar is the state.
//
// Yasr gets two plugins of ours: "table", whose cells link our IRIs to our pages and show ?xLabel as the
// name of ?x (it replaces YASR's DataTables table, whose column resizer injects a <style> the CSP refuses),
// and "graph", a picture of CONSTRUCT and DESCRIBE answers drawn with the vendored Cytoscape.  YASR's
// "response" view (the raw answer) and error view stay.  Styles live in sparql.css (no inline styles).
"use strict";

(() => {
  const BASE = "https://kg.johnwick.example/";
  const LOCAL = ["id/", "ontology/"]; // our IRIs that have a page here, at the same path
  const GRAPH_NODES = 300; // the graph picture draws at most this many nodes
  const TABLE_PAGE = 100; // rows the table shows at first, and adds with "Show more"
  const LABELS = new Set([
    "http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/name", "http://schema.org/name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
  ]);
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const DOWNLOADS = {
    bindings: [["csv", "CSV", "csv"], ["tsv", "TSV", "tsv"], ["json", "JSON", "srj"], ["xml", "XML", "srx"]],
    graph: [["turtle", "Turtle", "ttl"], ["ntriples", "N-Triples", "nt"], ["jsonld", "JSON-LD", "jsonld"],
            ["rdfxml", "RDF/XML", "rdf"]],
  };

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

  // --- the table: our own YASR plugin, built from DOM nodes -----------------------------------------------
  // YASR's own table (DataTables with a column resizer) injects a <style> element, which the CSP refuses;
  // this one needs no inline style, builds no HTML from strings, and knows our IRIs and labels.

  function tablePlugin(prefixesOf) {
    return class EntityTable {
      constructor(yasr) {
        this.yasr = yasr;
        this.label = "Table";
        this.priority = 10;
        this.pageSize = TABLE_PAGE;
        this.state = null;
      }

      getIcon() {
        return icon([["rect", { x: 1.5, y: 2.5, width: 13, height: 11, rx: 1, fill: "none", stroke: "currentColor" }],
                     ["line", { x1: 1.5, y1: 6, x2: 14.5, y2: 6, stroke: "currentColor" }],
                     ["line", { x1: 6, y1: 6, x2: 6, y2: 13.5, stroke: "currentColor" }]]);
      }

      canHandleResults() {
        const results = this.yasr.results;
        return Boolean(results) && !results.hasError() && (results.getVariables() || []).length > 0;
      }

      download(name) {
        const results = this.yasr.results;
        return {
          getData: () => (results && results.asCsv()) || "",
          contentType: "text/csv",
          filename: `${name || "query-results"}.csv`,
          title: "Download the table as CSV",
        };
      }

      draw() {
        const results = this.yasr.results;
        const vars = results.getVariables();
        const prefixes = prefixesOf();
        const names = results.getType() === "ttl" ? namesInGraph(results.getStatements() || []) : new Map();
        // ?x next to ?xLabel: the ?x column shows the label and links to the page; the ?xLabel column goes
        const labelOf = new Map();
        vars.forEach((name) => {
          if (name.endsWith("Label") && vars.includes(name.slice(0, -"Label".length))) {
            labelOf.set(name.slice(0, -"Label".length), name);
          }
        });
        const merged = new Set(labelOf.values());
        const columns = vars.filter((name) => !merged.has(name));
        const rows = (results.getBindings() || []).map((binding, i) => ({
          n: i + 1,
          cells: columns.map((name) => {
            const term = binding[name];
            const label = labelOf.has(name) && binding[labelOf.get(name)] ? binding[labelOf.get(name)].value : null;
            const shown = label || (term && term.type === "uri" && names.get(term.value)) || null;
            return term ? cellOf(term, shown, prefixes) : null;
          }),
        }));
        this.state = { columns, rows, filter: "", sortBy: -1, descending: false, shown: this.pageSize };
        this.drawControls();
        this.box = document.createElement("div");
        this.box.className = "kg-table";
        this.yasr.resultsEl.appendChild(this.box);
        this.render();
      }

      drawControls() {
        this.removeControls();
        const label = document.createElement("label");
        label.className = "kg-table-filter";
        const text = document.createElement("span");
        text.className = "visually-hidden";
        text.textContent = "Filter the rows";
        const input = document.createElement("input");
        input.type = "search";
        input.placeholder = "Filter the rows";
        input.addEventListener("input", () => {
          this.state.filter = input.value.trim().toLocaleLowerCase();
          this.state.shown = this.pageSize;
          this.render();
        });
        label.append(text, input);
        this.controls = label;
        this.yasr.pluginControls.appendChild(label);
      }

      removeControls() {
        if (this.controls) {
          this.controls.remove();
          this.controls = null;
        }
      }

      visibleRows() {
        const { rows, filter, sortBy, descending } = this.state;
        let chosen = filter
          ? rows.filter((row) => row.cells.some((cell) => cell && cell.key.toLocaleLowerCase().includes(filter)))
          : rows.slice();
        if (sortBy >= 0) {
          chosen = chosen.sort((a, b) => compareCells(a.cells[sortBy], b.cells[sortBy]) || a.n - b.n);
          if (descending) {
            chosen.reverse();
          }
        }
        return chosen;
      }

      render() {
        const { columns, sortBy, descending } = this.state;
        const rows = this.visibleRows();
        const table = document.createElement("table");
        table.className = "results";
        const head = table.createTHead().insertRow();
        const corner = document.createElement("th");
        corner.scope = "col";
        corner.className = "n";
        corner.textContent = "#";
        head.appendChild(corner);
        columns.forEach((name, i) => {
          const th = document.createElement("th");
          th.scope = "col";
          if (i === sortBy) {
            th.setAttribute("aria-sort", descending ? "descending" : "ascending");
          }
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = name;
          button.title = `Sort by ${name}`;
          button.addEventListener("click", () => {
            this.state.descending = this.state.sortBy === i ? !this.state.descending : false;
            this.state.sortBy = i;
            this.render();
          });
          th.appendChild(button);
          head.appendChild(th);
        });
        const body = table.createTBody();
        for (const row of rows.slice(0, this.state.shown)) {
          const tr = body.insertRow();
          const n = tr.insertCell();
          n.className = "n";
          n.textContent = String(row.n);
          for (const cell of row.cells) {
            const td = tr.insertCell();
            if (cell) {
              td.appendChild(cell.node.cloneNode(true));
            }
          }
        }
        const footer = document.createElement("p");
        footer.className = "kg-table-footer";
        const total = this.state.rows.length;
        const shown = Math.min(rows.length, this.state.shown);
        const first = shown < rows.length ? `, the first ${shown.toLocaleString()} shown` : "";
        footer.textContent = rows.length === total
          ? `${total.toLocaleString()} row${total === 1 ? "" : "s"}${first}.`
          : `${rows.length.toLocaleString()} of ${total.toLocaleString()} rows match${first}.`;
        if (shown < rows.length) {
          const more = document.createElement("button");
          more.type = "button";
          more.textContent = `Show ${Math.min(this.pageSize, rows.length - shown).toLocaleString()} more`;
          more.addEventListener("click", () => { this.state.shown += this.pageSize; this.render(); });
          const all = document.createElement("button");
          all.type = "button";
          all.textContent = "Show all";
          all.addEventListener("click", () => { this.state.shown = Infinity; this.render(); });
          footer.append(" ", more, " ", all);
        }
        const scroll = document.createElement("div");
        scroll.className = "table-scroll";
        scroll.appendChild(table);
        this.box.replaceChildren(scroll, footer);
      }

      destroy() {
        this.removeControls();
        this.state = null;
      }
    };
  }

  // One cell: a DOM node to show, and the text it sorts and filters by.
  function cellOf(term, label, prefixes) {
    if (term.type === "uri") {
      const iri = term.value;
      const text = label || prefixed(iri, prefixes) || iri;
      const local = localPath(iri);
      let node;
      if (local || isWebAddress(iri)) {
        node = document.createElement("a");
        node.href = local || iri;
        if (!local) {
          node.rel = "noopener noreferrer";
          node.target = "_blank";
        }
      } else {
        node = document.createElement("span");
      }
      node.className = local ? "iri local" : "iri";
      node.title = iri;
      node.textContent = text;
      return { node, key: text, number: null };
    }
    if (term.type === "bnode") {
      const node = document.createElement("span");
      node.className = "bnode";
      node.textContent = `_:${term.value}`;
      return { node, key: node.textContent, number: null };
    }
    const node = document.createElement("span");
    node.className = "literal";
    node.textContent = term.value;
    const tag = term["xml:lang"] ? `@${term["xml:lang"]}`
      : term.datatype && !term.datatype.endsWith("#string") ? prefixed(term.datatype, prefixes) || term.datatype : null;
    if (tag) {
      const small = document.createElement("span");
      small.className = term["xml:lang"] ? "lang" : "datatype";
      small.textContent = tag;
      const wrap = document.createElement("span");
      wrap.append(node, " ", small);
      return { node: wrap, key: term.value, number: numeric(term) };
    }
    return { node, key: term.value, number: numeric(term) };
  }

  function numeric(term) {
    const xsd = "http://www.w3.org/2001/XMLSchema#";
    const number = /^(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|gYear)$/;
    if (term.datatype && term.datatype.startsWith(xsd) && number.test(term.datatype.slice(xsd.length))) {
      const value = Number(term.value);
      return Number.isFinite(value) ? value : null;
    }
    return null;
  }

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function compareCells(a, b) {
    if (!a || !b) {
      return (a ? 0 : 1) - (b ? 0 : 1); // empty cells last
    }
    if (a.number !== null && b.number !== null) {
      return a.number - b.number;
    }
    return collator.compare(a.key, b.key);
  }

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

  // --- the page -------------------------------------------------------------------------------------------

  function start() {
    const form = document.getElementById("sparql-form");
    const textarea = document.getElementById("sparql-query");
    const settingsEl = document.getElementById("sparql-settings");
    if (!form || !textarea || !settingsEl || typeof window.Yasgui !== "function") {
      return; // the plain form still works
    }
    const settings = JSON.parse(settingsEl.textContent);
    const ourPrefixes = settings.prefixes || {};
    const { Yasqe, Yasr } = window.Yasgui;
    const endpoint = new URL(form.getAttribute("action"), window.location.href).href;

    // Completion from our own lists only: prefixes (ours), variables (the query's); never prefix.cc or LOV.
    Yasqe.forkAutocompleter("prefixes", {
      name: "kg-prefixes",
      persistenceId: null,
      get: Object.entries(ourPrefixes).map(([p, ns]) => `${p}: <${ns}>`).sort(),
    }, false);
    Yasqe.defaults.autocompleters.splice(0, Yasqe.defaults.autocompleters.length, "variables", "kg-prefixes");

    const status = form.querySelector(".status");
    const runButton = form.querySelector("button.run");
    const copyButton = form.querySelector(".copy-link");
    const shareOut = form.querySelector(".share");
    const downloads = document.querySelector(".sparql-answer .downloads");
    form.querySelectorAll(".without-script").forEach((el) => { el.hidden = true; });
    form.querySelectorAll(".with-script").forEach((el) => { el.hidden = el === shareOut; });

    const box = document.createElement("div");
    box.className = "sparql-yasqe";
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", box);
    const yasqe = new Yasqe(box, {
      value: textarea.value.replace(/\n$/, ""),
      persistenceId: null,
      consumeShareLink: null,
      createShareableLink: () => shareUrl(yasqe.getValue()),
      editorHeight: "min(26rem, 55vh)",
      requestConfig: {
        endpoint,
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json",
        acceptHeaderGraph: "text/turtle",
      },
    });
    yasqe.on("change", () => { textarea.value = yasqe.getValue(); });

    Yasr.registerPlugin("table", tablePlugin(() => prefixesNow()));
    Yasr.registerPlugin("graph", graphPlugin(() => prefixesNow()));
    const yasr = new Yasr(document.getElementById("sparql-results"), {
      persistenceId: null,
      prefixes: () => prefixesNow(),
      pluginOrder: ["table", "graph", "response"],
      defaultPlugin: "table",
      getDownloadFileName: () => "john-wick-query",
      errorRenderers: [errorRenderer(settings.timeout)],
    });

    function prefixesNow() {
      return { ...ourPrefixes, ...yasqe.getPrefixesFromQuery() };
    }

    function shareUrl(query) {
      const url = new URL(window.location.href);
      url.search = new URLSearchParams({ query }).toString();
      url.hash = "";
      return url.href;
    }

    function say(text, kind) {
      status.textContent = text;
      status.className = `status${kind ? ` ${kind}` : ""}`;
    }

    function markExample(query) {
      document.querySelectorAll(".sparql-examples a[data-example]").forEach((a) => {
        const same = new URL(a.href).searchParams.get("query") === query;
        if (same) {
          a.setAttribute("aria-current", "true");
        } else {
          a.removeAttribute("aria-current");
        }
      });
    }

    function showDownloads(query) {
      downloads.replaceChildren();
      const graph = ["CONSTRUCT", "DESCRIBE"].includes(yasqe.getQueryType());
      const label = document.createElement("span");
      label.textContent = "Download the results:";
      downloads.appendChild(label);
      for (const [format, text, extension] of DOWNLOADS[graph ? "graph" : "bindings"]) {
        const a = document.createElement("a");
        a.href = `${new URL(endpoint).pathname}?${new URLSearchParams({ query, format })}`;
        a.download = `john-wick-query.${extension}`;
        a.textContent = text;
        a.dataset.format = format;
        downloads.appendChild(a);
      }
      downloads.hidden = false;
    }

    yasqe.on("queryBefore", () => {
      const query = yasqe.getValue();
      window.history.replaceState(null, "", shareUrl(query));
      markExample(query);
      downloads.hidden = true;
      shareOut.hidden = true;
      say("Running…", "busy");
    });
    yasqe.on("query", () => { runButton.textContent = "Stop"; });
    yasqe.on("queryAbort", () => {
      runButton.textContent = "Run query";
      say("Stopped. The query is still in the editor.", null);
    });
    yasqe.on("queryResponse", (_yasqe, response, duration) => {
      if (response && response.name === "AbortError") {
        return; // stopped on purpose: "queryAbort" said so
      }
      runButton.textContent = "Run query";
      const failed = response instanceof Error;
      const graph = !failed && /turtle|triples|ld\+json|rdf\+xml/.test(response.headers.get("Content-Type") || "");
      if (graph && !response.content) {
        response.content = "# an empty graph\n"; // Yasr takes an empty body for no response at all
      }
      // a graph answer opens as a picture, a table answer as a table, unless the raw response was chosen
      if (graph && yasr.selectedPlugin !== "response") {
        yasr.selectedPlugin = "graph";
      } else if (!graph && yasr.selectedPlugin === "graph") {
        yasr.selectedPlugin = "table";
      }
      yasr.setResponse(response, duration);
      if (failed) {
        say("The query did not run: see the message below. The query is still in the editor.", "error");
        return;
      }
      const rows = response.headers.get("X-Result-Rows");
      const cut = response.headers.get("X-Result-Truncated");
      const seconds = (duration / 1000).toFixed(2);
      const what = graph ? ["triple", "triples"] : ["result", "results"];
      let text = rows === null || yasqe.getQueryType() === "ASK" ? `Answered in ${seconds} s.` :
        `${Number(rows).toLocaleString()} ${rows === "1" ? what[0] : what[1]} in ${seconds} s.`;
      if (cut) {
        text += ` The answer was cut: ${cut.replace(/^true;\s*/, "")}.`;
      }
      say(text, cut ? "warning" : null);
      showDownloads(yasqe.getValue());
    });

    function run() {
      yasqe.query().catch(() => {}); // stops the query running, if any; errors are shown by Yasr
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (yasqe.req) {
        yasqe.abortQuery(); // while a query runs, the button stops it
      } else {
        run();
      }
    });

    document.querySelectorAll(".sparql-examples a[data-example]").forEach((a) => {
      a.addEventListener("click", (event) => {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return; // a new tab or window gets the example's own link
        }
        event.preventDefault();
        yasqe.setValue(new URL(a.href).searchParams.get("query") || "");
        form.scrollIntoView({ behavior: "smooth", block: "nearest" });
        run();
      });
    });

    copyButton.addEventListener("click", () => {
      const url = shareUrl(yasqe.getValue());
      window.history.replaceState(null, "", url);
      const shown = () => {
        shareOut.hidden = false;
        shareOut.value = url;
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(() => {
          copyButton.textContent = "Link copied";
          window.setTimeout(() => { copyButton.textContent = "Copy link"; }, 2000);
        }, shown);
      } else {
        shown();
      }
    });

    if (new URLSearchParams(window.location.search).has("query")) {
      run(); // a shared link: show its answer at once
    } else {
      markExample(yasqe.getValue());
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
