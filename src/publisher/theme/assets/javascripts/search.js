/* The search box: queries the site's Pagefind index (built after the site by
   publisher.search_index). Pagefind splits the index into small chunks and fetches only
   those a query needs, so a first search downloads tens of kilobytes, not the whole index;
   everything comes from this site (no server-side search, nothing from another host).
   Results use Material's markup, so they look like the rest of the theme.

   It is loaded only when the search is first used: a few lines in site_overrides/main.html
   open the box and focus it at once, and load this (on the explorer's pages, inside the
   explorer's file: publisher.assets.COMBINED). So it may start with the search already
   open, and words already typed. */
(function () {
  "use strict";

  // The site's root, from Material's page configuration: the index lives at <root>pagefind/.
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var loading = null;

  // Pagefind, loaded once, on first use. A large site's index is made in parts
  // (publisher.search_index), listed in parts.json: each is merged into the first, so a
  // search covers them all.
  function pagefind() {
    if (!loading) {
      var folder = new URL("pagefind/", root);
      // An index Pagefind made in one piece (of a plain MkDocs build of the export) has none.
      var listed = fetch(new URL("parts.json", folder).href).then(function (response) {
        return response.ok ? response.json() : { parts: [] };
      });
      loading = import(new URL("pagefind.js", folder).href).then(function (module) {
        return module.options({ baseUrl: root.pathname }).then(function () { return listed; }).then(function (index) {
          return Promise.all(index.parts.map(function (part) {
            return module.mergeIndex(new URL(part, folder).href, { baseUrl: root.pathname });
          }));
        }).then(function () { return module; });
      });
    }
    return loading;
  }

  // The explorer's filters on a large site query the same index (explorer.js runs after this).
  window.publisherSearch = { root: root, pagefind: pagefind };

  var PAGE = 10;
  var form = document.querySelector("form.pub-search__form");
  if (!form) return;
  var input = form.elements.query;
  var toggle = document.getElementById("__search");
  var dialog = form.closest(".pub-search");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  var more = dialog.querySelector(".pub-search__more");
  var initial = meta.textContent;

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  var results = [];
  var shown = 0;
  var current = 0;

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(data.url, location.href).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    var excerpt = document.createElement("p");
    excerpt.innerHTML = data.excerpt; // Pagefind escapes the text; only <mark> is markup
    article.appendChild(title);
    article.appendChild(excerpt);
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function showMore(run) {
    var next = results.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = shown >= results.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (pages) {
      if (run !== current) return;
      pages.forEach(function (data) { list.appendChild(item(data)); });
    });
  }

  function search() {
    var query = input.value.trim();
    var run = ++current;
    if (!query) {
      list.textContent = "";
      list.removeAttribute("aria-busy");
      more.hidden = true;
      meta.textContent = initial;
      return;
    }
    // Busy until the results of this query (not an earlier prefix of it) are all shown.
    list.setAttribute("aria-busy", "true");
    function settled() { if (run === current) list.removeAttribute("aria-busy"); }
    pagefind().then(function (pf) {
      return pf.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (found === null || run !== current) return; // a newer query replaced this one
      results = found.results;
      shown = 0;
      list.textContent = "";
      meta.textContent = results.length === 0 ? "No matching pages"
        : results.length === 1 ? "1 matching page" : results.length + " matching pages";
      return showMore(run);
    }).then(settled, function () {
      meta.textContent = "Search is not available: the search index could not be loaded.";
      settled();
    });
  }

  input.addEventListener("input", search);
  input.addEventListener("focus", function () { setOpen(true); pagefind(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click();
  });
  form.addEventListener("reset", function () { setTimeout(search, 0); });
  more.querySelector("button").addEventListener("click", function () { showMore(current); });
  if (toggle) {
    toggle.addEventListener("change", function () { if (toggle.checked && document.activeElement !== input) input.focus(); });
  }
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName) || document.activeElement.isContentEditable;
    if (event.key === "Escape" && toggle && toggle.checked) {
      setOpen(false);
      input.blur();
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      setOpen(true);
      input.focus();
    }
  });

  // Loaded on first use: carry on from where the reader is.
  if (document.activeElement === input) {
    setOpen(true);
    pagefind();
  } else if (toggle && toggle.checked) {
    input.focus();
  }
  if (input.value.trim()) search();
})();
