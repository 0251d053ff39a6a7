"""Small helpers that turn domain rows into what templates show (Chinese labels, deadline colours, Markdown)."""

import html
from datetime import timedelta

import markdown as markdown_lib

from app.db import utcnow

ACTIONS = {
    "instance.start": "发起", "task.complete": "完成任务", "task.claim": "签收", "task.unclaim": "退回待办",
    "task.delegate": "转交", "timer.fire": "定时器到期", "message.receive": "收到消息", "instance.error": "出错",
    "instance.retry": "重试", "instance.suspend": "挂起", "instance.resume": "恢复", "instance.terminate": "终止",
    "instance.complete": "办结",
}


def deadline_class(due, now=None):
    """green / yellow (due within a day) / red (overdue) for a deadline, '' when there is none."""
    if due is None:
        return ""
    now = now or utcnow()
    if due < now:
        return "red"
    return "yellow" if due - now < timedelta(hours=24) else "green"


def markdown(text):
    """Designer instructions as HTML: their HTML is escaped first, then Markdown applies."""
    return markdown_lib.markdown(html.escape(text or ""), extensions=["nl2br"])


def action_label(action):
    return ACTIONS.get(action, action)
