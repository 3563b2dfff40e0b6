// Completion from the data in the query editor: entities, properties and classes with their labels, kinds
// and counts, from /api/complete (docs/sparql.md), chosen by where the cursor is:
//
//   after `a ` (or rdf:type)              classes, by instances
//   in a predicate position               properties: of the subject when it is a name (jwr:eve-macarro),
//                                         of its class when it is a variable the query types (?c a jwo:X)
//   elsewhere (subject, object)           entities by name or alias (jwr:rooney finds jwr:eve-macarro);
//                                         after a property, the kinds of things it points to
//
// It completes prefixed names of our prefixes only (jwr:, jwo:, schema: ...), and is a Yasqe autocompleter:
// sparql.js registers it.  Choosing a completion inserts the prefixed name and declares its prefix if the
// query does not.  Nothing is asked of anyone but this site.
"use strict";

(() => {
  const NAME = /^([A-Za-z][A-Za-z0-9_-]*):(\S*)$/;
  const TYPE = new Set(["a", "rdf:type"]);

  function completer(url, ourPrefixes) {
    const found = new Map(); // prefixed name -> its result (label, kind, count), for the list's lines

    function context(yasqe) {
      const token = yasqe.getCompleteToken();
      const match = NAME.exec(token.string || "");
      if (!match || !(match[1] in ourPrefixes)) {
        return null;
      }
      const line = yasqe.getDoc().getCursor().line;
      const where = position(yasqe.getRange({ line: 0, ch: 0 }, { line, ch: token.start }));
      const params = new URLSearchParams({ q: match[2] });
      if (where.kind === "object" && TYPE.has(where.predicate)) {
        params.set("kind", "class");
      } else if (where.kind === "predicate") {
        params.set("kind", "property");
        if (NAME.test(where.subject || "")) {
          params.set("subject", where.subject);
        } else if (/^[?$]\w+$/.test(where.subject || "")) {
          const cls = typeOf(yasqe.getValue(), where.subject);
          if (cls) {
            params.set("class", cls);
          }
        }
      } else {
        params.set("kind", "entity");
        if (where.kind === "object" && NAME.test(where.predicate || "")) {
          params.set("predicate", where.predicate);
        }
      }
      return params;
    }

    function position(before) {
      // Where the name being typed stands in its triple pattern, read from the text before it: the statement
      // since the last "{", "}" or " ." (IRIs and strings set aside), its ";"-parts and ","-parts.
      const plain = before.replace(/<[^<>\s]*>/g, "<iri>").replace(/"(?:[^"\\\n]|\\.)*"/g, '"s"');
      const start = Math.max(plain.lastIndexOf("{"), plain.lastIndexOf("}"), plain.search(/\.\s[^.]*$/));
      const statement = plain.slice(start + 1);
      const words = (text) => text.split(/\s+/).filter(Boolean);
      const parts = statement.split(";");
      const subject = words(parts[0])[0];
      const last = parts[parts.length - 1].split(",");
      const verbAndObjects = words(last[0]);
      if (parts.length === 1) {
        const terms = words(statement.split(",")[0]);
        if (last.length > 1) {
          return { kind: "object", predicate: terms[1] };
        }
        return [{ kind: "subject" }, { kind: "predicate", subject }, { kind: "object", predicate: terms[1] }][
          Math.min(terms.length, 2)];
      }
      if (last.length > 1 || verbAndObjects.length >= 1) {
        return { kind: "object", predicate: verbAndObjects[0] };
      }
      return { kind: "predicate", subject };
    }

    function typeOf(query, variable) {
      // "?c a jwo:Character" (or rdf:type) anywhere in the query: the class the variable stands for
      const name = variable.slice(1).replace(/[^\w]/g, "");
      const pattern = new RegExp(`[?$]${name}\\s+(?:a|rdf:type)\\s+([A-Za-z][\\w-]*:[\\w-]+)`);
      const match = pattern.exec(query);
      return match && match[1];
    }

    function declare(yasqe, name) {
      const prefix = name.split(":")[0];
      if (!(prefix in yasqe.getPrefixesFromQuery()) && prefix in ourPrefixes) {
        yasqe.addPrefixes({ [prefix]: ourPrefixes[prefix] });
      }
    }

    function render(element, self, hint) {
      const item = found.get(hint.text);
      const name = document.createElement("span");
      name.className = "complete-name";
      name.textContent = hint.text;
      element.appendChild(name);
      if (item) {
        const label = document.createElement("span");
        label.className = "complete-label";
        label.textContent = item.label;
        const about = document.createElement("span");
        about.className = "complete-about";
        about.textContent = `${item.type} · ${item.count.toLocaleString("en")}`;
        element.append(label, about);
      }
    }

    return {
      name: "kg-names",
      bulk: false,
      autoShow: true,
      persistenceId: null,
      isValidCompletionPosition: (yasqe) => context(yasqe) !== null,
      get: (yasqe) => {
        const params = context(yasqe);
        if (!params) {
          return Promise.resolve([]);
        }
        return fetch(`${url}?${params}`, { headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((answer) => answer.results.map((item) => {
            found.set(item.name, item);
            return item.name;
          }))
          .catch(() => []);
      },
      postprocessHints: (yasqe, hints) => hints.map((hint) => ({
        ...hint,
        render,
        hint: (cm, data, completion) => {
          cm.replaceRange(completion.text, completion.from || data.from, completion.to || data.to, "complete");
          declare(yasqe, completion.text);
        },
      })),
    };
  }

  window.kgSparql = { ...(window.kgSparql || {}), completer };
})();
