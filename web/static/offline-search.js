// Search without a server, for the static export: the tiers of kg/views/searchmatch.py over the tables that
// kg/views/searchoffline.py writes (search-index.js), in the same order, with the same spoiler rule per
// text, so that the export's first results are the server's.  window.kgOfflineSearch(indexUrl) gives a
// promise of {search(query, reading, limit)}; reading is {seen: null | level, canon: bool}.
// The edit distance (optimal string alignment, as rapidfuzz's OSA on the server) is written here: the npm
// packages for it are CommonJS-only, and the one that computes OSA gives up with a wrong value past 4 edits.
(function () {
  "use strict";

  const [EXACT, PREFIX, ACROSS, NEAR_EXACT, NEAR, INSIDE_NAME, INSIDE_DESCRIPTION] = [0, 1, 2, 3, 4, 5, 6];
  const MAX_QUERY = 200;
  const COUNT_MAX = 1000;
  const CONTEXT = 60;
  const START_FROM = 5;
  const SPELLED = { "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h" };
  const APOSTROPHES = new Set(["'", "’", "ʼ", "‘", "`", "´"]);
  const MARK = /\p{M}/u;
  const ALNUM = /[\p{L}\p{N}]/u;

  // The folded text ("Sacré-Cœur" -> "sacre coeur") and, for each of its characters, where it came from.
  function foldWithPositions(text) {
    const out = [];
    const positions = [];
    let space = true;
    Array.from(text).forEach((char, index) => {
      for (const part of char.normalize("NFKD")) {
        if (MARK.test(part) || APOSTROPHES.has(part)) {
          continue;
        }
        for (let c of part.toLowerCase()) {
          c = SPELLED[c] || c;
          for (const d of c) {
            const folded = ALNUM.test(d) ? d : " ";
            if (folded === " " && space) {
              continue;
            }
            space = folded === " ";
            out.push(folded);
            positions.push(index);
          }
        }
      }
    });
    if (out.length && out[out.length - 1] === " ") {
      out.pop();
      positions.pop();
    }
    return [out.join(""), positions];
  }

  const bare = (folded) => (folded.startsWith("the ") ? folded.slice(4) : folded);
  const allowed = (word) => (word.length < 3 ? 0 : word.length <= 5 ? 1 : 2);
  const shown = (from, reading) => from !== null && (reading.seen === null || from <= reading.seen);
  const before = (a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (a[i] !== b[i]) {
        return a[i] - b[i];
      }
    }
    return a.length - b.length;
  };

  // Edits between a and b (insert, delete, substitute, swap two neighbours), or limit + 1 past the limit.
  function osa(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) {
      return limit + 1;
    }
    let previous2 = [];
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i += 1) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j += 1) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        row.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) {
        return limit + 1;
      }
      previous2 = previous;
      previous = row;
    }
    return previous[b.length];
  }

  class Index {
    constructor(data, base) {
      this.entries = data.entries.map((e) => ({
        ...e,
        url: e.url ? new URL(e.url, base).href : null,
        texts: e.texts.map(([field, text, folded, from, canonFrom]) => (
          { field, text, folded, from, canonFrom, words: folded.split(" ") })),
      }));
      this.names = data.names.map(([entry, text, size, alias]) => ({ entry, text: this.entries[entry].texts[text], size, alias }));
      this.exact = new Map();
      const vocabulary = new Set();
      this.names.forEach((name, rank) => {
        for (const key of new Set([name.text.folded, bare(name.text.folded)])) {
          (this.exact.get(key) || this.exact.set(key, []).get(key)).push(rank);
        }
        name.text.words.forEach((w) => vocabulary.add(w));
      });
      this.vocabulary = Array.from(vocabulary);
    }

    visible(text, reading) {
      return shown(reading.canon ? text.canonFrom : text.from, reading);
    }

    admits(entry, reading) {
      return shown(entry.named[reading.canon ? 1 : 0], reading) && !(reading.canon && entry.canonHidden);
    }

    // The words of names within allowed() edits of a word typed: whole, or (from five letters) their start.
    near(word) {
      const limit = allowed(word);
      const found = new Map();
      if (!limit) {
        return found;
      }
      for (const other of this.vocabulary) {
        if (other.startsWith(word)) {
          continue;
        }
        const cost = osa(word, other, limit);
        if (cost <= limit) {
          found.set(other, { cost, whole: true });
        }
        if (word.length >= START_FROM && other.length > word.length) { // a fan still typing: near its start
          const start = osa(word, other.slice(0, word.length), limit);
          if (start && start <= limit && (!found.has(other) || found.get(other).cost > start)) {
            found.set(other, { cost: start, whole: false });
          }
        }
      }
      return found;
    }

    search(query, reading, limit) {
      const q = foldWithPositions(query.slice(0, MAX_QUERY))[0];
      if (!q) {
        return { hits: [], total: 0 };
      }
      const words = Array.from(new Set(q.split(" ")));
      const found = new Map(); // entry number -> {key, text}
      const take = (number, key, text) => {
        if (!found.has(number)) {
          found.set(number, { key, text });
        }
      };
      const nameShown = (name) => this.visible(name.text, reading) && this.admits(this.entries[name.entry], reading);
      const starts = (text, word) => text.words.some((w) => w.startsWith(word));
      [...new Set([...(this.exact.get(q) || []), ...(this.exact.get(bare(q)) || [])])]
        .sort((a, b) => before([this.names[a].alias, a], [this.names[b].alias, b])).forEach((rank) => {
        const name = this.names[rank];
        if (nameShown(name)) {
          take(name.entry, [EXACT, name.alias, rank], name.text);
        }
      });
      this.names.forEach((name, rank) => {
        if (!found.has(name.entry) && words.every((w) => starts(name.text, w)) && nameShown(name)) {
          take(name.entry, [PREFIX, rank], name.text);
        }
      });
      this.entries.forEach((entry, number) => {
        if (found.has(number) || !this.admits(entry, reading)) {
          return;
        }
        const texts = entry.texts.filter((t) => this.visible(t, reading));
        if (words.every((w) => texts.some((t) => starts(t, w)))) {
          take(number, [ACROSS, number], texts.find((t) => starts(t, words[0])));
        }
      });
      const near = new Map(words.map((w) => [w, this.near(w)]).filter(([, n]) => n.size));
      if (near.size) {
        const size = bare(q).split(" ").length;
        const nearest = new Map(); // within the tier, each entry by its best name
        const keep = (number, key, text) => {
          if (!nearest.has(number) || before(key, nearest.get(number).key) < 0) {
            nearest.set(number, { key, text });
          }
        };
        this.names.forEach((name, rank) => {
          if (found.has(name.entry) || !nameShown(name)) {
            return;
          }
          let edits = 0;
          let whole = true;
          for (const word of words) {
            let best = null;
            for (const candidate of name.text.words) {
              const hit = candidate.startsWith(word) ? { cost: 0, whole: candidate === word }
                : (near.get(word) || new Map()).get(candidate);
              if (hit && (best === null || before([hit.cost, hit.whole ? 0 : 1], [best.cost, best.whole ? 0 : 1]) < 0)) {
                best = hit;
              }
            }
            if (best === null) {
              return;
            }
            edits += best.cost;
            whole = whole && best.whole;
          }
          if (words.length === 1) { // the whole name a word near the one typed (as the server's exact names)
            const one = near.get(words[0]) || new Map();
            const named = [name.text.folded, bare(name.text.folded)].map((k) => one.get(k)).find((n) => n && n.whole);
            if (named) {
              keep(name.entry, [NEAR_EXACT, named.cost, name.alias, rank], name.text);
              return;
            }
          }
          const exactly = words.length > 1 && whole && name.size === size;
          keep(name.entry, exactly ? [NEAR_EXACT, edits, name.alias, rank] : [NEAR, edits, 0, rank], name.text);
        });
        nearest.forEach((match, number) => take(number, match.key, match.text));
      }
      this.entries.forEach((entry, number) => {
        if (found.has(number) || !this.admits(entry, reading)) {
          return;
        }
        const inside = entry.texts.filter((t) => t.folded.includes(q) && this.visible(t, reading))
          .map((t) => ({ key: [t.field === "description" ? INSIDE_DESCRIPTION : INSIDE_NAME, number], text: t }))
          .sort((a, b) => before(a.key, b.key));
        if (inside.length) {
          take(number, inside[0].key, inside[0].text);
        }
      });
      const best = [...found.entries()].sort((a, b) => before(a[1].key, b[1].key));
      const hits = best.slice(0, limit).map(([number, match]) => this.hit(number, match, q, words, near, reading));
      return { hits, total: Math.min(found.size, COUNT_MAX), more: found.size > COUNT_MAX };
    }

    hit(number, match, q, words, near, reading) {
      const entry = this.entries[number];
      const text = match.text;
      const nearWords = new Set([...near.values()].flatMap((n) => [...n.keys()]));
      let [start, length] = [text.folded.startsWith(q) ? 0 : (text.folded.indexOf(" " + q) + 1 || text.folded.indexOf(q)), q.length];
      if (start < 0) {
        [start, length] = [0, 0];
        let offset = 0;
        for (const word of text.words) {
          const typed = words.find((w) => word.startsWith(w));
          if (typed !== undefined || nearWords.has(word)) {
            [start, length] = [offset, typed !== undefined ? typed.length : word.length];
            break;
          }
          offset += word.length + 1;
        }
      }
      const [folded, positions] = foldWithPositions(text.text);
      const chars = Array.from(text.text);
      let parts = [text.text, "", ""];
      if (length && folded === text.folded) {
        const [from, to] = [positions[start], positions[start + length - 1] + 1];
        parts = [chars.slice(0, from).join(""), chars.slice(from, to).join(""), chars.slice(to).join("")];
        if (text.field === "description") {
          parts[0] = parts[0].length > CONTEXT ? "…" + parts[0].slice(-CONTEXT).replace(/^\S*\s/, "") : parts[0];
          parts[2] = parts[2].length > CONTEXT ? parts[2].slice(0, CONTEXT).replace(/\s\S*$/, "") + "…" : parts[2];
        }
      }
      return {
        label: entry.label, url: entry.url, kind: entry.kind, context: entry.context, field: text.field,
        before: parts[0], match: parts[1], after: parts[2], text: parts.join(""),
        marks: entry.marks[reading.canon ? 1 : 0], rank: match.key[0],
      };
    }
  }

  // The tables come as a script setting window.kgSearchTables: a script loads from file:// too, where a
  // browser refuses fetch() (the export is read from a folder as well as from a server).
  const loaded = new Map();
  window.kgOfflineSearch = function (indexUrl) {
    const url = new URL(indexUrl, document.baseURI).href;
    if (!loaded.has(url)) {
      loaded.set(url, new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = url;
        script.addEventListener("load", () => resolve(new Index(window.kgSearchTables, url)));
        script.addEventListener("error", () => reject(new Error(`cannot load ${url}`)));
        document.head.append(script);
      }));
    }
    return loaded.get(url);
  };
  window.kgOfflineSearch.NEARLY = [NEAR_EXACT, NEAR];
}());
