// Our bpmnlint plugin "tianchang": the platform's conventions (processes/README.md, docs/bpmn.md) as lint rules.
// Each rule factory takes its config from the lint config, which frontend/lint/index.js builds from the catalogue.
import { is } from "bpmn-js/lib/util/ModelUtil.js";

import { fill, OURS } from "./messages.js";

const isEmpty = (v) => v === undefined || v === null || String(v).trim() === "";

export function property(node, name) {
  const ext = node.extensionElements;
  for (const value of (ext && ext.values) || []) {
    if (!is(value, "spiffworkflow:Properties")) continue;
    const found = (value.properties || []).find((p) => p.name === name);
    if (found) return found.value;
  }
  return undefined;
}

const isHumanTask = (node) => is(node, "bpmn:UserTask") || is(node, "bpmn:ManualTask") || node.$type === "bpmn:Task";

/** The lanes holding a node: those referencing it or one of the sub-processes around it (their tasks take the
 * lanes of the process). */
export function lanesOf(node) {
  const chain = [];
  let process = node;
  while (process && !is(process, "bpmn:Process")) {
    chain.push(process);
    process = process.$parent;
  }
  if (!process) return [];
  const found = [];
  const visit = (laneSets) => {
    for (const set of laneSets || []) {
      for (const lane of set.lanes || []) {
        if ((lane.flowNodeRef || []).some((ref) => chain.includes(ref))) found.push(lane);
        if (lane.childLaneSet) visit([lane.childLaneSet]);
      }
    }
  };
  visit(process.laneSets);
  return found;
}

/**
 * (a) user-task-role: a user task names a role (property `role`), unless one of its lanes is named by a role
 * (a role's code or Chinese name), which then assigns it.
 */
export function userTaskRole(config) {
  const roleNames = new Set(((config && config.roleNames) || []).map((n) => String(n).trim()));
  return {
    check(node, reporter) {
      if (!is(node, "bpmn:UserTask") || !isEmpty(property(node, "role"))) return;
      if (lanesOf(node).some((lane) => roleNames.has(String(lane.name || "").trim()) || roleNames.has(lane.id))) return;
      reporter.report(node.id, OURS["user-task-role"], ["extensionElements"]);
    },
  };
}

/** (a) user-task-due: a user task has a time limit (property `due`). */
export function userTaskDue() {
  return {
    check(node, reporter) {
      if (is(node, "bpmn:UserTask") && isEmpty(property(node, "due"))) {
        reporter.report(node.id, OURS["user-task-due"], ["extensionElements"]);
      }
    },
  };
}

const REJECTION = /驳回|退回|不同意|不予/;
const REASON_KEY = /reason|comment|opinion/i;

// steps that run by themselves: a decision made before them is still the one a rejection carries out
const AUTOMATIC = ["bpmn:Gateway", "bpmn:ServiceTask", "bpmn:ScriptTask", "bpmn:BusinessRuleTask", "bpmn:SendTask",
  "bpmn:IntermediateThrowEvent"];
const isAutomatic = (node) => AUTOMATIC.some((t) => is(node, t));

/** The nearest nodes that are not automatic, from `start` on, in one direction, through automatic ones. */
function throughAutomatic(start, direction) {
  const [flows, end] = direction === "up" ? ["incoming", "sourceRef"] : ["outgoing", "targetRef"];
  const found = [];
  const seen = new Set();
  const stack = [start];
  while (stack.length) {
    const node = stack.pop();
    if (!node || seen.has(node)) continue;
    seen.add(node);
    if (isAutomatic(node)) (node[flows] || []).forEach((flow) => stack.push(flow[end]));
    else found.push(node);
  }
  return found;
}

/**
 * (b) rejection-reason. A sequence flow whose name contains 驳回, 退回, 不同意 or 不予 is a rejection. Somebody must
 * write down why: one of the human tasks (user, manual or plain tasks) that decided it or that the rejection leads
 * to has a form with a field whose key contains `reason`, `comment` or `opinion` (case-insensitive). The deciders
 * are the nearest human tasks upstream of the flow, reached backwards through gateways and automatic steps
 * (service, script, business-rule and send tasks, throw events); the handlers the nearest ones downstream, reached
 * forwards the same way. A call activity or sub-process reached so is trusted: the decision was made, or the reason
 * is asked, inside it, where this rule applies again. Any other node (a start, an event that waits) stops the walk
 * and asks for nothing. A human task without `form` gets the generic form,
 * whose `comment` (办理意见) counts. A form the catalogue does not know, or knows without its keys, is not judged
 * (deploy validation reports an unknown form). Reported on the flow, as a warning.
 */
export function rejectionReason(config) {
  const forms = (config && config.forms) || {};
  const asksReason = (node) => {
    if (is(node, "bpmn:CallActivity") || is(node, "bpmn:SubProcess")) return true;
    if (!isHumanTask(node)) return false;
    const form = property(node, "form");
    if (isEmpty(form)) return true;
    const keys = Object.prototype.hasOwnProperty.call(forms, form) ? forms[form] : null;
    if (!Array.isArray(keys)) return true;
    return keys.some((k) => REASON_KEY.test(String(k)));
  };
  return {
    check(node, reporter) {
      if (!is(node, "bpmn:SequenceFlow") || !REJECTION.test(node.name || "")) return;
      const around = [...throughAutomatic(node.sourceRef, "up"), ...throughAutomatic(node.targetRef, "down")];
      if (around.some(asksReason)) return;
      reporter.report(node.id, fill(OURS["rejection-reason"], { name: node.name.trim() }), ["name"]);
    },
  };
}

const IN_DAYS = /^P(?:\d+[YMW])*\d+D(?:T.*)?$/;

/** (c) due-working-days: a time limit in days (P…D) without calendar=working: 建议按工作日计算. */
export function dueWorkingDays() {
  return {
    check(node, reporter) {
      if (!isHumanTask(node)) return;
      const due = String(property(node, "due") || "").trim();
      if (IN_DAYS.test(due) && property(node, "calendar") !== "working") {
        reporter.report(node.id, fill(OURS["due-working-days"], { due }), ["extensionElements"]);
      }
    },
  };
}

/** (d) gateway-branch-names: every outgoing flow of a splitting exclusive or inclusive gateway has a name. */
export function gatewayBranchNames() {
  return {
    check(node, reporter) {
      if (!is(node, "bpmn:ExclusiveGateway") && !is(node, "bpmn:InclusiveGateway")) return;
      const outgoing = node.outgoing || [];
      if (outgoing.length < 2) return;
      for (const flow of outgoing) {
        if (isEmpty(flow.name)) {
          reporter.report(flow.id, fill(OURS["gateway-branch-names"], { gateway: (node.name || node.id).trim() }), ["name"]);
        }
      }
    },
  };
}

export const RULES = {
  "user-task-role": userTaskRole,
  "user-task-due": userTaskDue,
  "rejection-reason": rejectionReason,
  "due-working-days": dueWorkingDays,
  "gateway-branch-names": gatewayBranchNames,
};
