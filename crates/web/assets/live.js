// Live updates for signed-in pages: keeps the header's unread-notifications badge current through
// the server-sent event stream. Pages work the same without it (the badge is rendered by the
// server); this only spares a reload. Served from our own origin (CSP: script-src 'self').
(function () {
  "use strict";
  var badge = document.getElementById("unread-badge");
  if (!badge || typeof EventSource === "undefined") {
    return;
  }

  function show(count) {
    badge.textContent = String(count);
    badge.hidden = count === 0;
  }

  // The count is read from the server rather than added up here, so it stays right when
  // notifications are read in another tab.
  function refresh() {
    fetch("/api/v1/notifications/unread-count", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (body) {
        if (body && typeof body.unread === "number") {
          show(body.unread);
        }
      })
      .catch(function () {});
  }

  // EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
  var source = new EventSource("/api/v1/notifications/stream");
  source.addEventListener("notification", refresh);
  source.addEventListener("open", refresh);
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
