// appxray workspace: the only script, served by the server itself. It
// follows an analysis that is waiting or running and reloads the page when
// it ends, and asks before a destructive form is sent.
"use strict";
(function () {
  var status = document.getElementById("ax-status");
  if (status && status.dataset.active === "true") {
    var sha = status.dataset.sha256;
    var was = status.dataset.status;
    var poll = function () {
      fetch("/api/apps/" + encodeURIComponent(sha) + "?report=0", { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j || !j.app) { return setTimeout(poll, 3000); }
          var now = j.app.status;
          if (now !== was && now !== "queued" && now !== "running") {
            location.reload();
            return;
          }
          if (now !== was) {
            status.textContent = now;
            status.className = "ax-status ax-status-" + now;
            was = now;
          }
          setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.dataset.confirm)) { e.preventDefault(); }
    });
  });
})();
