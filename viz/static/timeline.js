/* The timeline page: an SVG line chart of the jurisdictions reporting each mechanism per year,
 * drawn from the data the server embeds in the page (#timeline-data).  Changing a filter
 * reloads the page with it.  No library; loads nothing from any other host. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var state = { drawn: 0 };
  window.kgTimeline = state;

  var form = document.getElementById("timeline-form");
  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  }

  var holder = document.getElementById("timeline-chart");
  var source = document.getElementById("timeline-data");
  if (!holder || !source) return;
  var data = JSON.parse(source.textContent);
  if (!data.series.length || !data.years.length) return;

  function node(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  var years = data.years;
  var max = 1;
  data.series.forEach(function (s) { s.counts.forEach(function (n) { if (n > max) max = n; }); });
  var width = Math.max(holder.clientWidth || 0, 480), height = 320;
  var pad = { left: 44, right: 16, top: 14, bottom: 34 };
  var plotW = width - pad.left - pad.right, plotH = height - pad.top - pad.bottom;
  function x(i) { return pad.left + (years.length === 1 ? plotW / 2 : (i * plotW) / (years.length - 1)); }
  function y(n) { return pad.top + plotH - (n * plotH) / max; }

  var svg = node("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img" });
  svg.appendChild(node("title", {}, "jurisdictions reporting each mechanism, per year"));
  var step = Math.max(1, Math.ceil(max / 6));
  for (var v = 0; v <= max; v += step) {  // horizontal grid and the y axis labels
    svg.appendChild(node("line", { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), stroke: "#e5e8eb" }));
    svg.appendChild(node("text", { x: pad.left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#5f6b76" }, v));
  }
  years.forEach(function (year, i) {
    svg.appendChild(node("text", { x: x(i), y: height - pad.bottom + 18, "text-anchor": "middle", "font-size": 11, fill: "#5f6b76" }, year));
  });
  svg.appendChild(node("line", { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), stroke: "#8d8d8d" }));

  data.series.forEach(function (s) {
    var group = node("g", { "class": "series", "data-concept": s.concept });
    var d = s.counts.map(function (n, i) { return (i ? "L" : "M") + x(i).toFixed(1) + "," + y(n).toFixed(1); }).join(" ");
    if (years.length > 1) {
      group.appendChild(node("path", { d: d, fill: "none", stroke: s.color, "stroke-width": 2 }));
    }
    s.counts.forEach(function (n, i) {
      var dot = node("circle", { cx: x(i), cy: y(n), r: 3.5, fill: s.color });
      dot.appendChild(node("title", {}, s.label + " · " + years[i] + ": " + n));
      group.appendChild(dot);
    });
    var link = node("a", { href: s.url });
    link.appendChild(group);
    svg.appendChild(link);
    state.drawn += 1;
  });
  holder.appendChild(svg);
})();
