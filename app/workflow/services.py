"""Host operations that service tasks call (DESIGN.md §5): a registry of typed, documented functions."""

from dataclasses import dataclass, field

from app.domain.notifications import notify
from app.domain.organisations import list_orgs


@dataclass(frozen=True)
class Param:
    label: str
    required: bool = True


@dataclass(frozen=True)
class Operation:
    name: str
    label: str
    params: dict
    fn: object


@dataclass
class CallContext:
    """What an operation may use: the session, the instance row, who caused the step, and the runtime."""

    session: object
    instance: object
    actor: object
    runtime: object = None

    @property
    def actor_name(self):
        return getattr(self.actor, "username", None) or "system"


@dataclass
class ServiceRegistry:
    operations: dict = field(default_factory=dict)

    def register(self, name, label, **params):
        def decorator(fn):
            self.operations[name] = Operation(name, label, params, fn)
            return fn
        return decorator

    def catalogue(self):
        """name -> {param: required?}, what deploy validation checks against."""
        return {op.name: {p: spec.required for p, spec in op.params.items()} for op in self.operations.values()}

    def describe(self):
        return [{"name": op.name, "label": op.label,
                 "params": [{"name": p, "label": s.label, "required": s.required} for p, s in op.params.items()]}
                for op in sorted(self.operations.values(), key=lambda o: o.name)]

    def call(self, context, name, params):
        op = self.operations[name]
        return op.fn(context, **params)


registry = ServiceRegistry()


@registry.register("orgs.departments", "列出市直部门（可按上级单位筛选）", parent=Param("上级单位代码", required=False))
def departments(ctx, parent=None):
    return [o.code for o in list_orgs(ctx.session, "department", parent)]


@registry.register("orgs.towns", "列出镇街", parent=Param("上级单位代码", required=False))
def towns(ctx, parent=None):
    return [o.code for o in list_orgs(ctx.session, "town", parent)]


@registry.register("notify", "发送站内通知给单位（可限定角色）",
                   org=Param("单位代码（或代码列表）"), text=Param("通知内容"), role=Param("角色", required=False),
                   link=Param("链接", required=False))
def send_notification(ctx, org, text, role=None, link=None):
    orgs = [org] if isinstance(org, str) else list(org or [])
    created = [notify(ctx.session, code, str(text), role=role, link=link,
                      instance_id=getattr(ctx.instance, "id", None)) for code in orgs]
    return {"sent": len(created)}

