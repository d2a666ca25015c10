"""Reading YAML and JSON that users upload, within limits, so a hostile file fails with a message.

Every importer (question banks, answers, catalogues) reads through `load_data`:

* files above `MAX_BYTES` are refused before they are parsed;
* YAML aliases are counted: beyond `MAX_ALIASES`, or when the document with its aliases
  expanded would hold more than `MAX_NODES` values, the file is refused, so an alias bomb
  ("billion laughs") can neither be expanded into memory nor walked for hours by a validator;
* nesting deeper than `MAX_DEPTH` is refused (in YAML while composing, in JSON after parsing),
  and the parsers' own `RecursionError` becomes the same message, never a traceback.

The real files are far inside these limits (the largest, the 2027 catalogue, is 0.2 MB, nests
8 deep and has no aliases).
"""

import json

import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 64
MAX_NODES = 200_000  # values in the document with every alias expanded


class DataTextError(ValueError):
    """A file that cannot be read as data; the message says why in one line."""


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting aliases and nesting while it composes the document."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise DataTextError(f"more than {MAX_ALIASES} YAML aliases (&/*): refused")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise DataTextError(f"nested more than {MAX_DEPTH} levels deep: refused")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self):
        node = super().compose_document()
        if self._aliases and _expanded_size(node, {}) > MAX_NODES:
            raise DataTextError(
                f"with its aliases expanded, the file would hold more than {MAX_NODES:,} values: refused"
            )
        return node


def _expanded_size(node, sizes: dict) -> int:
    """How many values `node` stands for with aliases expanded (shared nodes counted once each)."""
    if id(node) in sizes:
        return sizes[id(node)]
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    if size > max_bytes:
        raise DataTextError(f"the file is larger than {max_bytes / (1024 * 1024):g} MB: refused")


def load_data(text: str, *, json_format: bool, max_bytes: int = MAX_BYTES):
    """Parse YAML (or JSON) text into plain data within the limits above (`max_bytes`: another size
    limit, for a request body that the server already let through).

    Raises DataTextError for a file beyond a limit, and lets yaml.YAMLError and
    json.JSONDecodeError through for the caller to word as "not valid YAML/JSON".
    """
    check_size(len(text.encode("utf-8")), max_bytes)
    try:
        if json_format:
            data = json.loads(text)
            _check_depth(data)
            return data
        loader = _BoundedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except RecursionError:
        raise DataTextError(f"nested more than {MAX_DEPTH} levels deep: refused") from None


def _check_depth(data) -> None:
    """Refuse nesting beyond MAX_DEPTH, without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DataTextError(f"nested more than {MAX_DEPTH} levels deep: refused")
        if isinstance(value, dict):
            stack += [(child, depth + 1) for child in value.values()]
        elif isinstance(value, list):
            stack += [(child, depth + 1) for child in value]
