// The lint configuration of bpmn-js-bpmnlint: bpmnlint's `recommended` rules (their messages translated into
// Chinese) and our plugin `tianchang` (frontend/lint/rules.js), bundled with a static resolver.
import recommended from "bpmnlint/config/recommended.js";
import StaticResolver from "bpmnlint/lib/resolver/static-resolver.js";
import adHocSubProcess from "bpmnlint/rules/ad-hoc-sub-process.js";
import conditionalFlows from "bpmnlint/rules/conditional-flows.js";
import endEventRequired from "bpmnlint/rules/end-event-required.js";
import eventBasedGateway from "bpmnlint/rules/event-based-gateway.js";
import eventSubProcessTypedStartEvent from "bpmnlint/rules/event-sub-process-typed-start-event.js";
import fakeJoin from "bpmnlint/rules/fake-join.js";
import global from "bpmnlint/rules/global.js";
import labelRequired from "bpmnlint/rules/label-required.js";
import linkEvent from "bpmnlint/rules/link-event.js";
import noBpmndi from "bpmnlint/rules/no-bpmndi.js";
import noComplexGateway from "bpmnlint/rules/no-complex-gateway.js";
import noDisconnected from "bpmnlint/rules/no-disconnected.js";
import noDuplicateSequenceFlows from "bpmnlint/rules/no-duplicate-sequence-flows.js";
import noGatewayJoinFork from "bpmnlint/rules/no-gateway-join-fork.js";
import noImplicitEnd from "bpmnlint/rules/no-implicit-end.js";
import noImplicitSplit from "bpmnlint/rules/no-implicit-split.js";
import noImplicitStart from "bpmnlint/rules/no-implicit-start.js";
import noInclusiveGateway from "bpmnlint/rules/no-inclusive-gateway.js";
import noOverlappingElements from "bpmnlint/rules/no-overlapping-elements.js";
import singleBlankStartEvent from "bpmnlint/rules/single-blank-start-event.js";
import singleEventDefinition from "bpmnlint/rules/single-event-definition.js";
import startEventRequired from "bpmnlint/rules/start-event-required.js";
import subProcessBlankStartEvent from "bpmnlint/rules/sub-process-blank-start-event.js";
import superfluousGateway from "bpmnlint/rules/superfluous-gateway.js";
import superfluousLabel from "bpmnlint/rules/superfluous-label.js";
import superfluousTermination from "bpmnlint/rules/superfluous-termination.js";

import { lintMessage } from "./messages.js";
import { RULES } from "./rules.js";

const BPMNLINT_RULES = {
  "ad-hoc-sub-process": adHocSubProcess,
  "conditional-flows": conditionalFlows,
  "end-event-required": endEventRequired,
  "event-based-gateway": eventBasedGateway,
  "event-sub-process-typed-start-event": eventSubProcessTypedStartEvent,
  "fake-join": fakeJoin,
  global,
  "label-required": labelRequired,
  "link-event": linkEvent,
  "no-bpmndi": noBpmndi,
  "no-complex-gateway": noComplexGateway,
  "no-disconnected": noDisconnected,
  "no-duplicate-sequence-flows": noDuplicateSequenceFlows,
  "no-gateway-join-fork": noGatewayJoinFork,
  "no-implicit-end": noImplicitEnd,
  "no-implicit-split": noImplicitSplit,
  "no-implicit-start": noImplicitStart,
  "no-inclusive-gateway": noInclusiveGateway,
  "no-overlapping-elements": noOverlappingElements,
  "single-blank-start-event": singleBlankStartEvent,
  "single-event-definition": singleEventDefinition,
  "start-event-required": startEventRequired,
  "sub-process-blank-start-event": subProcessBlankStartEvent,
  "superfluous-gateway": superfluousGateway,
  "superfluous-label": superfluousLabel,
  "superfluous-termination": superfluousTermination,
};

export const PLUGIN = "tianchang";

/** Our rules' severities: `warn` shows as 提醒, `error` as 错误 (advice only: the server decides what deploys). */
export const OUR_SEVERITY = {
  "user-task-role": "warn",
  "user-task-due": "warn",
  "rejection-reason": "warn",
  "due-working-days": "warn",
  "gateway-branch-names": "error",
};

/** Recommended rules switched off: what the platform runs, bpmnlint need not discourage. */
export const OFF = {
  // the engine runs inclusive gateways (docs/bpmn.md, "inclusive gateway: runs")
  "no-inclusive-gateway": "off",
};

const cache = {
  "config:bpmnlint/recommended": recommended,
  [`config:bpmnlint-plugin-${PLUGIN}/recommended`]: { rules: OUR_SEVERITY },
};
for (const [name, rule] of Object.entries(BPMNLINT_RULES)) cache[`rule:bpmnlint/${name}`] = rule;
for (const [name, rule] of Object.entries(RULES)) cache[`rule:bpmnlint-plugin-${PLUGIN}/${name}`] = rule;

export const resolver = new StaticResolver(cache);

const reporters = new WeakMap();

function chineseReporter(reporter, rule) {
  let wrapped = reporters.get(reporter);
  if (!wrapped) {
    wrapped = { ...reporter, report: (id, message, path) => reporter.report(id, lintMessage(rule, message), path) };
    reporters.set(reporter, wrapped);
  }
  return wrapped;
}

/** bpmnlint's transformRule: reports in Chinese, and no link to the English rule documentation. */
export function transformRule(rule, { pkg, ruleName }) {
  const name = pkg === "bpmnlint" ? ruleName : `${pkg.replace(/^bpmnlint-plugin-/, "")}/${ruleName}`;
  const wrap = (fn) => (node, reporter) => fn(node, chineseReporter(reporter, name));
  const { check } = rule;
  let wrappedCheck;
  if (typeof check === "function") {
    wrappedCheck = wrap(check);
  } else {
    wrappedCheck = {};
    if (check && check.enter) wrappedCheck.enter = wrap(check.enter);
    if (check && check.leave) wrappedCheck.leave = wrap(check.leave);
  }
  return { ...rule, meta: undefined, check: wrappedCheck };
}

/** The rules' parameters from the catalogue: role names (lanes) and form keys. */
export function lintConfig(catalog) {
  const c = catalog || {};
  const roleNames = [];
  for (const r of c.roles || []) {
    if (r.code) roleNames.push(r.code);
    if (r.name) roleNames.push(r.name);
  }
  const forms = {};
  for (const f of c.forms || []) forms[f.id] = Array.isArray(f.keys) ? f.keys : null;
  return {
    extends: ["bpmnlint:recommended", `plugin:${PLUGIN}/recommended`],
    rules: {
      ...OFF,
      // without a working calendar on the server, "count working days" is not offered
      ...(c.working_calendar === false ? { [`${PLUGIN}/due-working-days`]: "off" } : {}),
      [`${PLUGIN}/user-task-role`]: [OUR_SEVERITY["user-task-role"], { roleNames }],
      [`${PLUGIN}/rejection-reason`]: [OUR_SEVERITY["rejection-reason"], { forms }],
    },
  };
}

/** What bpmn-js-bpmnlint takes as `linting.bpmnlint` (and Linting#setLinterConfig). */
export function linterConfig(catalog) {
  return { config: lintConfig(catalog), resolver, transformRule };
}
