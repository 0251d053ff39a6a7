"""Who causes a write: a person, the system (the CLI, the demo loader), or a process acting on its own.

Every operation takes an `Actor`, and the record (audit) names it. `as_actor` is the one place a caller's
value becomes one: edges that still hand over a signed-in `User` (the API, the workflow's task and instance
operations) or a bare name (older tests and scripts) are converted there, nowhere else.
"""

from dataclasses import dataclass, field

SYSTEM = "system"
DEMO = "demo"  # the demo loader's name in the record
# Names the record gives the platform and its tools: no person may be called so (people.create_user).
RESERVED_NAMES = frozenset({SYSTEM, DEMO})
KINDS = ("user", "system", "process")


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: int | None = None
    kind: str = "user"
    org: str | None = None  # the organisation it acts for, when it is a person's
    # The person behind it, for the access policy (`may_…(actor.user, …)`); None for the system or a process.
    user: object = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.kind not in KINDS or not self.name:
            raise ValueError(f"not an actor: {self.name!r} ({self.kind})")

    @classmethod
    def of(cls, user):
        """A signed-in person."""
        return cls(user.username, user.id, "user", user.org.code, user)

    @classmethod
    def system(cls, name=SYSTEM):
        """The platform itself, or a named tool of it (the demo loader, a migration)."""
        return cls(name, kind="system")

    @classmethod
    def process(cls):
        """A step no person caused (a timer, a message): the record names it as the system, as it always has."""
        return cls(SYSTEM, kind="process")

    @property
    def is_person(self):
        return self.user is not None


def as_actor(value):
    """An Actor from what a caller holds: an Actor, a `User` (anything with a username), a bare name, or None."""
    if value is None or isinstance(value, Actor):
        return value
    if isinstance(value, str):
        return Actor.system(value)
    return Actor.of(value)
