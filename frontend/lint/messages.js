// The Chinese of every lint message: bpmnlint's recommended rules (their English reports, matched and translated)
// and our own rules (frontend/lint/rules.js). An English message no pattern knows becomes GENERIC, naming the rule.

const TYPES = {
  Process: "流程", "Sub process": "子流程", catch: "捕获", throw: "抛出",
  "bpmn:ComplexGateway": "复杂网关", "bpmn:InclusiveGateway": "包容网关",
};
const type = (t) => TYPES[t] || t;

/** [rule, pattern, Chinese (a string, or a function of the match)] */
export const RECOMMENDED = [
  ["ad-hoc-sub-process", /^A <Start Event> is not allowed in <Ad Hoc Sub Process>$/, "自由子流程中不能有开始事件"],
  ["ad-hoc-sub-process", /^An <End Event> is not allowed in <Ad Hoc Sub Process>$/, "自由子流程中不能有结束事件"],
  ["conditional-flows", /^Sequence flow is missing condition$/, "这条顺序流缺少条件：分出多条带条件的顺序流时，每条都要写条件，或设为默认流"],
  ["end-event-required", /^(.+) is missing end event$/, (m) => `${type(m[1])}缺少结束事件`],
  ["event-based-gateway", /^An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>$/, "事件网关至少要有两条出口顺序流"],
  ["event-based-gateway", /^A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional$/, "事件网关的出口顺序流不能带条件"],
  ["event-sub-process-typed-start-event", /^Start event is missing event definition$/, "事件子流程的开始事件必须有触发类型（消息、定时器、信号等）"],
  ["fake-join", /^Incoming flows do not join$/, "多条入口顺序流直接汇入任务（隐式合并）：请先用网关合并"],
  ["global", /^Element is missing name$/, "消息、信号、错误等全局定义缺少名称"],
  ["global", /^Element is unused$/, "这个全局定义（消息、信号、错误等）没有被任何元素使用"],
  ["global", /^Element name is not unique$/, "全局定义的名称与另一个重复"],
  ["label-required", /^Element is missing label\/name$/, "缺少名称"],
  ["link-event", /^Link event is missing link name$/, "链接事件缺少链接名称"],
  ["link-event", /^Duplicate link catch event with link name <(.*)> in scope$/, (m) => `同一范围内有多个名为“${m[1]}”的链接捕获事件`],
  ["link-event", /^Link (catch|throw) event with link name <(.*)> missing in scope$/, (m) => `同一范围内缺少名为“${m[2]}”的链接${type(m[1])}事件`],
  ["no-bpmndi", /^Element is missing bpmndi$/, "元素没有图形（缺少 BPMNDI 图形信息）"],
  ["no-complex-gateway", /^Element type <(.+)> is discouraged$/, (m) => `不建议使用${type(m[1])}：流程引擎不支持`],
  ["no-inclusive-gateway", /^Element type <(.+)> is discouraged$/, (m) => `不建议使用${type(m[1])}`],
  ["no-disconnected", /^Element is not connected$/, "元素没有与流程中的其他元素连接"],
  ["no-duplicate-sequence-flows", /^SequenceFlow is a duplicate$/, "这条顺序流与另一条重复（同一起点、终点和条件）"],
  ["no-duplicate-sequence-flows", /^Duplicate outgoing sequence flows$/, "有重复的出口顺序流"],
  ["no-duplicate-sequence-flows", /^Duplicate incoming sequence flows$/, "有重复的入口顺序流"],
  ["no-gateway-join-fork", /^Gateway forks and joins$/, "网关既合并又分叉：请拆成一个合并网关和一个分叉网关"],
  ["no-implicit-split", /^Flow splits implicitly$/, "从这里直接分出多条顺序流（隐式分叉）：请用网关分支"],
  ["no-implicit-end", /^Element is an implicit end$/, "元素没有出口顺序流（隐式结束）：请连到结束事件"],
  ["no-implicit-start", /^Element is an implicit start$/, "元素没有入口顺序流（隐式开始）：请从开始事件连过来"],
  ["no-overlapping-elements", /^Element overlaps with other element$/, "元素与其他元素重叠"],
  ["no-overlapping-elements", /^Element is outside of parent boundary$/, "元素超出了所在池、泳道或子流程的边界"],
  ["single-blank-start-event", /^(.+) has multiple blank start events$/, (m) => `${type(m[1])}有多个空白开始事件：只能有一个`],
  ["single-event-definition", /^Event has multiple event definitions$/, "事件有多个事件定义：流程引擎只支持一个"],
  ["start-event-required", /^(.+) is missing start event$/, (m) => `${type(m[1])}缺少开始事件`],
  ["sub-process-blank-start-event", /^Start event must be blank$/, "子流程的开始事件必须是空白开始事件（没有触发类型）"],
  ["superfluous-gateway", /^Gateway is superfluous\. It only has one source and target\.$/, "网关是多余的：它只有一个入口和一个出口"],
  ["superfluous-label", /^Sequence flow has superfluous label$/, "这条顺序流不是分支，也没有条件，不需要名称"],
  ["superfluous-termination", /^Termination is superfluous\.$/, "终止结束事件是多余的：这里没有其他分支需要终止，用普通结束事件即可"],
];

const GENERIC = (rule) => `不符合建模规则（${rule}）`;
export const RULE_ERROR = (rule) => `检查规则（${rule}）运行出错，结果不完整`;

/** The Chinese of a lint report's message. */
export function lintMessage(rule, message) {
  const text = String(message || "");
  if (/[\u4e00-\u9fff]/.test(text)) return text; // already Chinese (ours)
  for (const [name, pattern, zh] of RECOMMENDED) {
    if (name !== rule) continue;
    const m = pattern.exec(text);
    if (m) return typeof zh === "function" ? zh(m) : zh;
  }
  return GENERIC(rule);
}

/** Our rules' messages ({placeholders} filled by fill()). */
export const OURS = {
  "user-task-role": "用户任务没有办理角色（role）：请在“平台设置”中选择，或把它放进以角色命名的泳道",
  "user-task-due": "用户任务没有办理时限（due）：请在“平台设置”中设置",
  "rejection-reason": "驳回类分支“{name}”没有人写明理由：作出这个决定的用户任务，或这条分支通往的用户任务，其表单应有键名含 reason、comment 或 opinion 的字段（如“驳回理由”）",
  "due-working-days": "办理时限按天计（{due}），建议按工作日计算",
  "gateway-branch-names": "网关“{gateway}”的这条分支没有名称：请写明走这条分支的情形",
};

export function fill(template, values) {
  return template.replace(/{(\w+)}/g, (whole, key) => (values[key] !== undefined ? values[key] : whole));
}
