/* The map page: every jurisdiction with a report as a dot at its longitude and latitude, in an
 * SVG drawn here from the data the server embeds in the page (#map-data): an equirectangular
 * projection fitted to the dots (longitude scaled by the cosine of the middle latitude), a
 * graticule, and the coordinate table's positions as a faint backdrop.  Clicking a dot shows
 * the jurisdiction and fetches its evidence from this server.  No library, no tiles; loads
 * nothing from any other host. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var state = { drawn: 0, backdrop: 0, selected: null };
  window.kgMap = state;

  function json(id) {
    var e = document.getElementById(id);
    return e ? JSON.parse(e.textContent) : null;
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function node(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // --- the form: changing a select reloads the page; typing narrows the mechanisms offered
  var form = document.getElementById("map-form");
  var select = document.getElementById("concept-select");
  var filter = document.getElementById("concept-filter");
  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      s.addEventListener("change", function () { form.submit(); });
    });
  }
  if (filter && select) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase(), first = null;
      Array.prototype.forEach.call(select.options, function (o) {
        var hit = !q || o.textContent.toLowerCase().indexOf(q) >= 0 || o.value.toLowerCase().indexOf(q) >= 0;
        o.hidden = !hit;
        if (hit && !first) first = o;
      });
      if (q && first && select.selectedOptions[0] && select.selectedOptions[0].hidden) select.value = first.value;
    });
    filter.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); form.submit(); }
    });
  }

  var data = json("map-data"), config = json("map-config") || {}, backdrop = json("map-backdrop") || [];
  var holder = document.getElementById("map-chart"), detail = document.getElementById("map-detail");
  if (!data || !holder) return;
  var colors = {};
  data.classes.forEach(function (c) { colors[c.value] = c.color; });
  var labels = {};
  data.classes.forEach(function (c) { labels[c.value] = c.label; });

  // --- projection fitted to the dots (all of China when there are none)
  var points = data.points;
  var lon0 = 73, lon1 = 135, lat0 = 18, lat1 = 54;
  if (points.length) {
    lon0 = Math.min.apply(null, points.map(function (p) { return p.lon; }));
    lon1 = Math.max.apply(null, points.map(function (p) { return p.lon; }));
    lat0 = Math.min.apply(null, points.map(function (p) { return p.lat; }));
    lat1 = Math.max.apply(null, points.map(function (p) { return p.lat; }));
  }
  var margin = Math.max(1, 0.08 * Math.max(lon1 - lon0, lat1 - lat0));  // degrees around the dots
  lon0 -= margin; lon1 += margin; lat0 -= margin; lat1 += margin;
  var kx = Math.cos(((lat0 + lat1) / 2) * Math.PI / 180);
  var width = Math.max(holder.clientWidth || 0, 420);
  var spanX = (lon1 - lon0) * kx, spanY = lat1 - lat0;
  var height = Math.round(Math.min(Math.max(width * spanY / spanX, 320), 680));
  var scale = Math.min(width / spanX, height / spanY);
  var offX = (width - spanX * scale) / 2, offY = (height - spanY * scale) / 2;
  function px(lon) { return offX + (lon - lon0) * kx * scale; }
  function py(lat) { return offY + (lat1 - lat) * scale; }

  var svg = node("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", "class": "map" });
  svg.appendChild(node("title", {}, "jurisdictions by longitude and latitude" + (data.concept ? ": " + data.concept.label : "")));
  svg.appendChild(node("rect", { x: 0, y: 0, width: width, height: height, fill: "#fbfcfd" }));

  // graticule: a line every 1, 2, 5 or 10 degrees, so that there are a few
  var range = Math.max(lon1 - lon0, lat1 - lat0), step = [1, 2, 5, 10].filter(function (s) { return range / s <= 8; })[0] || 10;
  var grid = node("g", { "class": "graticule", stroke: "#e6eaee", "stroke-width": 1 });
  for (var lo = Math.ceil(lon0 / step) * step; lo <= lon1; lo += step) {
    grid.appendChild(node("line", { x1: px(lo), x2: px(lo), y1: 0, y2: height }));
    grid.appendChild(node("text", { x: px(lo) + 3, y: height - 4, "font-size": 10, fill: "#8a96a0", stroke: "none" }, lo + "°E"));
  }
  for (var la = Math.ceil(lat0 / step) * step; la <= lat1; la += step) {
    grid.appendChild(node("line", { x1: 0, x2: width, y1: py(la), y2: py(la) }));
    grid.appendChild(node("text", { x: 3, y: py(la) - 3, "font-size": 10, fill: "#8a96a0", stroke: "none" }, la + "°N"));
  }
  svg.appendChild(grid);

  var back = node("g", { "class": "backdrop", fill: "#dde3e8" });
  backdrop.forEach(function (p) {
    if (p[0] < lon0 || p[0] > lon1 || p[1] < lat0 || p[1] > lat1) return;
    back.appendChild(node("circle", { cx: px(p[0]).toFixed(1), cy: py(p[1]).toFixed(1), r: 1.3 }));
    state.backdrop += 1;
  });
  svg.appendChild(back);

  // dots sharing a position (several placed at one parent's coordinates) are set around it in a ring
  var order = { none: 0, other: 1, practised: 2 };
  var placed = points.map(function (p) { return { p: p, x: px(p.lon), y: py(p.lat) }; });
  var spots = {};
  placed.forEach(function (d) {
    var key = d.p.lon.toFixed(4) + "," + d.p.lat.toFixed(4);
    (spots[key] = spots[key] || []).push(d);
  });
  Object.keys(spots).forEach(function (key) {
    var group = spots[key];
    if (group.length < 2) return;
    group.forEach(function (d, i) {
      var a = (2 * Math.PI * i) / group.length, r = 5 + group.length;
      d.x += r * Math.cos(a); d.y += r * Math.sin(a);
    });
  });
  placed.sort(function (a, b) { return order[a.p["class"]] - order[b.p["class"]]; });

  var dots = node("g", { "class": "dots" });
  placed.forEach(function (d) {
    var p = d.p;
    var dot = node("circle", {
      cx: d.x.toFixed(1), cy: d.y.toFixed(1), r: 6, fill: colors[p["class"]],
      stroke: p.source === "parent" ? "#37474f" : "#ffffff", "stroke-width": 1.5,
      "stroke-dasharray": p.source === "parent" ? "2 2" : "none",
      tabindex: 0, "class": "dot " + p["class"], "data-code": p.code
    });
    dot.appendChild(node("title", {}, p.name + " (" + p.code + ") · " + labels[p["class"]] +
      (p.years.length ? " · " + p.years.join(", ") : "") + (p.source === "parent" ? " · at " + p.via_name : "")));
    dot.addEventListener("click", function () { show(p, dot); });
    dot.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(p, dot); } });
    dots.appendChild(dot);
    state.drawn += 1;
  });
  svg.appendChild(dots);
  if (placed.length <= 40) {  // few dots: name them
    var names = node("g", { "class": "names", "font-size": 11, fill: "#37474f", "pointer-events": "none" });
    placed.forEach(function (d) {
      var right = d.x < width - 120;
      names.appendChild(node("text", { x: (d.x + (right ? 9 : -9)).toFixed(1), y: (d.y + 4).toFixed(1), "text-anchor": right ? "start" : "end" }, d.p.name));
    });
    svg.appendChild(names);
  }
  holder.appendChild(svg);

  // --- the side panel: the jurisdiction, its stance, its reports and the evidence sentences
  function show(p, dot) {
    if (state.selected) state.selected.classList.remove("selected");
    dot.classList.add("selected");
    state.selected = dot;
    detail.textContent = "";
    var h = el("h3", {});
    h.appendChild(el("a", { href: p.url }, p.name));
    detail.appendChild(h);
    var facts = el("dl", { "class": "facts" });
    function fact(term, value) { facts.appendChild(el("dt", {}, term)); var dd = el("dd", {}); dd.appendChild(value); facts.appendChild(dd); }
    fact("代码 Code", document.createTextNode(p.code));
    var stance = el("span", {});
    if (p.stances.length) p.stances.forEach(function (s) { stance.appendChild(el("span", { "class": "pill " + s }, s)); });
    else stance.textContent = labels[p["class"]];
    fact("立场 Stance", stance);
    if (p.years.length) fact("年份 Years", document.createTextNode(p.years.join(", ")));
    var where = (config.sources || {})[p.source] || p.source;
    fact("坐标 Position", document.createTextNode(p.lon.toFixed(3) + ", " + p.lat.toFixed(3) + " · " + where +
      (p.source === "exact" ? "" : " (" + p.via_name + ", " + p.via + ")")));
    detail.appendChild(facts);
    if (p.reports.length) {
      var list = el("p", {}, "报告 Reports: ");
      p.reports.forEach(function (r, i) {
        if (i) list.appendChild(document.createTextNode("; "));
        list.appendChild(el("a", { href: r.url }, (r.year ? r.year + " " : "") + r.title));
      });
      detail.appendChild(list);
    }
    if (!data.concept || p["class"] === "none" || !config.evidence) return;
    var wait = el("p", { "class": "empty" }, "载入 loading …");
    detail.appendChild(wait);
    var url = config.evidence + "?" + new URLSearchParams({ place: p.place, concept: data.concept.iri, scheme: "all" }).toString();
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + r.statusText);
      return r.json();
    }).then(function (body) {
      wait.remove();
      var from = data.filters.from ? Number(data.filters.from) : null, to = data.filters.to ? Number(data.filters.to) : null;
      var items = body.items.filter(function (i) {
        return (from === null || (i.year !== null && i.year >= from)) && (to === null || (i.year !== null && i.year <= to));
      });
      var box = el("div", { id: "evidence" });
      box.appendChild(el("p", { "class": "muted" }, items.length + " sentence(s)" + (body.total > body.items.length ? " of the first " + body.items.length : "")));
      items.forEach(function (i) {
        var q = el("blockquote", { "class": "evidence" });
        q.appendChild(document.createTextNode(i.before));
        q.appendChild(el("mark", {}, i.mention));
        q.appendChild(document.createTextNode(i.after));
        var src = el("span", { "class": "src" });
        src.appendChild(el("span", { "class": "pill " + i.stance }, i.stance));
        src.appendChild(document.createTextNode(" "));
        src.appendChild(el("a", { href: i.report_url }, i.report_title));
        src.appendChild(document.createTextNode((i.year ? " · " + i.year : "") + (i.heading ? " · " + i.heading : "")));
        q.appendChild(src);
        box.appendChild(q);
      });
      detail.appendChild(box);
    }).catch(function (e) { wait.textContent = "error: " + e.message; });
  }
})();
