// The console's diagram layout (global TianchangLayout): a diagram written without drawing information (BPMN DI) —
// hand-written, generated, or from a modeller that keeps none — is laid out by bpmn-auto-layout, so the console can
// still draw where an instance stands. Built by scripts/vendor.mjs into app/static/vendor/layout/layout.min.js.
import { layoutProcess } from "bpmn-auto-layout";

export { layoutProcess };
