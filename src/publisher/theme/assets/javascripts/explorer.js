/* The recommendations explorer: filters by status, evidence, theme, inspection and
   overdue. Without JavaScript the table (and its numbered pages) is complete; this only
   narrows it. The chosen filters are kept in the address (?status=met&theme=...), so a
   filtered view can be shared. It is loaded when the filters are first touched, or at
   once for an address that already chooses some (site_overrides/main.html); the page
   already says what it would first say, so nothing moves when it starts.

   When every recommendation is on this one page, rows are hidden and shown in place. On a
   large site the list is split into numbered pages, so the filters ask the site's search
   index instead (Pagefind's filters, the same chunked static files the search box uses):
   only the matching recommendations are fetched, a page of rows at a time. */
(function () {
  "use strict";

  var BATCH = 25;
  var fields = ["status", "evidence", "theme", "inspection"];

  function setUp(form) {
    var table = document.querySelector(".pub-recommendations");
    if (!table) return;
    var body = table.tBodies[0];
    fields = fields.filter(function (name) { return form.elements[name]; });
    var rows = Array.prototype.slice.call(body.rows);
    var count = form.querySelector(".pub-filters__count");
    var total = Number(form.dataset.total || rows.length);
    var paginated = Boolean(form.dataset.pages);
    var pagers = Array.prototype.slice.call(document.querySelectorAll(".pub-pages"));
    var caption = table.caption ? table.caption.textContent : "";
    var more = null;

    function wanted() {
      var choice = {};
      fields.forEach(function (name) { choice[name] = form.elements[name].value; });
      choice.overdue = form.elements.overdue.checked;
      return choice;
    }

    function chosen(choice) {
      return fields.some(function (name) { return choice[name]; }) || choice.overdue;
    }

    function matches(row, choice) {
      var data = row.dataset;
      if (choice.status && data.status !== choice.status) return false;
      if (choice.evidence && data.evidence !== choice.evidence) return false;
      if (choice.inspection && data.inspection !== choice.inspection) return false;
      if (choice.theme && data.themes.split(" ").indexOf(choice.theme) < 0) return false;
      if (choice.overdue && data.overdue !== "yes") return false;
      return true;
    }

    function remember(choice) {
      var query = new URLSearchParams();
      fields.forEach(function (name) { if (choice[name]) query.set(name, choice[name]); });
      if (choice.overdue) query.set("overdue", "yes");
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }

    function filterInPlace(choice) {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = matches(row, choice);
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = shown === rows.length
        ? "Showing all " + rows.length + " recommendations."
        : "Showing " + shown + " of " + rows.length + " recommendations.";
    }

    // ------------------------------------------------------------ a large, paginated site

    // The site's root and its Pagefind index, from search.js (loaded first).
    var root = window.publisherSearch.root;
    var pagefind = window.publisherSearch.pagefind;
    var run = 0;

    // A cell as the templates write it (_macros.md, recommendation_table); on a phone
    // publisher.css labels it by its column.
    function cell(tr, html) {
      var td = document.createElement("td");
      td.innerHTML = html;
      tr.appendChild(td);
    }

    function text(value) {
      var span = document.createElement("span");
      span.textContent = value;
      return span.innerHTML;
    }

    function rowFor(result) {
      var r = JSON.parse(result.meta.row);
      var tr = document.createElement("tr");
      tr.dataset.status = r.status;
      tr.dataset.evidence = r.evidence;
      tr.dataset.inspection = r.inspection;
      tr.dataset.overdue = r.overdue ? "yes" : "no";
      tr.dataset.themes = (result.filters.theme || []).join(" ");
      var href = new URL(result.url, location.href).href;
      cell(tr, '<a href="' + text(href) + '">' + text(r.title) + '</a><br><span class="pub-muted">' + text(r.label) + "</span>");
      cell(tr, '<a href="' + text(new URL("inspections/" + r.inspection + "/", root).href) + '">' + text(r.when) + '</a><br><span class="pub-muted">' + text(r.inspectorate) + "</span>");
      cell(tr, '<strong class="pub-tag pub-tag--' + text(r.status) + '">' + text(r.status_label) + "</strong>");
      cell(tr, '<span class="pub-evidence pub-evidence--' + text(r.evidence) + '">' + text(r.evidence_label) + "</span>");
      cell(tr, r.due ? text(r.due) + (r.overdue ? ' <strong class="pub-flag pub-flag--overdue">Overdue</strong>' : "") : '<span class="pub-muted">Not stated</span>');
      return tr;
    }

    var narrowed = false; // whether the table shows search results instead of its own rows

    function restore() {
      if (narrowed) {
        body.textContent = "";
        rows.forEach(function (row) { row.hidden = false; body.appendChild(row); });
        pagers.forEach(function (nav) { nav.hidden = false; });
        if (table.caption) table.caption.textContent = caption;
        if (more) more.hidden = true;
        narrowed = false;
      }
      count.textContent = "Showing " + rows.length + " of " + total + " recommendations on this page. Choose a filter to search all of them.";
    }

    function filterThroughIndex(choice) {
      var mine = ++run;
      if (!chosen(choice)) { restore(); return; }
      count.textContent = "Searching…";
      var filters = {};
      fields.forEach(function (name) { if (choice[name]) filters[name] = choice[name]; });
      if (choice.overdue) filters.overdue = "yes";
      pagefind().then(function (pf) {
        return pf.search(null, { filters: filters, sort: { order: "asc" } });
      }).then(function (found) {
        if (mine !== run) return;
        var results = found.results;
        var shown = 0;
        narrowed = true;
        body.textContent = "";
        pagers.forEach(function (nav) { nav.hidden = true; });
        if (table.caption) table.caption.textContent = "Recommendations matching the filters";
        if (!more) {
          more = document.createElement("p");
          more.innerHTML = '<button type="button" class="md-button">Show more recommendations</button>';
          table.closest(".pub-table-wrap").after(more);
        }
        function next() {
          var batch = results.slice(shown, shown + BATCH);
          shown += batch.length;
          more.hidden = shown >= results.length;
          return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
            if (mine !== run) return;
            pages.forEach(function (page) { body.appendChild(rowFor(page)); });
            count.textContent = results.length === 0
              ? "No recommendation matches these filters."
              : "Showing " + body.rows.length + " of " + results.length + " matching recommendations (of " + total + ").";
          });
        }
        more.querySelector("button").onclick = next;
        return next();
      }).catch(function (error) {
        if (window.console) console.error(error);
        if (mine === run) count.textContent = "Filtering is not available: the search index could not be loaded.";
      });
    }

    function apply() {
      var choice = wanted();
      if (paginated) filterThroughIndex(choice);
      else filterInPlace(choice);
      remember(choice);
    }

    var initial = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var value = initial.get(name);
      var select = form.elements[name];
      if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
    });
    form.elements.overdue.checked = initial.get("overdue") === "yes";

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function start() {
    var form = document.querySelector("form.pub-filters");
    if (form) setUp(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
