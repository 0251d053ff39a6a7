"""The size limits of what a designer deploys, taken from Config (the only place their values live)."""

from dataclasses import dataclass

from app.engine.parser import DiagramLimits


@dataclass(frozen=True)
class DefinitionLimits:
    max_flow_nodes: int
    max_diagram_bytes: int
    max_diagram_elements: int
    max_form_bytes: int
    max_form_text: int
    max_form_components: int

    @classmethod
    def from_config(cls, config):
        return cls(config.MAX_FLOW_NODES, config.MAX_DIAGRAM_BYTES, config.MAX_DIAGRAM_ELEMENTS,
                   config.MAX_FORM_BYTES, config.MAX_FORM_TEXT, config.MAX_FORM_COMPONENTS)

    def diagrams(self):
        return DiagramLimits(self.max_flow_nodes, self.max_diagram_bytes, self.max_diagram_elements)
