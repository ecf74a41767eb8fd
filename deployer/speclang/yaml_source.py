"""YAML documents with the line of every value, read through libyaml's composer (fast at any size)."""

from pathlib import Path

import yaml

from deployer.errors import Problem, SpecInvalid, SpecPath, display_path

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_PLAIN_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def load_yaml(path: Path, text: str | None = None) -> tuple[object, dict[SpecPath, int]]:
    """The document's data and a map from each spec path to its 1-based line."""
    text = path.read_text() if text is None else text
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(err, "problem", None) or str(err)
        raise SpecInvalid([Problem(display_path(path), line, "", f"invalid YAML: {reason}")]) from None
    lines: dict[SpecPath, int] = {}
    if node is None:
        return {}, lines
    try:
        return _Builder(path, lines).build(node, ()), lines
    except yaml.MarkedYAMLError as err:  # a value no plain constructor reads, e.g. an unknown `!tag`
        line = err.problem_mark.line + 1 if err.problem_mark else None
        raise SpecInvalid([Problem(display_path(path), line, "", f"invalid YAML: {err.problem}")]) from None
    except RecursionError:
        raise SpecInvalid([Problem(display_path(path), None, "", "the document is nested too deeply")]) from None


class _Builder:
    def __init__(self, path: Path, lines: dict[SpecPath, int]):
        self.path = path
        self.lines = lines
        self.scalars = yaml.constructor.SafeConstructor()
        self.open: set[int] = set()  # the collections being built: an alias to one of them is a cycle

    def build(self, node: yaml.Node, at: SpecPath, line: int | None = None) -> object:
        """The value of `node` at spec path `at` (written on `line`, where that is not the node's own)."""
        if not isinstance(node, yaml.CollectionNode):
            self.lines[at] = node.start_mark.line + 1
            return self.scalar(node)
        if id(node) in self.open:
            raise SpecInvalid([Problem(display_path(self.path), line or node.start_mark.line + 1, _dotted(at),
                                       "a YAML alias refers to its own anchor")])
        if node.tag not in _PLAIN_COLLECTIONS:
            raise SpecInvalid([Problem(display_path(self.path), node.start_mark.line + 1, _dotted(at),
                                       f"invalid YAML: unsupported tag {node.tag}")])
        self.open.add(id(node))
        result = self.collection(node, at)
        self.open.discard(id(node))
        return result

    def collection(self, node: yaml.CollectionNode, at: SpecPath) -> object:
        lines, path = self.lines, self.path
        lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise SpecInvalid([Problem(display_path(path), key_node.start_mark.line + 1,
                                               _dotted(at), "YAML merge keys (<<) are not supported")])
                key = self.scalar(key_node)
                if not isinstance(key, (str, int, bool)) or isinstance(key_node, yaml.CollectionNode):
                    raise SpecInvalid([Problem(display_path(path), key_node.start_mark.line + 1,
                                               _dotted(at), "mapping keys must be plain names")])
                key = str(key).lower() if isinstance(key, bool) else str(key)
                if key in result:
                    raise SpecInvalid([Problem(display_path(path), key_node.start_mark.line + 1,
                                               _dotted((*at, key)), "duplicate key")])
                key_line = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*at, key), key_line)
                lines[(*at, key)] = key_line
            return result
        return [self.build(item, (*at, i)) for i, item in enumerate(node.value)]

    def scalar(self, node: yaml.Node) -> object:
        if not isinstance(node, yaml.ScalarNode):
            return None
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        return self.scalars.construct_object(node)


def _dotted(at: SpecPath) -> str:
    return ".".join(str(p) for p in at)
