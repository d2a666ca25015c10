"""Reading YAML and JSON that users upload, within limits, so a hostile file fails with a message.

Every importer (question banks, answers, catalogues, cities) reads through `load_data`, and
those that read a file by its path through `read_data_file`:

* files above `MAX_BYTES` are refused before they are parsed, and so is anything that is not a
  regular file (a directory, a pipe, a device);
* YAML aliases are counted: beyond `MAX_ALIASES`, or when the document with its aliases
  expanded would hold more than `MAX_NODES` values, the file is refused, so an alias bomb
  ("billion laughs") can neither be expanded into memory nor walked for hours by a validator;
* nesting deeper than `MAX_DEPTH` is refused (in YAML while composing, in JSON after parsing),
  and the parsers' own `RecursionError` becomes the same message, never a traceback;
* a key given twice in one mapping is refused (YAML says on which lines, JSON where): the
  parsers would keep the last one silently. A YAML merge (`<<: *base`) is no duplicate: keys
  written beside it override the merged ones, as YAML defines;
* whole numbers of more than `MAX_INT_DIGITS` digits are refused before Python converts them
  (a 5,000-digit number raises in `int()`, a 400-digit one in `float()` and `math.isfinite`);
* text holding a NUL character or half a UTF-16 surrogate pair is refused: no database column
  can store it.

The real files are far inside these limits (the largest, the 2027 catalogue, is 0.2 MB, nests
8 deep and has no aliases).
"""

import json
import os
import stat
from pathlib import Path

import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 64
MAX_NODES = 200_000  # values in the document with every alias expanded
MAX_INT_DIGITS = 15  # more than any count or sum of money the files hold
MAX_MESSAGE = 300  # characters of one problem shown; a value quoted in full could be megabytes

_MERGE_TAG = "tag:yaml.org,2002:merge"


class DataTextError(ValueError):
    """A file that cannot be read as data; the message says why in one line."""


def one_line(text, *, limit: int = MAX_MESSAGE) -> str:
    """`text` on one line (any run of whitespace becomes a space), cut to `limit` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting aliases and nesting while it composes the document,
    refusing duplicate keys and overlong whole numbers while it constructs it."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0
        self._checked_mappings = set()

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

    def flatten_mapping(self, node):
        # Every change PyYAML makes to a mapping's pairs (merges put first) happens in here, so the
        # first call for a node sees the keys as written.
        if id(node) not in self._checked_mappings:
            self._checked_mappings.add(id(node))
            self._refuse_duplicate_keys(node)
        super().flatten_mapping(node)

    def _refuse_duplicate_keys(self, node):
        first_lines = {}
        for key_node, _value in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = first_lines.get(key)
            except TypeError:  # an unhashable key: PyYAML's own error says so
                continue
            if first is not None:
                raise DataTextError(
                    f"line {line}: duplicate key {one_line(repr(key), limit=60)} (first on line {first}): refused"
                )
            first_lines[key] = line

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        digits = text.replace("_", "").lstrip("+-")
        if len(digits) > MAX_INT_DIGITS + 2:  # room for 0x, 0b, 0o; checked exactly below
            raise _too_long(f"line {node.start_mark.line + 1}")
        value = super().construct_yaml_int(node)
        if abs(value) >= 10**MAX_INT_DIGITS:
            raise _too_long(f"line {node.start_mark.line + 1}")
        return value


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)


def _too_long(where: str) -> DataTextError:
    return DataTextError(f"{where}: a whole number of more than {MAX_INT_DIGITS} digits: refused")


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


def check_size(size: int, max_bytes: int | None = None) -> None:
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes  # read when called: tests lower it
    if size > max_bytes:
        raise DataTextError(f"the file is larger than {max_bytes / (1024 * 1024):g} MB: refused")


class _LongNumber:
    """What the JSON parser returns for a whole number of too many digits; refused by `_check_values`."""


class _JsonReader:
    """JSON parsing that marks, rather than loses, what `_check_values` then refuses with its place."""

    def __init__(self):
        self.duplicates = {}  # id(mapping) -> the key it was given twice

    def mapping(self, pairs):
        mapping = {}
        for key, value in pairs:
            if key in mapping and id(mapping) not in self.duplicates:
                self.duplicates[id(mapping)] = (key, mapping)  # the mapping kept, so its id stays its own
            mapping[key] = value
        return mapping

    @staticmethod
    def whole_number(digits: str):
        return _LongNumber() if len(digits.lstrip("-")) > MAX_INT_DIGITS else int(digits)

    def load(self, text: str):
        return json.loads(text, object_pairs_hook=self.mapping, parse_int=self.whole_number)


def load_data(text: str, *, json_format: bool, max_bytes: int | None = None):
    """Parse YAML (or JSON) text into plain data within the limits above (`max_bytes`: another size
    limit, for a request body that the server already let through).

    Raises DataTextError for a file beyond a limit, and lets yaml.YAMLError and
    json.JSONDecodeError through for the caller to word as "not valid YAML/JSON".
    """
    check_size(len(text.encode("utf-8", errors="surrogatepass")), max_bytes)
    try:
        if json_format:
            reader = _JsonReader()
            data = reader.load(text)
            _check_values(data, duplicates=reader.duplicates)
            return data
        loader = _BoundedLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        _check_values(data, duplicates={})
        return data
    except RecursionError:
        raise DataTextError(f"nested more than {MAX_DEPTH} levels deep: refused") from None


def _check_values(data, *, duplicates: dict) -> None:
    """Refuse, by their place, nesting beyond MAX_DEPTH, the duplicate keys and long numbers the JSON
    parser marked, and text no database can store; without recursion."""
    stack = [(data, 1, None)]
    while stack:
        value, depth, place = stack.pop()
        if depth > MAX_DEPTH:
            raise DataTextError(f"nested more than {MAX_DEPTH} levels deep: refused")
        if isinstance(value, dict):
            if id(value) in duplicates:
                key, _mapping = duplicates[id(value)]
                raise DataTextError(f"{_place_name(place)}: duplicate key {one_line(repr(key), limit=60)}: refused")
            for key, child in value.items():
                _check_text(key, (place, key))
                stack.append((child, depth + 1, (place, key)))
        elif isinstance(value, list):
            stack += [(child, depth + 1, (place, index)) for index, child in enumerate(value)]
        elif isinstance(value, _LongNumber):
            raise _too_long(_place_name(place))
        else:
            _check_text(value, place)


def _check_text(value, place) -> None:
    if not isinstance(value, str):
        return
    if "\x00" in value:
        raise DataTextError(f"{_place_name(place)}: text holding a NUL character: refused")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise DataTextError(f"{_place_name(place)}: text holding half a surrogate pair: refused") from None


def _place_name(place) -> str:
    """`(((None, 'dimensions'), 2), 'code')` as `dimensions[2].code`; the top as `(top)`."""
    parts = []
    while place is not None:
        place, key = place
        parts.append(f"[{key}]" if isinstance(key, int) and not isinstance(key, bool) else f".{key}")
    name = "".join(reversed(parts)).lstrip(".")
    return one_line(name, limit=120) if name else "(top)"


def parse_data(text: str, *, json_format: bool):
    """`load_data`, with the parsers' own errors worded as one line too ("not valid YAML: …")."""
    try:
        return load_data(text, json_format=json_format)
    except json.JSONDecodeError as error:
        raise DataTextError(f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = ", ".join(part for part in (error.context, error.problem) if part)
        raise DataTextError(f"not valid YAML: {where}{one_line(what)}") from None
    except yaml.YAMLError as error:
        raise DataTextError(f"not valid YAML: {one_line(error)}") from None


def read_data_file(path: str | Path, *, json_format: bool):
    """The data of a YAML (or JSON) file a user names, within the limits above.

    Every way it can fail (no such file, a directory, too large, not UTF-8, not valid YAML or
    JSON, beyond a limit) raises DataTextError with one line that does not repeat the path."""
    return parse_data(read_text_file(path), json_format=json_format)


def decode_text(data: bytes) -> str:
    """Uploaded bytes as UTF-8 text (a leading byte-order mark dropped, as editors on Windows write one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataTextError(f"not UTF-8 text (byte {error.start + 1} cannot be read)") from None


def check_file(path: str | Path) -> None:
    """Refuse what is not a regular file of at most MAX_BYTES, before anything reads it."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise DataTextError("no such file") from None
    except OSError as error:
        raise DataTextError(f"cannot be read: {one_line(error.strerror or error)}") from None
    if stat.S_ISDIR(status.st_mode):
        raise DataTextError("a directory, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise DataTextError("not a regular file")  # a pipe or a device could block or never end
    check_size(status.st_size)


def read_text_file(path: str | Path) -> str:
    """The UTF-8 text of a regular file of at most MAX_BYTES (a leading byte-order mark dropped)."""
    check_file(path)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise DataTextError(f"cannot be read: {one_line(error.strerror or error)}") from None
    check_size(len(data))  # the file grew since it was checked
    return decode_text(data)
