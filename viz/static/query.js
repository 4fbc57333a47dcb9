/* Query page: run the editor's query against /sparql, show the results as a table, download them
 * in any format the endpoint speaks, load saved queries into the editor. */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var editor = document.getElementById("editor");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var PAGE_KINDS = ["mechanism", "program", "honor", "jurisdiction", "agency", "organ", "document", "report"];
  var base = document.body.getAttribute("data-base") || "";

  function say(text, bad) { status.textContent = text; status.className = bad ? "bad" : ""; }

  function pageOf(iri) {
    if (base && iri.indexOf(base) === 0) {
      var rest = iri.slice(base.length), kind = rest.split("/")[0];
      if (PAGE_KINDS.indexOf(kind) >= 0 && rest.indexOf("/") > 0) {
        var parts = rest.split("/");
        if (kind === "report" && parts.length > 3) return "/report/" + parts[1] + "#" + parts[2] + "-" + parts.slice(3).join("/");
        return "/" + rest;
      }
    }
    return "/resource?iri=" + encodeURIComponent(iri);
  }

  function post(accept) {
    return fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
      body: new URLSearchParams({ query: editor.value }).toString()
    }).then(function (r) {
      if (r.ok) return r;
      return r.json().then(function (body) { throw new Error(body.error + ": " + body.message); });
    });
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = pageOf(term.value);
      a.textContent = decodeURIComponent(term.value.replace(/\/$/, "").split(/[\/#]/).pop()) || term.value;
      a.title = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (/#(integer|decimal|double|float)$/.test(term.datatype || "")) td.className = "num";
    }
    return td;
  }

  function table(body) {
    results.textContent = "";
    results.hidden = false;
    if (body.boolean !== undefined) { results.textContent = "ASK: " + body.boolean; return; }
    var t = document.createElement("table");
    t.className = "data";
    t.id = "result-table";
    var head = t.createTHead().insertRow();
    body.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var tb = t.createTBody();
    body.results.bindings.forEach(function (b) {
      var row = tb.insertRow();
      body.head.vars.forEach(function (v) { row.appendChild(cell(b[v])); });
    });
    results.appendChild(t);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    say("运行中 running …");
    var started = Date.now();
    post("application/sparql-results+json, text/turtle;q=0.9").then(function (r) {
      var truncated = r.headers.get("X-Result-Truncated");
      var type = r.headers.get("Content-Type") || "";
      return (type.indexOf("json") >= 0 ? r.json() : r.text()).then(function (body) {
        var seconds = ((Date.now() - started) / 1000).toFixed(2);
        if (typeof body === "string") {
          results.hidden = false;
          results.textContent = "";
          var pre = document.createElement("pre");
          pre.textContent = body;
          results.appendChild(pre);
          say("triples in " + seconds + " s" + (truncated ? " (truncated at the cap)" : ""));
        } else {
          table(body);
          var n = body.results ? body.results.bindings.length : 1;
          say(n + " row(s) in " + seconds + " s" + (truncated ? " — truncated at the result cap" : ""));
        }
      });
    }).catch(function (e) { say(e.message, true); });
  });

  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
    if (event.key === "Tab") {
      event.preventDefault();
      var s = editor.selectionStart;
      editor.setRangeText("  ", s, editor.selectionEnd, "end");
    }
  });

  document.querySelectorAll("[data-download]").forEach(function (button) {
    button.addEventListener("click", function () {
      say("下载 downloading …");
      post(button.getAttribute("data-download")).then(function (r) { return r.blob(); }).then(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "query." + button.getAttribute("data-ext");
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        say("downloaded " + a.download);
      }).catch(function (e) { say(e.message, true); });
    });
  });

  document.querySelectorAll("[data-load]").forEach(function (button) {
    button.addEventListener("click", function () {
      var t = document.getElementById("q-" + button.getAttribute("data-load"));
      editor.value = t.content.textContent;
      editor.focus();
      say("loaded " + button.getAttribute("data-load") + ".rq — press Run");
    });
  });
})();
