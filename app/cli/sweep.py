"""The worker edge: the timer sweep, each due instance fired and committed in a transaction of its own."""

import logging
from dataclasses import dataclass

from app.db import utcnow
from app.workflow.timers import claim_due_instance, fire_instance_timers, write_due_checkpoint

log = logging.getLogger(__name__)
MAX_FIRES_PER_SWEEP = 10_000  # a sweep always ends, even if an instance kept its timer due after firing


@dataclass
class TickResult:
    fired: int = 0
    failed: int = 0
    lost: int = 0  # claimed, but another worker had fired it first (on PostgreSQL SKIP LOCKED keeps this 0)
    checkpoint: bool = False


def tick(session_factory, runtime, checkpoint_interval=3600.0):
    """One sweep: claim and fire due instances one transaction each, then write an audit checkpoint when due."""
    result, now, failed, passed = TickResult(), utcnow(), [], []
    while result.fired + len(failed) + len(passed) < MAX_FIRES_PER_SWEEP:
        with session_factory() as session:
            instance_id = claim_due_instance(session, now, skip=failed + passed)
            if instance_id is None:
                break
            try:
                fired = fire_instance_timers(session, runtime, instance_id, now)
                session.commit()
            except Exception:  # one bad instance must not stop the sweep
                session.rollback()
                failed.append(instance_id)
                log.exception("timer sweep failed for instance %s", instance_id)
                continue
            if fired:
                result.fired += 1
            else:
                passed.append(instance_id)  # no longer due once locked: another worker fired it first
    result.failed, result.lost = len(failed), len(passed)
    with session_factory() as session:
        result.checkpoint = write_due_checkpoint(session, now, checkpoint_interval)
        session.commit()
    return result
