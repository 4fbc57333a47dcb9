/* The mechanism-adoption explorer: draws the network the server (or an embedded payload) gives,
 * with vis-network; filters; physics that stops once the layout settles; a side panel with the
 * evidence sentences of a clicked node or edge.  Loads nothing from any other host. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("explorer-config").textContent);
  var container = document.getElementById("canvas");
  var form = document.getElementById("filter-form");
  var panel = document.getElementById("panel");
  var FILTERS = ["view", "scheme", "concept", "category", "province", "year", "stance"];
  var state = { network: null, nodes: null, edges: null, payload: null, filters: {} };
  window.kgExplorer = state;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fillSelect(name, options, anyLabel) {
    var select = form.elements[name];
    select.textContent = "";
    if (anyLabel) select.appendChild(el("option", { value: "" }, anyLabel));
    options.forEach(function (o) { select.appendChild(el("option", { value: o.value }, o.label)); });
  }

  function setupFilters() {
    var f = config.facets;
    fillSelect("view", [
      { value: "auto", label: "自动 auto" }, { value: "jurisdictions", label: "地区 jurisdictions" },
      { value: "provinces", label: "省 provinces (aggregated)" }]);
    fillSelect("scheme", [
      { value: "mechanism", label: "机制 mechanisms" }, { value: "program", label: "行动 programs" },
      { value: "all", label: "全部 both" }]);
    fillSelect("concept", f.concepts.map(function (c) {
      return { value: c.value, label: c.label + " (" + c.n + ")" };
    }), "全部 all");
    fillSelect("category", f.categories, "全部 all");
    fillSelect("province", f.provinces, "全部 all");
    fillSelect("year", f.years.map(function (y) { return { value: String(y), label: String(y) }; }), "全部 all");
    fillSelect("stance", f.stances, "全部 all");
    var initial = config.filters || {};
    FILTERS.forEach(function (name) {
      if (initial[name] !== undefined) form.elements[name].value = initial[name];
    });
    form.addEventListener("change", function () { load(); });
    document.getElementById("reset").addEventListener("click", function () {
      FILTERS.forEach(function (name) { form.elements[name].selectedIndex = 0; });
      load();
    });
  }

  function currentFilters() {
    var out = {};
    FILTERS.forEach(function (name) {
      var v = form.elements[name].value;
      if (v && !form.elements[name].disabled) out[name] = v;
    });
    return out;
  }

  function query(params) {
    return Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.message || ("HTTP " + r.status));
        return body;
      });
    });
  }

  function load() {
    state.filters = currentFilters();
    if (config.mode === "server") {
      var q = query(state.filters);
      history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
      progress("载入 loading …");
      getJSON(config.graph + (q ? "?" + q : "")).then(draw).catch(function (e) { progress("error: " + e.message); });
    } else {
      draw(filterEmbedded(config.data, state.filters));
    }
  }

  /* standalone file: the whole view is embedded; filters run here */
  function filterEmbedded(data, f) {
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var edges = data.edges.filter(function (e) {
      var place = byId[e.from], concept = byId[e.to];
      if (f.stance && e.stances.indexOf(f.stance) < 0) return false;
      if (f.year && e.years.indexOf(Number(f.year)) < 0) return false;
      if (f.category && concept.category_iri !== f.category) return false;
      if (f.province && place.province !== f.province && place.id !== f.province) return false;
      if (f.concept && concept.id !== f.concept) return false;
      if (f.scheme && f.scheme !== "all" && concept.kind !== f.scheme) return false;
      return true;
    }).map(function (e) {
      if (!f.stance) return e;
      return Object.assign({}, e, { color: Object.assign({}, e.color, { color: data.colors[f.stance] }) });
    });
    var keep = {};
    edges.forEach(function (e) { keep[e.from] = true; keep[e.to] = true; });
    var nodes = data.nodes.filter(function (n) { return keep[n.id]; });
    return Object.assign({}, data, { nodes: nodes, edges: edges,
      stats: { nodes: nodes.length, edges: edges.length } });
  }

  function progress(text) { document.getElementById("progress").textContent = text || ""; }

  function draw(payload) {
    state.payload = payload;
    var notices = document.getElementById("notices");
    notices.textContent = "";
    (payload.notices || []).forEach(function (n) {
      var box = el("div", { "class": "notice" }, n);
      var close = el("button", { "class": "close", type: "button", title: "close", "aria-label": "close" }, "×");
      close.addEventListener("click", function () { box.remove(); });
      box.appendChild(close);
      notices.appendChild(box);
    });
    if (!payload.nodes.length) notices.appendChild(el("div", { "class": "notice" }, "没有符合筛选条件的采用记录。No adoption matches these filters."));
    legend(payload.legend);
    var stats = payload.stats || {};
    document.getElementById("stats").textContent =
      (stats.nodes || 0) + " nodes · " + (stats.edges || 0) + " edges · view: " + (payload.view || "");
    state.nodes = new vis.DataSet(payload.nodes);
    state.edges = new vis.DataSet(payload.edges);
    if (state.network) state.network.destroy();
    var options = JSON.parse(JSON.stringify(payload.options));
    state.laidOut = false;
    state.network = new vis.Network(container, { nodes: state.nodes, edges: state.edges }, options);
    container.setAttribute("data-nodes", String(payload.nodes.length));
    container.setAttribute("data-edges", String(payload.edges.length));
    state.network.on("stabilizationProgress", function (p) {
      progress("布局 laying out " + Math.round(100 * p.iterations / p.total) + "%");
    });
    state.network.once("stabilizationIterationsDone", function () {
      state.network.setOptions({ physics: { enabled: false } });
      state.laidOut = true;
      container.setAttribute("data-laid-out", "true");
      progress("");
    });
    state.network.on("click", function (params) {
      if (params.nodes.length) showNode(params.nodes[0]);
      else if (params.edges.length) showEdge(params.edges[0]);
    });
    state.network.on("doubleClick", function (params) {
      if (params.nodes.length) {
        var n = state.nodes.get(params.nodes[0]);
        if (n && n.url && config.mode === "server") location.href = n.url;
      }
    });
  }

  function legend(items) {
    var box = document.getElementById("legend");
    box.textContent = "";
    (items || []).forEach(function (item) {
      var row = el("div");
      var sw = el("span", { "class": item.shape });
      sw.style.background = item.color;
      row.appendChild(sw);
      row.appendChild(el("span", {}, item.label));
      box.appendChild(row);
    });
  }

  function isPlace(node) { return node.kind === "jurisdiction" || node.kind === "province"; }

  function showEdge(edgeId) {
    var edge = state.edges.get(edgeId);
    if (!edge) return;
    evidence({ place: edge.from, concept: edge.to }, edge.title, edgeId);
  }

  function showNode(nodeId) {
    var node = state.nodes.get(nodeId);
    if (!node) return;
    evidence(isPlace(node) ? { place: node.id } : { concept: node.id }, node.title, null, node);
  }

  function evidence(which, title, edgeId, node) {
    panel.textContent = "";
    panel.appendChild(el("h3", {}, "证据 Evidence"));
    panel.appendChild(el("p", { "class": "muted" }, title));
    if (config.mode === "server") {
      var params = Object.assign({}, state.filters, which);
      if (state.payload && state.payload.view) params.view = state.payload.view;
      var wait = el("p", { "class": "empty" }, "载入 loading …");
      panel.appendChild(wait);
      getJSON(config.evidence + "?" + query(params)).then(function (body) {
        wait.remove();
        renderEvidence(body.items, body.total, body.links);
      }).catch(function (e) { wait.textContent = "error: " + e.message; });
    } else {
      var items = [];
      if (edgeId) items = config.data.evidence[edgeId] || [];
      else state.edges.forEach(function (e) {
        if (e.from === node.id || e.to === node.id) items = items.concat(config.data.evidence[e.id] || []);
      });
      var f = state.filters;
      items = items.filter(function (i) {
        return (!f.stance || i.stance === f.stance) && (!f.year || String(i.year) === f.year);
      });
      renderEvidence(items.slice(0, 100), items.length, []);
    }
  }

  function renderEvidence(items, total, links) {
    var box = el("div", { id: "evidence" });
    (links || []).forEach(function (l) {
      var a = el("a", { href: l.url }, l.label + " →");
      box.appendChild(a);
      box.appendChild(document.createTextNode(" "));
    });
    box.appendChild(el("p", { "class": "muted" }, total + " sentence(s)" + (total > items.length ? ", first " + items.length + " shown" : "")));
    if (!items.length) box.appendChild(el("p", { "class": "empty" }, "No evidence sentence under these filters."));
    items.forEach(function (i) {
      var q = el("blockquote", { "class": "evidence" });
      q.appendChild(document.createTextNode(i.before));
      q.appendChild(el("mark", {}, i.mention));
      q.appendChild(document.createTextNode(i.after));
      var src = el("span", { "class": "src" });
      src.appendChild(el("span", { "class": "pill " + i.stance }, i.stance));
      src.appendChild(document.createTextNode(" " + i.place_label + " · " + i.concept_label + " · "));
      var link = el("a", { href: i.report_url }, i.report_title);
      if (config.mode !== "server") link.removeAttribute("href");
      src.appendChild(link);
      src.appendChild(document.createTextNode((i.year ? " · " + i.year : "") + (i.heading ? " · " + i.heading : "")));
      q.appendChild(src);
      box.appendChild(q);
    });
    panel.appendChild(box);
  }

  setupFilters();
  load();
})();
