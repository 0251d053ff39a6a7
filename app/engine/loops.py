"""Multi-instance loops hear their children complete only when told: SpiffWorkflow connects a loop to its child's
`completed_event` when the loop creates its first child in this process (or restores a spec from JSON). Our specs are
parsed once per version and cached, and a stored instance is loaded into them: a loop whose children were created
before a restart (or under the version an instance migrated from) would never finish. Every spec is connected when it
is registered, and a migration's target before the move."""

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask


def connect_loops(*specs):
    """Connect each multi-instance loop of these process specs to its child's completion (idempotent)."""
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, LoopTask):
                child = spec.task_specs[task_spec.task_spec]
                if not child.completed_event.is_connected(task_spec.merge_child):
                    child.completed_event.connect(task_spec.merge_child)
