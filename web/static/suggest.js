// As-you-type suggestions for the header's search box (ARIA 1.2 combobox with a listbox popup).
// Progressive enhancement: without this file the box is a plain form that opens /search.
// The input names its JSON endpoint in data-suggest ({"results": [{label, kind, url, field, text, marks,
// context}]}), or in the static export the search tables in data-suggest-index (offline-search.js).
// Each suggestion shows its kind, a scene's or an event's work, and its marks as badges (a reading is
// never shown as plain canon).  Keys: Down/Up move, Enter opens the highlighted one (else submits the
// form), Escape closes the list.  The spoiler level of the page (?seen=) goes with every request and link.
// An input marked data-suggest-fill is a field of a larger form (the connections page): the box shows
// names, and a hidden field carries what the form submits under the input's name: the chosen entity's
// slug (the page puts it in <input type=hidden data-entity-of=ID> when made with one), or the text typed.
"use strict";

(() => {
  const DEBOUNCE_MS = 120;
  const LIMIT = 8;
  const MIN_CHARS = 1;
  const FLAGS = ["unconfirmed", "disputed"]; // marks shown as flags; any other is a tier

  function seenLevel() {
    return new URLSearchParams(window.location.search).get("seen");
  }

  // A same-origin address with the page's spoiler level, or null for anything else.
  function withSeen(address) {
    let url;
    try {
      url = new URL(address, window.location.href);
    } catch (error) {
      return null;
    }
    if (url.origin !== window.location.origin) {
      return null;
    }
    const seen = seenLevel();
    if (seen !== null && !url.searchParams.has("seen")) {
      url.searchParams.set("seen", seen);
    }
    return url;
  }

  function setUp(input) {
    if (input.dataset.suggestReady) {
      return; // the script may be loaded twice (base page and search page)
    }
    input.dataset.suggestReady = "yes";
    const form = input.form;
    const listId = `${input.id || "q"}-suggestions`;
    const list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    let field = null; // the hidden field a data-suggest-fill box's form sends in its stead
    if ("suggestFill" in input.dataset && input.name && form) {
      field = Array.from(form.querySelectorAll("input[type=hidden][data-entity-of]"))
        .find((hidden) => hidden.dataset.entityOf === input.id);
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.value = input.value;
        input.insertAdjacentElement("beforebegin", field);
      }
      field.name = input.name;
      input.removeAttribute("name");
    }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    let results = [];
    let active = -1;
    let timer = null;
    let controller = null;
    let asked = "";

    function options() {
      return Array.from(list.querySelectorAll('[role="option"]'));
    }

    function highlight(index) {
      active = index;
      options().forEach((option, i) => option.setAttribute("aria-selected", i === index ? "true" : "false"));
      if (index >= 0) {
        const option = options()[index];
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }

    function open() {
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function go(index) {
      const target = results[index] && withSeen(results[index].url);
      if (!target) {
        return;
      }
      close();
      if (field) {
        field.value = decodeURIComponent(target.pathname.replace(/^.*?\/id\//, ""));
        input.value = results[index].label;
        asked = "";
        input.dispatchEvent(new Event("change", { bubbles: true }));
      } else {
        window.location.assign(target.href);
      }
    }

    function render(found) {
      results = found;
      list.replaceChildren();
      found.forEach((result, i) => {
        const option = document.createElement("li");
        option.id = `${listId}-${i}`;
        option.className = "suggestion";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        const name = document.createElement("span");
        name.className = "name";
        name.textContent = result.label;
        (Array.isArray(result.marks) ? result.marks : []).forEach((word) => {
          const badge = document.createElement("span");
          badge.className = `badge ${FLAGS.includes(word) ? "flag" : "interpretation"}`;
          badge.textContent = word;
          name.append(badge);
        });
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = [result.kind, result.context].filter(Boolean).join(" · ");
        if (result.field === "alias" && result.text) {
          const matched = document.createElement("span");
          matched.className = "matched";
          matched.textContent = `also known as ${result.text}`;
          name.append(matched);
        }
        option.append(name, kind);
        // mousedown would blur the input (closing the list) before the click lands
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => go(i));
        option.addEventListener("mousemove", () => {
          if (active !== i) {
            highlight(i);
          }
        });
        list.append(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = found.length
        ? `${found.length} suggestion${found.length === 1 ? "" : "s"}; use the arrow keys to choose.`
        : "No suggestions.";
      if (found.length) {
        open();
      } else {
        close();
      }
    }

    async function fetchSuggestions(text) {
      if (input.dataset.suggestIndex && window.kgOfflineSearch) {
        const found = (await window.kgOfflineSearch(input.dataset.suggestIndex)).search(text, window.kgReading(), LIMIT);
        return input.value.trim() === text ? render(found.hits) : undefined;
      }
      const url = withSeen(input.dataset.suggest);
      if (!url) {
        return;
      }
      url.searchParams.set("q", text);
      url.searchParams.set("limit", String(LIMIT));
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) {
          return;
        }
        const data = await response.json();
        if (input.value.trim() === text && Array.isArray(data.results)) {
          render(data.results);
        }
      } catch (error) {
        if (error.name !== "AbortError") {
          close(); // offline or a server error: the form still works
        }
      }
    }

    input.addEventListener("input", () => {
      if (field) {
        field.value = input.value; // typed: no longer the entity chosen
      }
      const text = input.value.trim();
      window.clearTimeout(timer);
      if (text.length < MIN_CHARS) {
        asked = "";
        if (controller) {
          controller.abort();
        }
        render([]);
        status.textContent = "";
        return;
      }
      timer = window.setTimeout(() => {
        asked = text;
        fetchSuggestions(text);
      }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", (event) => {
      if (event.isComposing) {
        return;
      }
      const count = results.length;
      switch (event.key) {
        case "ArrowDown":
          if (!count) {
            return;
          }
          event.preventDefault();
          if (list.hidden) {
            open();
            highlight(0);
          } else {
            highlight((active + 1) % count);
          }
          break;
        case "ArrowUp":
          if (!count) {
            return;
          }
          event.preventDefault();
          if (list.hidden) {
            open();
            highlight(count - 1);
          } else {
            highlight(active <= 0 ? count - 1 : active - 1);
          }
          break;
        case "Enter":
          if (!list.hidden && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault(); // and keep the text (a search input would clear it)
            close();
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", () => close());
    input.addEventListener("focus", () => {
      if (asked && input.value.trim() === asked) {
        open();
      }
    });
    if (form) {
      form.addEventListener("submit", () => close());
    }
  }

  function start() {
    document.querySelectorAll("input[data-suggest], input[data-suggest-index]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
