"""XML names and how a designer reads an element: `用户任务“填写”（fill）`.

Ids are XML NCNames (xsd:ID: Unicode letters, digits, `_`, `-`, `.`, not starting with a digit, `-` or `.`). They
are keys in the database and in SpiffWorkflow, never parts of a file-system path.
"""

import re

from lxml import etree

_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
          "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_REST = _START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
NCNAME = re.compile(f"[{_START}][{_REST}]*")

KINDS = {
    "process": "流程", "collaboration": "协作图", "participant": "参与者", "laneSet": "泳道集", "lane": "泳道",
    "task": "任务", "userTask": "用户任务", "manualTask": "人工任务", "scriptTask": "脚本任务",
    "serviceTask": "服务任务", "businessRuleTask": "业务规则任务", "sendTask": "发送任务", "receiveTask": "接收任务",
    "callActivity": "调用活动", "subProcess": "子流程", "transaction": "事务子流程", "adHocSubProcess": "自由子流程",
    "startEvent": "开始事件", "endEvent": "结束事件", "intermediateCatchEvent": "中间捕获事件",
    "intermediateThrowEvent": "中间抛出事件", "boundaryEvent": "边界事件", "exclusiveGateway": "排他网关",
    "parallelGateway": "并行网关", "inclusiveGateway": "包容网关", "eventBasedGateway": "事件网关",
    "complexGateway": "复杂网关", "sequenceFlow": "顺序流", "messageFlow": "消息流", "dataObject": "数据对象",
    "dataObjectReference": "数据对象引用", "dataStore": "数据存储", "dataStoreReference": "数据存储引用",
    "dataInputAssociation": "数据输入关联", "dataOutputAssociation": "数据输出关联", "message": "消息",
    "signal": "信号", "error": "错误", "escalation": "升级", "timerEventDefinition": "定时器",
    "multiInstanceLoopCharacteristics": "多实例设置", "standardLoopCharacteristics": "循环设置",
    "textAnnotation": "注释", "association": "关联", "group": "分组", "definitions": "定义文件",
    "decision": "决策", "decisionTable": "决策表", "rule": "规则", "inputEntry": "输入条目",
    "outputEntry": "输出条目", "input": "输入列", "output": "输出列",
}


def is_ncname(text):
    return isinstance(text, str) and NCNAME.fullmatch(text) is not None


def local_name(node):
    return etree.QName(node).localname


def owner(node):
    """The nearest element, from `node` up, that has an id (the one a designer can find in the modeller)."""
    while node is not None and node.get("id") is None:
        node = node.getparent()
    return node


def owner_id(node):
    found = owner(node)
    return None if found is None else found.get("id")


def describe(node):
    """`用户任务“填写”（fill）` for an element, or the nearest element with an id above it."""
    found = owner(node)
    if found is None:
        return KINDS.get(local_name(node), local_name(node)) if node is not None else "文件"
    kind = KINDS.get(local_name(found), local_name(found))
    name, element_id = (found.get("name") or "").strip(), found.get("id")
    return f"{kind}“{name}”（{element_id}）" if name else f"{kind}（{element_id}）"


def find_by_id(root, element_id):
    if root is None or not element_id:
        return None
    found = root.xpath("//*[@id=$id]", id=element_id)
    return found[0] if found else None
