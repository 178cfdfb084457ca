// The publisher's additions to Decap CMS (loaded after it, on /admin/ only).
(function () {
  "use strict";

  // A new update's file is named as `publisher new update` names it: the preview server
  // makes the id from the date and title (update_files.update_id, with -2, -3... if taken),
  // and the collection's slug template reads it from this field, which the server never
  // writes into the file.
  window.CMS.registerEventListener({
    name: "preSave",
    handler: async function (event) {
      var entry = event.entry;
      var data = entry.get("data");
      if (entry.get("collection") !== "updates" || !entry.get("newRecord")) {
        return data;
      }
      var query = new URLSearchParams({ date: data.get("date") || "", title: data.get("title") || "" });
      var response = await fetch("update-id?" + query.toString(), { headers: { Accept: "application/json" } });
      if (!response.ok) {
        throw new Error("The preview server did not name the file; is `publisher serve` still running?");
      }
      var answer = await response.json();
      return data.set("_file_name", answer.id);
    },
  });
})();
