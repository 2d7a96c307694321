// The channel page: appends each new message as it arrives on the channel's stream (server-sent
// events, any instance). The server sends only messages the reader may read. Built with DOM
// methods and textContent only: a message's text is never parsed as HTML. Served from our own
// origin (CSP: script-src 'self'); without it the page shows the messages as of its load.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  if (!list || typeof EventSource === "undefined") {
    return;
  }
  var channel = list.getAttribute("data-channel");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function when(t) {
    // "2025-08-14T09:30:00+07:00" in the network's time zone → "14/08/2025 09:30"
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(t || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] + " " + m[4] + ":" + m[5] : "";
  }

  function links(label, items, href, text) {
    var p = el("p", "small");
    p.appendChild(document.createTextNode(label + ": "));
    items.forEach(function (item, i) {
      if (i > 0) {
        p.appendChild(document.createTextNode(", "));
      }
      var a = el("a", "", text(item));
      a.href = href(item);
      p.appendChild(a);
    });
    return p;
  }

  function append(m) {
    if (document.getElementById("m-" + m.id)) {
      return;
    }
    var li = el("li", "message");
    li.id = "m-" + m.id;
    var meta = el("p", "small");
    meta.appendChild(el("strong", "", m.author_name));
    meta.appendChild(document.createTextNode(" · " + m.org_name + " · "));
    meta.appendChild(el("span", "tag", "TLP:" + m.tlp));
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(el("span", "muted", when(m.created_at)));
    li.appendChild(meta);
    li.appendChild(el("p", "prewrap", m.body));
    if (m.indicators && m.indicators.length) {
      li.appendChild(
        links(
          list.getAttribute("data-label-indicators"),
          m.indicators,
          function (i) { return "/api/v1/indicators/" + encodeURIComponent(i.id); },
          function (i) { return i.name + " (TLP:" + i.tlp + ")"; }
        )
      );
    }
    if (m.attachments && m.attachments.length) {
      li.appendChild(
        links(
          list.getAttribute("data-label-files"),
          m.attachments,
          function (f) {
            return "/api/v1/channels/" + encodeURIComponent(channel) + "/messages/" +
              encodeURIComponent(m.id) + "/attachments/" + encodeURIComponent(f.id);
          },
          function (f) { return f.filename; }
        )
      );
    }
    list.appendChild(li);
    var empty = document.getElementById("messages-empty");
    if (empty) {
      empty.hidden = true;
    }
  }

  // EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
  var source = new EventSource(list.getAttribute("data-stream"));
  source.addEventListener("message", function (e) {
    try {
      append(JSON.parse(e.data));
    } catch (err) {
      // a malformed event is skipped; the next page load shows the message
    }
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
