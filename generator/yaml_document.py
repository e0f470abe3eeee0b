"""One YAML document as the YAML layer gives it: its data and where each field is written.

Kept apart from both readers (:mod:`generator.yaml_nodes`, libyaml; :mod:`generator.yamlio`, the
native fast path) so that neither has to import the other: a document read by libyaml keeps its
node tree, one read by the native loader keeps positions read from its text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator import yaml_text

if TYPE_CHECKING:
    import yaml

# An alias stands for its anchor's whole node; a document may expand to this many nodes, or ten times
# its own size if that is larger, and no more ("billion laughs"), as go-yaml and OPA bound it.
MAX_EXPANDED_NODES = 200_000
ALIAS_EXPANSION_RATIO = 10


@dataclass
class Document:
    """One YAML document: its data and where each of its nodes came from."""

    data: Any
    path: str
    index: int
    node: yaml.Node | None
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (key, line, column)
    text: yaml_text.TextPositions | None = None  # load_fast: positions read from the lines instead of nodes
    parsed: Callable[[], list[Document]] | None = None  # load_fast: the file parsed by libyaml, where ``text`` is unsure

    @property
    def line(self) -> int:
        if self.node is None and self.text is not None:
            return self.position(())[0]
        return self.node.start_mark.line + 1 if self.node is not None else 1

    def position(self, field_path: tuple[str | int, ...] | list[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the deepest node that exists along ``field_path``.

        For a mapping key, the position of the key itself is returned, which is where a
        reader looks for it; if the path goes further than the document does, the closest
        existing ancestor is used.
        """
        node = self.node
        if node is None and self.text is not None:
            try:
                return self.text.position(field_path)
            except yaml_text.Unsure:
                assert self.parsed is not None
                return self.parsed()[self.index].position(field_path)
        if node is None:
            return (1, 1)
        from yaml import MappingNode, SequenceNode  # loaded already: the node is PyYAML's

        mark = node.start_mark
        for step in field_path:
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(step):
                        mark, node = key_node.start_mark, value_node
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                mark = node.start_mark
            else:
                break
        return (mark.line + 1, mark.column + 1)


class YAMLSyntaxError(ValueError):
    def __init__(self, path: str, line: int, column: int, problem: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {problem}")
        self.path, self.line, self.column, self.problem = path, line, column, problem
