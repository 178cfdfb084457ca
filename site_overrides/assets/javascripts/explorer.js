/* The recommendations explorer: filters the table by status, evidence, theme, inspection
   and overdue. The full table works without JavaScript; this only hides rows. The chosen
   filters are kept in the address (?status=met&theme=...), so a filtered view can be shared. */
(function () {
  "use strict";

  function setUp(form) {
    var table = document.querySelector(".pub-recommendations");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector(".pub-filters__count");
    var fields = ["status", "evidence", "theme", "inspection"];

    function wanted() {
      var choice = {};
      fields.forEach(function (name) { choice[name] = form.elements[name].value; });
      choice.overdue = form.elements.overdue.checked;
      return choice;
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

    function apply() {
      var choice = wanted();
      var shown = 0;
      rows.forEach(function (row) {
        var keep = matches(row, choice);
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = shown === rows.length
        ? "Showing all " + rows.length + " recommendations."
        : "Showing " + shown + " of " + rows.length + " recommendations.";
      var query = new URLSearchParams();
      fields.forEach(function (name) { if (choice[name]) query.set(name, choice[name]); });
      if (choice.overdue) query.set("overdue", "yes");
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
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
