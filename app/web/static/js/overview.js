// 概览: draws the month's charts from the page's JSON block; a bar or slice opens the calls (or cases) it counts.
// Under our CSP (style-src 'self') ECharts' HTML tooltip would write style attributes, so tooltips are drawn on
// the canvas (renderMode 'richText'); each chart follows its box's size (ResizeObserver).
(function () {
  "use strict";

  var COLORS = ["#1c5fa8", "#2e7d32", "#b26a00", "#c62828", "#6a4c93", "#5b6b7b"];
  var GRADE_COLORS = ["#1c5fa8", "#f9a825", "#c62828"];
  var charts = [];

  function draw(id, option, links) {
    var box = document.getElementById(id);
    if (!box || !window.echarts) return;
    var chart = window.echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(Object.assign({
      color: COLORS,
      animation: false,
      textStyle: { fontFamily: "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif" },
      tooltip: { renderMode: "richText", confine: true }
    }, option));
    chart.on("click", function (params) {
      var series = links[params.seriesIndex] || [];
      var href = series[params.dataIndex];
      if (href) window.location.assign(href);
    });
    box.dataset.ready = "1";
    new ResizeObserver(function () { chart.resize(); }).observe(box);
    charts.push(chart);
  }

  function bars(data, stacked, colorOf) {
    return data.series.map(function (s, index) {
      return {
        name: s.name, type: "bar", stack: stacked ? "all" : undefined, barMaxWidth: 28, cursor: "pointer",
        itemStyle: colorOf ? { color: colorOf(index, -1) } : undefined,
        data: s.counts.map(function (count, i) {
          return colorOf ? { value: count, itemStyle: { color: colorOf(index, i) } } : count;
        })
      };
    });
  }

  // A chart with nothing to draw says so (the words are the page's: data-empty).
  function emptyTitle(id, total) {
    var box = document.getElementById(id);
    return total || !box ? undefined : { text: box.dataset.empty, left: "center", top: "middle",
      textStyle: { fontSize: 14, fontWeight: "normal", color: "#5b6b7b" } };
  }

  function sum(counts) {
    return counts.reduce(function (a, b) { return a + b; }, 0);
  }

  function seriesTotal(data) {
    return sum(data.series.map(function (s) { return sum(s.counts); }));
  }

  function axes(labels, bottom) {
    return {
      grid: { left: 36, right: 12, top: 40, bottom: bottom },
      legend: { top: 0 },
      xAxis: { type: "category", data: labels, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", minInterval: 1 },
      tooltip: { renderMode: "richText", confine: true, trigger: "axis", axisPointer: { type: "shadow" } }
    };
  }

  function start() {
    var block = document.getElementById("overview-charts");
    if (!block) return;
    var data = JSON.parse(block.textContent);

    var days = data.days;
    draw("chart-days", Object.assign(axes(days.labels, 28), {
      title: emptyTitle("chart-days", seriesTotal(days)), series: bars(days, false)
    }), days.series.map(function (s) { return s.links; }));

    var rejections = data.rejections;
    var shown = rejections.counts.map(function (count, i) { return count > 0 ? i : -1; })
      .filter(function (i) { return i >= 0; });
    draw("chart-rejections", {
      legend: { bottom: 0 },
      title: emptyTitle("chart-rejections", sum(rejections.counts)),
      tooltip: { renderMode: "richText", confine: true, trigger: "item" },
      series: [{
        type: "pie", radius: ["30%", "62%"], center: ["50%", "42%"], cursor: "pointer", showEmptyCircle: false,
        label: { position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold" },
        data: shown.map(function (i) { return { name: rejections.labels[i], value: rejections.counts[i] }; })
      }]
    }, [shown.map(function (i) { return rejections.links[i]; })]);

    var cases = data.cases;
    draw("chart-cases", Object.assign(axes(cases.labels, 28), {
      title: emptyTitle("chart-cases", seriesTotal(cases)),
      series: bars(cases, true, function (series, i) {
        var color = i < 0 ? "#5b6b7b" : GRADE_COLORS[i];
        return series === 0 ? color : { image: stripes(color), repeat: "repeat" };
      })
    }), cases.series.map(function (s) { return s.links; }));
  }

  // 待核实 (the second status) is drawn striped in its grade's colour, 待整改 solid: the grade stays readable.
  function stripes(color) {
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, 8, 8);
    ctx.strokeStyle = color;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(0, 8); ctx.lineTo(8, 0);
    ctx.stroke();
    return canvas;
  }

  var picker = document.getElementById("month-picker");
  if (picker) {
    picker.querySelector("select").addEventListener("change", function () { picker.submit(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
