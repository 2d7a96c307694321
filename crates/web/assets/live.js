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

  // On the alerts page, a new alert (its notification) is announced at the top of the list with
  // a link to it, without reloading the page.
  var alerts = document.getElementById("alerts-live");
  function announce(e) {
    if (!alerts) {
      return;
    }
    var n;
    try {
      n = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    if (!n || typeof n.kind !== "string" || n.kind.indexOf("alert.") !== 0) {
      return;
    }
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = n.link;
    a.textContent = n.title;
    li.appendChild(a);
    alerts.insertBefore(li, alerts.firstChild);
    alerts.hidden = false;
  }

  // EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
  var source = new EventSource("/api/v1/notifications/stream");
  source.addEventListener("notification", refresh);
  source.addEventListener("notification", announce);
  source.addEventListener("open", refresh);
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
