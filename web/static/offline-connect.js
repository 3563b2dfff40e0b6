// Connections without a server, for the static export: kg/views/connections.py's walk of the entity graph
// over the tables kg/views/graphoffline.py writes (graph-index.js), through a lens made from the fan's reading
// as kg/views/entitygraph.py's Lens makes it: the same shortest length (bidirectional search), the same
// chains in the same order (depth first, each entity's links in the graph's order), ranked alike; so the
// export's chains are the server's.  It fills the connections page for ?from=&to= (slugs, names or aliases);
// offline-graph.js walks the same lens for the graph view.
"use strict";

(() => {
  const MAX_STEPS = 4;
  const MAX_CHAINS = 5;
  const MIN_CHAINS = 3;
  const MAX_PATHS = 20000;
  const TIERS = ["canon", "reference", "interpretation"];
  const DIRECTION = { "-1": "backward", 0: "both", 1: "forward" };
  const ARROWS = { backward: "←", both: "↔", forward: "→" };

  function marks(sources) { // kg/views/marks.py: the strongest kind seen, its flags
    const kinds = new Set(sources.map(([kind]) => kind));
    const tier = TIERS.find((k) => kinds.has(k)) || "reference";
    const flags = [...new Set(sources.filter(([kind, f]) => kind === tier && f).map(([, f]) => f))].sort();
    return [...(tier === "interpretation" ? [tier] : []), ...flags];
  }

  class Lens {
    constructor(tables, reading, trivial, relations = null) { // relations: a Set of predicate numbers, or all
      Object.assign(this, { tables, reading, trivial, relations, cache: new Map() });
    }

    visible(graph) {
      const [rank, kind] = this.tables.graphs[graph];
      return !(this.reading.canon && kind === 2) && (this.reading.seen === null || rank <= this.reading.seen);
    }

    shown(entity) {
      const e = this.tables.entities[entity];
      return !(this.reading.canon && e.doubted) && (!e.names.length || e.names.some((g) => this.visible(g)));
    }

    sources(link) {
      return link[3].filter((g) => this.visible(g) && !(this.reading.canon && link[4].some(([d]) => d === g)));
    }

    passable(entity) {
      return !this.tables.entities[entity].hub;
    }

    links(entity) { // other -> [link], in the graph's order
      if (!this.cache.has(entity)) {
        const found = new Map();
        for (const link of this.tables.entities[entity].links) {
          if ((this.trivial || !this.tables.predicates[link[1]].trivial)
              && (this.relations === null || this.relations.has(link[1]))
              && this.sources(link).length && this.shown(link[0])) {
            (found.get(link[0]) || found.set(link[0], []).get(link[0])).push(link);
          }
        }
        this.cache.set(entity, found);
      }
      return this.cache.get(entity);
    }

    linkMarks(link) {
      const kinds = this.tables.graphs;
      return marks(this.sources(link).map((g) => [TIERS[kinds[g][1]], (link[4].find(([d]) => d === g) || [])[1]]));
    }

    entityMarks(entity) {
      const e = this.tables.entities[entity];
      const kind = (g) => TIERS[this.tables.graphs[g][1]];
      return marks([...e.names.filter((g) => this.visible(g)).map((g) => [kind(g), null]),
        ...e.doubts.filter(([g]) => this.visible(g)).map(([g, f]) => [kind(g), f])]);
    }
  }

  function shortestLength(lens, start, end) {
    if (start === end || !(lens.shown(start) && lens.shown(end))) {
      return null;
    }
    const depth = [new Map([[start, 0]]), new Map([[end, 0]])];
    const frontier = [[start], [end]];
    const levels = [0, 0];
    while (frontier[0].length && frontier[1].length && levels[0] + levels[1] < MAX_STEPS) {
      const side = frontier[0].length <= frontier[1].length ? 0 : 1;
      const [mine, theirs, origin] = [depth[side], depth[1 - side], [start, end][side]];
      levels[side] += 1;
      const reached = [];
      let best = null;
      for (const node of frontier[side]) {
        if (node !== origin && !lens.passable(node)) {
          continue;
        }
        for (const other of lens.links(node).keys()) {
          if (mine.has(other)) {
            continue;
          }
          mine.set(other, levels[side]);
          reached.push(other);
          if (theirs.has(other) && (other === start || other === end || lens.passable(other))) {
            const total = levels[side] + theirs.get(other);
            best = best === null ? total : Math.min(best, total);
          }
        }
      }
      if (best !== null) {
        return best <= MAX_STEPS ? best : null;
      }
      frontier[side] = reached;
    }
    return null;
  }

  function distances(lens, origin, limit) {
    const found = new Map([[origin, 0]]);
    let frontier = [origin];
    for (let level = 1; level <= limit; level += 1) {
      const reached = [];
      for (const node of frontier) {
        if (node !== origin && !lens.passable(node)) {
          continue;
        }
        for (const other of lens.links(node).keys()) {
          if (!found.has(other)) {
            found.set(other, level);
            reached.push(other);
          }
        }
      }
      frontier = reached;
    }
    return found;
  }

  function paths(lens, start, end, length) {
    const toEnd = distances(lens, end, length);
    const route = [start];
    const chains = [];
    const walk = (node, left) => {
      for (const other of lens.links(node).keys()) {
        if (chains.length >= MAX_PATHS) {
          return;
        }
        if (other === end) {
          if (left === 1) {
            chains.push([...route, end]);
          }
        } else if (left > 1 && !route.includes(other) && lens.passable(other) && (toEnd.has(other) ? toEnd.get(other) : left) < left) {
          route.push(other);
          walk(other, left - 1);
          route.pop();
        }
      }
    };
    walk(start, length);
    const key = (l) => [lens.tables.predicates[l[1]].trivial ? 1 : 0, lens.tables.predicates[l[1]].iri, DIRECTION[l[2]]];
    const order = (a, b) => compare(key(a), key(b));
    return chains.map((nodes) => ({
      entities: nodes,
      steps: nodes.slice(1).map((b, i) => [...lens.links(nodes[i]).get(b)].sort(order)),
    }));
  }

  function compare(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (a[i] !== b[i]) {
        return a[i] < b[i] ? -1 : 1;
      }
    }
    return a.length - b.length;
  }

  function ranked(lens, chains) {
    const p = lens.tables.predicates;
    const score = (chain) => [
      chain.steps.filter((links) => links.every((l) => p[l[1]].trivial)).length,
      chain.steps.filter((links) => links.every((l) => p[l[1]].occasion)).length,
      Math.round(chain.entities.slice(1, -1).reduce((sum, e) => sum + Math.log(lens.links(e).size), 0) * 1e6) / 1e6,
      ...chain.entities.map((e) => lens.tables.entities[e].path),
    ];
    return chains.map((chain) => [score(chain), chain]).sort((a, b) => compare(a[0], b[0])).map(([, chain]) => chain);
  }

  function connect(tables, start, end, reading) {
    for (const trivial of [false, true]) {
      const lens = new Lens(tables, reading, trivial);
      const length = shortestLength(lens, start, end);
      if (length !== null) {
        let chains = ranked(lens, paths(lens, start, end, length)).slice(0, MAX_CHAINS);
        if (chains.length < MIN_CHAINS && length < MAX_STEPS) {
          chains = chains.concat(ranked(lens, paths(lens, start, end, length + 1)).slice(0, MAX_CHAINS - chains.length));
        }
        if (chains.length) {
          return { chains, viaTrivial: trivial, lens };
        }
      }
    }
    return { chains: [], viaTrivial: false, lens: new Lens(tables, reading, true) };
  }

  function element(tag, className, text) { // for the pages that show what the walks find
    const made = document.createElement(tag);
    made.className = className || "";
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  function badges(words) {
    return words.map((word) => element("span", `badge ${["unconfirmed", "disputed"].includes(word) ? "flag" : word}`, word));
  }

  const loaded = new Map();
  window.kgOfflineGraph = function (url) { // the tables, as a script (it loads from file:// too)
    const address = new URL(url, document.baseURI).href;
    if (!loaded.has(address)) {
      loaded.set(address, new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = address;
        script.addEventListener("load", () => {
          const tables = window.kgGraphTables;
          tables.entities.forEach((e) => { e.url = e.url ? new URL(e.url, address).href : null; });
          tables.byPath = new Map(tables.entities.map((e, i) => [e.path, i]));
          resolve(tables);
        });
        script.addEventListener("error", () => reject(new Error(`cannot load ${address}`)));
        document.head.append(script);
      }));
    }
    return loaded.get(address);
  };
  window.kgOfflineConnect = { connect, compare, distances, Lens, ARROWS, DIRECTION, badges, element };
})();
