"""YAML documents with the line of every value, read through libyaml's composer (fast at any size).

What the file holds is never quoted in a message (a secrets file's values are read here too): a problem
names its line, its path and what is wrong, and a tag only where it is one of YAML's own (`!!int`).
"""

from pathlib import Path

import yaml

from deployer.errors import Problem, SpecInvalid, SpecPath, display_path, dotted, read_source

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STANDARD = "tag:yaml.org,2002:"
_STR = f"{_STANDARD}str"
_PLAIN_COLLECTIONS = (f"{_STANDARD}map", f"{_STANDARD}seq")
_SCALARS = tuple(f"{_STANDARD}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "binary"))
# Values built through aliases, at most: far above any spec's sharing, far below an alias bomb's billions.
MAX_ALIASED_VALUES = 100_000
_RESOLVER = yaml.resolver.Resolver()
_YAML_TAGS = {tag for tag in yaml.constructor.SafeConstructor.yaml_constructors if tag}


def load_yaml(path: Path, text: str | None = None) -> tuple[object, "Lines"]:
    """The document's data, and the line of each spec path in it."""
    text = read_source(path) if text is None else text
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as err:  # a character YAML does not allow, e.g. a control character
        line = text.count("\n", 0, err.position) + 1
        raise SpecInvalid([Problem(display_path(path), line, "", f"invalid YAML: character U+{err.character:04X} "
                                   f"is not allowed ({err.reason})")]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(err, "problem", None) or str(err)
        raise SpecInvalid([Problem(display_path(path), line, "", f"invalid YAML: {reason}")]) from None
    if node is None:
        return {}, Lines(None)
    try:
        return _Builder(path).build(node, ()), Lines(node)
    except RecursionError:
        raise SpecInvalid([Problem(display_path(path), None, "", "the document is nested too deeply")]) from None


class Lines:
    """The 1-based line each spec path is written on (a mapping entry's: its key's), found in the
    document's nodes when a problem asks: reading records none."""

    def __init__(self, root: yaml.Node | None):
        self.root = root
        self._entries: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def get(self, at: SpecPath) -> int | None:
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in at:
            if isinstance(node, yaml.MappingNode) and (entry := self._mapping(node).get(str(part))):
                key_node, node = entry
                line = key_node.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return None
        return line

    def _mapping(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if id(node) not in self._entries:
            scalars = yaml.constructor.SafeConstructor()
            self._entries[id(node)] = {_key(scalars.construct_object(key) if key.tag != _STR else key.value): (key, value)
                                       for key, value in node.value}
        return self._entries[id(node)]


def _key(key: object) -> str:
    """A mapping key as the data holds it: YAML's true and 1 are the names `true` and `1`."""
    return str(key).lower() if isinstance(key, bool) else str(key)


class _Builder:
    def __init__(self, path: Path):
        self.path = path
        self.scalars = yaml.constructor.SafeConstructor()
        self.open: set[int] = set()  # the collections being built: an alias to one of them is a cycle
        self.built: set[int] = set()  # every node built once: building one again copies it for an alias
        self.aliased = 0  # values built as such copies
        self.alias_use: tuple[SpecPath, int | None] | None = None  # where the alias being copied is used

    def build(self, node: yaml.Node, at: SpecPath, line: int | None = None) -> object:
        """The value of `node` at spec path `at` (written on `line`, where that is not the node's own)."""
        if id(node) not in self.built:
            self.built.add(id(node))
            return self.value(node, at, line)
        if self.alias_use is None:  # an alias, used at `at`
            self.alias_use = (at, line)
            try:
                return self.value(node, at, line)
            finally:
                self.alias_use = None
        self.aliased += 1
        if self.aliased > MAX_ALIASED_VALUES:
            used_at, used_on = self.alias_use
            raise self.problem(node, used_at, used_on, f"YAML aliases expand to more than {MAX_ALIASED_VALUES} "
                               "values: write the values out, or share fewer")
        return self.value(node, at, line)

    def value(self, node: yaml.Node, at: SpecPath, line: int | None) -> object:
        if not isinstance(node, yaml.CollectionNode):
            return self.scalar(node, at)
        if id(node) in self.open:
            raise self.problem(node, at, line, "a YAML alias refers to its own anchor")
        if node.tag not in _PLAIN_COLLECTIONS:
            raise self.problem(node, at, None, f"invalid YAML: {_tag_name(node.tag)} is not supported here")
        self.open.add(id(node))
        result = self.collection(node, at)
        self.open.discard(id(node))
        return result

    def collection(self, node: yaml.CollectionNode, at: SpecPath) -> object:
        path, built = self.path, self.built
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if key_node.tag == _STR and type(key_node) is yaml.ScalarNode:  # a plain name: most keys
                    key = key_node.value
                else:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        raise SpecInvalid([Problem(display_path(path), key_node.start_mark.line + 1, dotted(at),
                                                   "YAML merge keys (<<) are not supported")])
                    key = self.scalar(key_node, at)
                    if not isinstance(key, (str, int, bool)) or isinstance(key_node, yaml.CollectionNode):
                        raise SpecInvalid([Problem(display_path(path), key_node.start_mark.line + 1, dotted(at),
                                                   "mapping keys must be plain names")])
                    key = _key(key)
                if key in result:
                    raise SpecInvalid([Problem(display_path(path), key_node.start_mark.line + 1,
                                               dotted((*at, key)), "duplicate key")])
                if value_node.tag == _STR and type(value_node) is yaml.ScalarNode and id(value_node) not in built:
                    built.add(id(value_node))  # a string met for the first time: most values
                    result[key] = value_node.value
                else:
                    result[key] = self.build(value_node, (*at, key), key_node.start_mark.line + 1)
            return result
        line = node.start_mark.line + 1
        return [self.build(item, (*at, i), line) for i, item in enumerate(node.value)]

    def scalar(self, node: yaml.Node, at: SpecPath) -> object:
        if not isinstance(node, yaml.ScalarNode):
            return None
        if node.tag == _STR:
            return node.value
        if node.tag not in _SCALARS:
            raise self.problem(node, at, None, f"invalid YAML: {_tag_name(node.tag)} is not supported here")
        try:
            return self.scalars.construct_object(node)
        except Exception:  # noqa: BLE001 - PyYAML's constructors raise what they meet (`!!timestamp ""`: AttributeError)
            # e.g. `!!int shop`, or `2024-13-45` that YAML reads as a date; the value itself is not quoted
            implicit = node.tag == _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False))
            raise self.problem(node, at, None, f"the value is not a valid {_tag_name(node.tag)}"
                               + (" (quote it if it is text)" if implicit else "")) from None

    def problem(self, node: yaml.Node, at: SpecPath, line: int | None, message: str) -> SpecInvalid:
        return SpecInvalid([Problem(display_path(self.path), line or node.start_mark.line + 1, dotted(at),
                                    message)])


def _tag_name(tag: str) -> str:
    """`!!int` for YAML's own tags; any other is never quoted (in a secrets file, it may be a value)."""
    return f"!!{tag.removeprefix(_STANDARD)}" if tag in _YAML_TAGS else "a custom tag (!…)"
