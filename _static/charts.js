// The report's charts. Each figure holds its Vega spec as JSON; this draws it with the site's own Vega
// (_vendor/vega.js, loaded once and only on a page that has a chart) and turns the figure's download
// links into files made from that same JSON: each inline table as CSV, the spec as JSON.
(function () {
  "use strict";
  var VEGA = "_vendor/vega.js";  // deepseek_shock.build.vega.VEGA_BUNDLE_PATH
  var loading = null;

  function vegaLoaded() {
    if (window.vega) { return Promise.resolve(window.vega); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = (document.documentElement.dataset.content_root || "") + VEGA;
        script.onload = function () { resolve(window.vega); };
        script.onerror = function () { reject(new Error("could not load " + script.src)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // One CSV cell: empty for a missing value, quoted when it holds a comma, a quote or a line break.
  function cell(value) {
    if (value === null || value === undefined) { return ""; }
    var text = typeof value === "object" ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // Rows as CSV with a header: columns in first-seen order, missing cells empty.
  function csvText(rows) {
    var columns = [];
    rows.forEach(function (row) {
      Object.keys(row).forEach(function (key) { if (columns.indexOf(key) < 0) { columns.push(key); } });
    });
    var lines = [columns.map(cell).join(",")];
    rows.forEach(function (row) {
      lines.push(columns.map(function (key) { return cell(row[key]); }).join(","));
    });
    return lines.join("\n") + "\n";
  }

  function fileUrl(text, type) {
    return URL.createObjectURL(new Blob([text], {type: type + ";charset=utf-8"}));
  }

  function offerDownloads(figure, spec) {
    var tables = {};
    (spec.data || []).forEach(function (data) { if (data.values) { tables[data.name] = data.values; } });
    figure.querySelectorAll("a[data-ds-table]").forEach(function (link) {
      link.href = fileUrl(csvText(tables[link.dataset.dsTable] || []), "text/csv");
    });
    figure.querySelectorAll("a[data-ds-spec]").forEach(function (link) {
      link.href = fileUrl(JSON.stringify(spec, null, 1) + "\n", "application/json");
    });
  }

  // The drawn SVG is labelled by the figure's caption (Vega labels its marks, not the chart); the view
  // is kept in window.dsCharts[name]. A failure is a console error.
  function draw(figure) {
    var name = figure.id.replace(/^fig-/, "");
    var spec = JSON.parse(figure.querySelector("script.ds-chart-spec").textContent);
    offerDownloads(figure, spec);
    vegaLoaded().then(function (vega) {
      var view = new vega.View(vega.parse(spec), {
        renderer: "svg", container: "#vis-" + name, hover: true
      });
      return view.runAsync().then(function () {
        var svg = document.querySelector("#vis-" + name + " svg");
        if (svg) {
          svg.setAttribute("role", "graphics-document");
          svg.setAttribute("aria-labelledby", "desc-" + name);
        }
        (window.dsCharts = window.dsCharts || {})[name] = view;
      });
    }).catch(function (error) { console.error("chart " + name + ": " + error); });
  }

  function drawAll() { document.querySelectorAll("figure.ds-chart").forEach(draw); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
