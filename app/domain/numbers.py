"""Human-readable numbers (呼叫单 HJ20261201-0007, 督办 DB20261201-0002) that concurrent creators never share.

The next number is one more than the highest of the day; the row is inserted in a savepoint, and if a
concurrent creator took that number first (the unique index refuses it), the next one is tried.
"""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

ATTEMPTS = 20


def add_numbered(session, column, prefix, build, width=4):
    """Add the row `build(number)` under the first free `<prefix><n>` and flush it; returns the row."""
    for _ in range(ATTEMPTS):
        highest = session.scalar(select(func.max(column)).where(column.like(prefix + "%")))
        following = int(highest[len(prefix):]) + 1 if highest else 1
        row = build(f"{prefix}{following:0{width}d}")
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # a concurrent creator committed this number first: try the next one
        return row
    raise RuntimeError(f"no free number under {prefix} after {ATTEMPTS} attempts")
