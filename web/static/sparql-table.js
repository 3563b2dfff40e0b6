// The query editor at /sparql: "table", a Yasr plugin of ours, as window.kgSparql.tablePlugin.
//
// Its cells link our IRIs to our pages and show ?xLabel as the name of ?x (it replaces YASR's DataTables
// table, whose column resizer injects a <style> the CSP refuses).  It needs sparql-common.js, loaded before
// this file; sparql.js registers it.  Styles live in sparql.css (no inline styles).
"use strict";

(() => {
  const { localPath, isWebAddress, prefixed, namesInGraph, icon } = window.kgSparql; // sparql-common.js
  const TABLE_PAGE = 100; // rows the table shows at first, and adds with "Show more"

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

  window.kgSparql.tablePlugin = tablePlugin;
})();
