"""Host operations that service tasks call (DESIGN.md §5): a registry of typed, documented functions.

What an operation does and what its parameters mean, as designers read them, is in the catalogue
(`app.messages.OPERATIONS`); registering an operation the catalogue does not describe fails at once.
"""

from dataclasses import dataclass, field

from app.domain.actors import Actor, as_actor
from app.domain.notifications import notify
from app.domain.organisations import get_org, list_orgs
from app.messages import operation_text


@dataclass(frozen=True)
class Param:
    required: bool = True


OPTIONAL = Param(required=False)


@dataclass(frozen=True)
class Operation:
    name: str
    params: dict
    fn: object

    @property
    def label(self):
        return operation_text(self.name)


@dataclass
class CallContext:
    """What an operation may use: the session, the instance row, who caused the step, and the runtime.

    `actor` is the person whose action ran the step, or the process itself when none did (a timer, a message).
    """

    session: object
    instance: object
    actor: object
    runtime: object = None

    def __post_init__(self):
        self.actor = as_actor(self.actor) or Actor.process()


@dataclass
class ServiceRegistry:
    operations: dict = field(default_factory=dict)

    def register(self, name, **params):
        for param in (None, *params):
            operation_text(name, param)  # described in the catalogue, or a KeyError now rather than a blank later

        def decorator(fn):
            self.operations[name] = Operation(name, params, fn)
            return fn
        return decorator

    def catalogue(self):
        """name -> {param: required?}, what deploy validation checks against."""
        return {op.name: {p: spec.required for p, spec in op.params.items()} for op in self.operations.values()}

    def describe(self):
        return [{"name": op.name, "label": op.label,
                 "params": [{"name": p, "label": operation_text(op.name, p), "required": s.required}
                            for p, s in op.params.items()]}
                for op in sorted(self.operations.values(), key=lambda o: o.name)]

    def call(self, context, name, params):
        op = self.operations[name]
        return op.fn(context, **params)


registry = ServiceRegistry()


@registry.register("orgs.departments", parent=OPTIONAL)
def departments(ctx, parent=None):
    return [o.code for o in list_orgs(ctx.session, "department", parent, active=True)]  # no work for a closed one


@registry.register("orgs.towns", parent=OPTIONAL)
def towns(ctx, parent=None):
    return [o.code for o in list_orgs(ctx.session, "town", parent, active=True)]


@registry.register("orgs.parent", org=Param())
def parent_org(ctx, org):
    """The organisation above `org` (a village's town); None at the top."""
    parent = get_org(ctx.session, str(org)).parent
    return parent.code if parent else None


@registry.register("notify", org=Param(), text=Param(), role=OPTIONAL, link=OPTIONAL)
def send_notification(ctx, org, text, role=None, link=None):
    orgs = [org] if isinstance(org, str) else list(org or [])
    created = [notify(ctx.session, code, str(text), role=role, link=link,
                      instance_id=getattr(ctx.instance, "id", None)) for code in orgs]
    return {"sent": len(created)}
