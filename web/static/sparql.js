// The query editor at /sparql: YASGUI's editor (Yasqe) and results view (Yasr), vendored, on our endpoint.
// This file is the page: the editor, the examples, the query in the address bar, downloads, "Copy link".
//
// Progressive enhancement: without this file the page is a form that sends the query to the endpoint.
// Nothing leaves our origin: Yasqe's prefix completion uses our prefixes instead of prefix.cc, the class and
// property completion that asks LOV is replaced by ours from the data (sparql-complete.js, /api/complete), and nothing is kept in localStorage (the URL holds the query,
// so a stale stored query can never replace it).  We use Yasqe and Yasr, the two halves of YASGUI, without
// its tab bar and endpoint box: this page has one endpoint and one query, and the address bar is the state.
//
// Yasr gets two plugins of ours, "table" and "graph", and our words for errors; YASR's "response" view
// (the raw answer) and error view stay.  There is no bundler: they come from plain deferred scripts the page
// loads before this one, on the global window.kgSparql: sparql-common.js (IRIs, names, icons, the error
// view's words), sparql-table.js and sparql-graph.js.  Styles live in sparql.css (no inline styles).
"use strict";

(() => {
  const DOWNLOADS = {
    bindings: [["csv", "CSV", "csv"], ["tsv", "TSV", "tsv"], ["json", "JSON", "srj"], ["xml", "XML", "srx"]],
    graph: [["turtle", "Turtle", "ttl"], ["ntriples", "N-Triples", "nt"], ["jsonld", "JSON-LD", "jsonld"],
            ["rdfxml", "RDF/XML", "rdf"]],
  };

  // --- the page -------------------------------------------------------------------------------------------

  function start() {
    const form = document.getElementById("sparql-form");
    const textarea = document.getElementById("sparql-query");
    const settingsEl = document.getElementById("sparql-settings");
    const { tablePlugin, graphPlugin, errorRenderer } = window.kgSparql || {}; // sparql-common.js and the plugins
    if (!form || !textarea || !settingsEl || typeof window.Yasgui !== "function" || !tablePlugin || !graphPlugin ||
        !errorRenderer) {
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
    // ...and names from the data (sparql-complete.js): entities, properties and classes, by /api/complete.
    const names = window.kgSparql.completer ? ["kg-names"] : [];
    if (names.length) {
      Yasqe.registerAutocompleter(window.kgSparql.completer(settings.complete, ourPrefixes), false);
    }
    Yasqe.defaults.autocompleters.splice(0, Yasqe.defaults.autocompleters.length, "variables", "kg-prefixes",
                                         ...names);

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
