// Live standings on a drill's page: the board is re-drawn from the server-sent stream of the
// standings the reader may see (the server cuts it at the freeze for participants). Without
// JavaScript the page shows the board as it was when loaded. Served from our own origin.
(function () {
  "use strict";
  var table = document.getElementById("standings");
  if (!table || typeof EventSource === "undefined") {
    return;
  }
  var body = table.querySelector("tbody");
  var english = document.documentElement.lang === "en";
  var frozen = table.getAttribute("data-frozen") === "true";

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function draw(board) {
    // A freeze beginning or ending changes the notices around the board: reload the page.
    if (board.frozen !== frozen) {
      window.location.reload();
      return;
    }
    var rows = document.createDocumentFragment();
    board.lines.forEach(function (line) {
      var tr = document.createElement("tr");
      var name = english && line.team.name_en ? line.team.name_en : line.team.name_vi;
      tr.appendChild(cell(line.rank + "/" + line.out_of));
      tr.appendChild(cell(name));
      tr.appendChild(cell(String(line.score)));
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
    table.setAttribute("data-version", board.version);
  }

  // EventSource reconnects by itself and sends Last-Event-ID (the board's version).
  var source = new EventSource(table.getAttribute("data-stream"));
  source.addEventListener("standings", function (e) {
    try {
      draw(JSON.parse(e.data));
    } catch (err) {
      // a malformed event changes nothing on the page
    }
  });
})();
