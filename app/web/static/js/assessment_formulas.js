// 修改考核公式: the weights' totals follow what is typed; 预览 posts the form (with the month chosen) and draws, per
// group, each unit's rank and score under the version in force and under the formula being edited, moved rows marked.
// A refusal comes back field by field and is shown next to the fields, as the server's page does on saving.
(function () {
  "use strict";

  var form = document.getElementById("formula-form");
  if (!form) return;
  var page = JSON.parse(document.getElementById("formula-data").textContent);
  var button = document.getElementById("preview-button");
  var message = document.getElementById("preview-message");
  var result = document.getElementById("preview-result");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Totals of the weights, per group ------------------------------------------------------------------------------
  function total(group) {
    var sum = 0;
    form.querySelectorAll('input[name^="weights.' + group + '."]').forEach(function (input) {
      var value = parseFloat(input.value);
      if (isFinite(value)) sum += value;
    });
    return Math.round(sum * 10000) / 10000;
  }

  function showTotals() {
    Object.keys(page.groups).forEach(function (group) {
      var out = document.getElementById("sum-" + group);
      if (out) out.textContent = String(total(group));
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target.name && event.target.name.indexOf("weights.") === 0) showTotals();
  });
  showTotals();

  // Field errors ---------------------------------------------------------------------------------------------------
  function clearErrors() {
    form.querySelectorAll(".field-error[data-error-for]").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
  }

  function showErrors(errors) {
    Object.keys(errors || {}).forEach(function (name) {
      var input = document.getElementById(name === "period" ? "preview-period" : "f-" + name);
      var anchor = input;
      if (!input) {  // a group's or a part's error ("weights.town"): after its table
        var table = form.querySelector('table[data-group="' + name.split(".")[1] + '"]');
        anchor = table ? table.parentNode : button;
      } else {
        input.setAttribute("aria-invalid", "true");
      }
      (errors[name] || []).forEach(function (text) {
        var p = el("p", "field-error", text);
        p.dataset.errorFor = name;
        anchor.insertAdjacentElement("afterend", p);
      });
    });
  }

  function say(text, kind) {
    message.textContent = text || "";
    message.className = "notice" + (kind ? " " + kind : "");
    message.hidden = !text;
  }

  // The preview ----------------------------------------------------------------------------------------------------
  function rankText(rank) {
    return rank === null || rank === undefined ? "未排名" : String(rank);
  }

  function scoreText(score) {
    return score === null || score === undefined ? "无数据" : score;
  }

  function movement(row) {
    if (row.old_rank === row.new_rank) return null;
    if (row.old_rank === null) return { cls: "up", text: "新进入排名" };
    if (row.new_rank === null) return { cls: "down", text: "退出排名" };
    var by = row.old_rank - row.new_rank;
    return by > 0 ? { cls: "up", text: "↑ " + by } : { cls: "down", text: "↓ " + (-by) };
  }

  function unranked(row) {
    return row.old_rank === null && row.new_rank === null && row.old_score === null && row.new_score === null;
  }

  function pair(from, to) {
    return from === to ? from : from + " → " + to;
  }

  function groupTable(group, all) {
    var section = el("section", "af-preview-group");
    var rows = all.filter(function (r) { return !unranked(r); });
    var idle = all.filter(unranked);
    var moved = rows.filter(function (r) { return movement(r); }).length;
    section.appendChild(el("h3", null, page.groups[group] + (moved ? "：" + moved + " 个单位名次变化" : "：名次不变")));
    if (rows.length) {
      var scroll = el("div", "af-scroll");
      var table = el("table", "grid af-moves");
      table.dataset.group = group;
      var head = el("tr");
      [["单位", null], ["名次", "num"], ["变化", null], ["得分", "num"]].forEach(function (c) {
        var th = el("th", c[1], c[0]);
        th.scope = "col";
        head.appendChild(th);
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      rows.forEach(function (row) {
        var move = movement(row);
        var tr = el("tr", move ? "moved " + move.cls : null);
        var name = el("th", null, row.name);
        name.scope = "row";
        tr.appendChild(name);
        tr.appendChild(el("td", "num", pair(rankText(row.old_rank), rankText(row.new_rank))));
        var change = el("td", "af-move", move ? move.text : "不变");
        if (move) change.dataset.testid = "move";
        tr.appendChild(change);
        tr.appendChild(el("td", "num", pair(scoreText(row.old_score), scoreText(row.new_score))));
        body.appendChild(tr);
      });
      table.appendChild(body);
      scroll.appendChild(table);
      section.appendChild(scroll);
    }
    if (idle.length) {
      section.appendChild(el("p", "muted af-idle", (rows.length ? "其余" : "") + idle.length + " 个单位本月无数据，不参加排名："
        + idle.map(function (r) { return r.name; }).join("、")));
    }
    return section;
  }

  function draw(data) {
    result.replaceChildren();
    result.appendChild(el("p", "muted", data.period + "：名次、得分均为“按现行第 " + data.version + " 版公式 → 按本页所填公式”。"));
    Object.keys(page.groups).forEach(function (group) {
      result.appendChild(groupTable(group, data.groups[group] || []));
    });
    result.dataset.ready = "1";
  }

  button.addEventListener("click", function () {
    var csrf = document.querySelector('meta[name="csrf-token"]').content;
    button.disabled = true;
    clearErrors();
    say("正在计算……");
    result.removeAttribute("data-ready");
    fetch(form.dataset.previewUrl, {
      method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
      headers: { "X-CSRFToken": csrf, Accept: "application/json" }
    }).then(function (response) {
      if (response.status === 401) {
        window.location = "/login?next=" + encodeURIComponent(window.location.pathname);
        return null;
      }
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.ok) {
          say("");
          draw(json);
        } else {
          result.replaceChildren();
          showErrors(json.errors);
          say(Object.keys(json.errors || {}).length ? "公式有误：请按标红的提示修改后再预览。"
            : (json.message || "预览失败，请稍后重试"), "error");
        }
      });
    }).catch(function () {
      say("网络异常，预览失败，请稍后重试", "error");
    }).then(function () {
      button.disabled = false;
    });
  });
})();
