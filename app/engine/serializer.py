"""Serialize workflows without their specs: specs are cached per deployed version and re-attached on load."""

import threading
import zlib
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SERIALIZER_VERSION = f"spiff-{VERSION}+speckey-1"


class SpecCache:
    """Parsed specs by key (deployed version + process id); shared by every run of that version."""

    def __init__(self):
        self._specs = {}

    def put(self, key, spec, subprocess_specs):
        self._specs[key] = (spec, subprocess_specs)

    def get(self, key):
        return self._specs[key]

    def __contains__(self, key):
        return key in self._specs


class ThreadSerializers(threading.local):
    """One serializer per thread: SpiffWorkflow's registry keeps an encoder flag while it writes."""

    def __init__(self, cache):
        self.serializer = make_serializer(cache)


def make_serializer(cache):
    """A serializer whose workflow converter stores a spec key instead of the spec itself."""

    class CachedSpecConverter(BpmnWorkflowConverter):
        def to_dict(self, workflow):
            dct = WorkflowConverter.to_dict(self, workflow)
            dct["spec_key"] = workflow.spec_key
            dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
            dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
            return dct

        def from_dict(self, dct):
            spec, subprocess_specs = cache.get(dct["spec_key"])
            workflow = self.target_class(spec, subprocess_specs, deserializing=True)
            workflow.spec_key = dct["spec_key"]
            workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
            workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
            self.set_default_attributes(workflow, dct)
            self.subprocesses_from_dict(dct["subprocesses"], workflow)
            workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
            return workflow

    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = CachedSpecConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


def dump_state(serializer, workflow):
    """Compressed JSON of the instance state (without the spec)."""
    return zlib.compress(serializer.serialize_json(workflow).encode(), 6)


def load_state(serializer, blob):
    return serializer.deserialize_json(zlib.decompress(blob))
