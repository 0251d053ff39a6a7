// The console's instance page: draws the diagram (bpmn-js NavigatedViewer) with each element's state, the path
// taken and a badge (who has it, when its timer is due, what it waits for); a click on an element opens its card.
// Every text shown comes from the page (made in Chinese on the server); this script only draws.
(function () {
  "use strict";

  // Each element's action form folds behind a button (the page works without this script: the forms stay open).
  document.querySelectorAll("form.inline-action[data-toggle]").forEach((form, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "toggle";
    button.textContent = form.dataset.toggle;
    form.id = form.id || "action-form-" + index;
    button.setAttribute("aria-controls", form.id);
    const open = form.dataset.open === "true";
    button.setAttribute("aria-expanded", String(open));
    form.hidden = !open;
    button.addEventListener("click", () => {
      form.hidden = !form.hidden;
      button.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) (form.querySelector("select, textarea, input[type=text]") || form).focus();
    });
    form.before(button);
  });

  // A refused form comes back with its input and the reason: show it where it is.
  const refused = document.querySelector("form [role=alert], #data [role=alert]");
  if (refused) refused.scrollIntoView({ block: "center" });

  const host = document.getElementById("diagram");
  const source = document.getElementById("diagram-data");
  const hint = document.getElementById("diagram-hint");
  if (!host || !source) return;
  if (typeof window.BpmnJS === "undefined") {
    hint.textContent = "流程图组件未能加载，请刷新页面。下方的环节列表仍可使用。";
    return;
  }
  const diagram = JSON.parse(source.textContent);
  const states = new Map(diagram.elements.map((element) => [element.id, element]));
  const viewer = new window.BpmnJS({ container: host });

  function select(id) {
    document.querySelectorAll(".element.selected").forEach((card) => card.classList.remove("selected"));
    const card = document.getElementById("el-" + id);
    if (!card) return false;
    card.classList.add("selected");
    card.scrollIntoView({ behavior: "smooth", block: "start" });
    return true;
  }

  // A diagram saved without drawing information is laid out first (bpmn-auto-layout, app/static/vendor/layout).
  const laidOut = diagram.layout && window.TianchangLayout
    ? window.TianchangLayout.layoutProcess(diagram.xml) : Promise.resolve(diagram.xml);

  laidOut.then((xml) => viewer.importXML(xml)).then(() => {
    const canvas = viewer.get("canvas");
    const overlays = viewer.get("overlays");
    const registry = viewer.get("elementRegistry");
    const fit = () => {
      if (!host.clientWidth || !host.clientHeight) return; // not laid out yet: zoom would divide by zero
      canvas.resized();
      canvas.zoom("fit-viewport", "auto");
      canvas.zoom(canvas.zoom() * 0.95, "auto"); // a margin, so the first and last elements are not cut at the edge
    };
    fit();
    let width = host.clientWidth; // refit when the page gets narrower or wider, not when a phone's bar slides away
    window.addEventListener("resize", () => {
      if (host.clientWidth !== width) {
        width = host.clientWidth;
        fit();
      }
    });
    for (const element of diagram.elements) {
      if (!registry.get(element.id)) continue;
      canvas.addMarker(element.id, "el-" + element.state);
      if (element.badge) {
        const badge = document.createElement("span");
        badge.className = "badge " + element.state;
        badge.textContent = element.badge;
        overlays.add(element.id, "state", { position: { top: -20, left: 0 }, html: badge }); // above: an event's label is below it
      }
    }
    // A flow was taken when the engine went from its source to its target (diagram.taken, from the task tree);
    // a parallel or inclusive join is reached from every branch that arrived, though the tree keeps one of them.
    const taken = new Set(diagram.taken.map(([from, to]) => from + "\u0000" + to));
    const joins = new Set(["bpmn:ParallelGateway", "bpmn:InclusiveGateway"]);
    for (const flow of registry.filter((element) => element.type === "bpmn:SequenceFlow")) {
      if (!flow.source || !flow.target) continue;
      const from = states.get(flow.source.id);
      const to = states.get(flow.target.id);
      const joined = joins.has(flow.target.type) && from && from.state === "completed" && to && to.state !== "cancelled";
      if (taken.has(flow.source.id + "\u0000" + flow.target.id) || joined) canvas.addMarker(flow.id, "flow-taken");
    }
    let selected = null;
    viewer.get("eventBus").on("element.click", (event) => {
      const id = event.element.id;
      if (!states.has(id)) return;
      if (selected) canvas.removeMarker(selected, "el-selected");
      canvas.addMarker(id, "el-selected");
      selected = id;
      if (select(id)) history.replaceState(null, "", "#el-" + id);
    });
    host.dataset.ready = "true";
  }).catch(() => {
    hint.textContent = "流程图无法显示（图文件有误）。下方的环节列表仍可使用。";
  });
})();
