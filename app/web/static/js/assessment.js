// 考核: a period picker goes by itself when a period is chosen; a card draws its 12 months of score and rank
// (ECharts, tooltips on the canvas under our CSP as in overview.js; the rank axis runs downwards, 1 on top).
(function () {
  "use strict";

  function pickers() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function trend() {
    var block = document.getElementById("trend-data");
    var box = document.getElementById("trend-chart");
    if (!block || !box || !window.echarts) return;
    var data = JSON.parse(block.textContent);
    var any = data.scores.some(function (s) { return s !== null; });
    var chart = window.echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      color: ["#1c5fa8", "#b26a00"],
      animation: false,
      textStyle: { fontFamily: "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif" },
      title: any ? undefined : { text: box.dataset.empty, left: "center", top: "middle",
        textStyle: { fontSize: 14, fontWeight: "normal", color: "#5b6b7b" } },
      tooltip: { renderMode: "richText", confine: true, trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 44, right: 44, top: 40, bottom: 56 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 45, fontSize: 11 } },
      yAxis: [
        { type: "value", name: data.names.score, min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max)); } },
        { type: "value", name: data.names.rank, inverse: true, min: 1, max: Math.max(2, data.most), minInterval: 1,
          splitLine: { show: false } }
      ],
      series: [
        { name: data.names.score, type: "line", data: data.scores, connectNulls: false, symbolSize: 8 },
        { name: data.names.rank, type: "line", yAxisIndex: 1, data: data.ranks, connectNulls: false, symbolSize: 8,
          lineStyle: { type: "dashed" } }
      ]
    });
    box.dataset.ready = "1";
    new ResizeObserver(function () { chart.resize(); }).observe(box);
  }

  function start() { pickers(); trend(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
