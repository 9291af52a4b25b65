"""Sphinx extension: the reference of supported Python and NumPy features, read from jitbridge's
typing registry when the docs are built, so that it lists what the installed jitbridge compiles
and cannot go stale.

`{jitbridge-features} SECTION` renders one table: `numpy`, `array`, `builtins`, `math`, `cmath`,
`heapq` (with `functools`), `operators`, `types` (attributes and methods of other types) or `jitbridge`. Every function,
operator and attribute a program can use has a typing template (lib/'s own, or one made by
`@overload`, `@overload_method`, `@intrinsic`...), so the templates and the global values typed
by them are the whole list.
"""
from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

#: how operators are written in Python source (display only: which exist comes from the registry)
SYMBOLS = {
    "add": "a + b", "sub": "a - b", "mul": "a * b", "truediv": "a / b", "floordiv": "a // b",
    "mod": "a % b", "pow": "a ** b", "matmul": "a @ b", "lshift": "a << b", "rshift": "a >> b",
    "and_": "a & b", "or_": "a | b", "xor": "a ^ b", "neg": "-a", "pos": "+a", "invert": "~a",
    "not_": "not a", "eq": "a == b", "ne": "a != b", "lt": "a < b", "le": "a <= b",
    "gt": "a > b", "ge": "a >= b", "is_": "a is b", "is_not": "a is not b",
    "contains": "b in a", "getitem": "a[i]", "setitem": "a[i] = v",
}
#: registry keys of compiler internals (IR markers, type classes): not something users write
INTERNAL = ("jitbridge.ir.", "jitbridge.types.", "jitbridge.lib.", "jitbridge.objmode.")


@dataclass(frozen=True)
class Row:
    name: str
    notes: str = ""
    #: the notes are code (an operator's syntax)
    code: bool = False


def _registry():
    """jitbridge's typing registry with every lazily loaded area of lib/ imported."""
    from jitbridge import providers
    from jitbridge.compiler import ensure_builtins
    from jitbridge.typing.registry import registry
    ensure_builtins()
    providers.load_all()
    return registry


def callable_keys(registry) -> dict:
    """Stable key -> the key of the template typing it, for every function or operator: the
    global values compiled code can name, and the keys templates are filed under."""
    from jitbridge.registry import stable_key
    found = {key: key for key in registry._functions}
    for key, entries in registry._globals.items():
        typing_key = getattr(entries[0][1], "typing_key", None)  # aliases: np.amax -> np.max
        found[key] = key if typing_key is None else stable_key(typing_key)
    return {k: v for k, v in found.items() if not k.startswith(INTERNAL)}


def display_name(key: str) -> str:
    """How a program spells the object registered as `key`: `np.sum`, `math.sqrt`, `len`."""
    module, _, name = key.rpartition(".")
    if module == "builtins":
        return name
    if module == "numpy" or module.startswith("numpy."):
        return "np" + key[len("numpy"):]
    if module.startswith("jitbridge."):
        import jitbridge
        return f"jitbridge.{name}" if hasattr(jitbridge, name) else key
    return key


def _alias_note(key: str, target: str) -> str:
    return "" if target == key else f"as {display_name(target)}"


def numpy_rows(keys: dict) -> list:
    import numpy as np
    rows = []
    for key, target in keys.items():
        if key.startswith("numpy."):
            value = getattr(np, key.split(".", 1)[1], None)
            kind = "ufunc" if isinstance(value, np.ufunc) else "function"
            rows.append(Row(display_name(key), ", ".join(filter(None, [kind, _alias_note(
                key, target)]))))
    return rows


def module_rows(keys: dict, module: str) -> list:
    return [Row(display_name(k), _alias_note(k, t)) for k, t in keys.items()
            if k.rpartition(".")[0] == module]


def operator_rows(keys: dict) -> list:
    rows = []
    for key in keys:
        module, _, name = key.rpartition(".")
        if module != "operator":
            continue
        rows.append(Row(f"operator.{name}", _syntax(name), code=True))
    return rows


def _syntax(name: str) -> str:
    """`a + b` for operator.add, `a += b` for operator.iadd."""
    if name in SYMBOLS:
        return SYMBOLS[name]
    base = SYMBOLS.get(name[1:]) or SYMBOLS.get(name[1:] + "_")  # iand: and_
    if not name.startswith("i") or base is None or base.count(" ") != 2:
        return name
    left, symbol, right = base.split(" ")
    return f"{left} {symbol}= {right}"


def attribute_rows(registry, type_keys) -> list:
    """(type, attribute or method) rows of the attribute templates of the given type keys."""
    rows = []
    for key in sorted(registry._attributes):
        if type_keys is not None and key not in type_keys:
            continue
        for *_, template in registry._attributes[key]:
            rows.extend(_template_attributes(key.rpartition(".")[2], template))
    return sorted(set(rows), key=lambda row: row.name.lower())


def _template_attributes(type_name: str, template) -> list:
    rows = []
    if "generic_resolve" in vars(template):  # attributes found by name: fields, members
        rows.append(Row(".<name>", f"{type_name} attribute ({_first_line(template)})"))
    for attr in dir(template):
        if attr.startswith("resolve_") and attr != "resolve_":
            method = "bound_function" in getattr(getattr(template, attr), "__qualname__", "")
            name = attr[len("resolve_"):]
            rows.append(Row(f".{name}()" if method else f".{name}",
                            f"{type_name} {'method' if method else 'attribute'}"))
    return rows


def _first_line(template) -> str:
    return (template.__doc__ or "by name").strip().splitlines()[0].rstrip(".")


ARRAY = "jitbridge.types.arrays.Array"


def section_rows(section: str) -> list:
    """The rows of one section of the reference, sorted by name."""
    registry = _registry()
    keys = callable_keys(registry)
    if section == "array":
        return attribute_rows(registry, {ARRAY})
    if section == "types":
        return [r for r in attribute_rows(registry, None) if not r.notes.startswith("Array ")]
    makers = {"numpy": numpy_rows, "operators": operator_rows,
              "builtins": lambda k: module_rows(k, "builtins"),
              "math": lambda k: module_rows(k, "math"),
              "cmath": lambda k: module_rows(k, "cmath"),
              "heapq": lambda k: module_rows(k, "heapq") + module_rows(k, "functools"),
              "jitbridge": lambda k: module_rows(k, "jitbridge.cfunc")}
    if section not in makers:
        raise ValueError(f"unknown feature section {section!r}; one of {sorted(makers)}")
    return sorted(makers[section](keys), key=lambda row: row.name)


HEADERS = {"operators": ("function", "syntax"), "array": ("array", "kind"),
           "types": ("member", "of")}


def build_table(headers: tuple, rows: list) -> nodes.table:
    table, group = nodes.table(), nodes.tgroup(cols=len(headers))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in headers)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    head += _row([nodes.Text(h) for h in headers])
    for row in rows:
        notes = nodes.literal(text=row.notes) if row.code else nodes.Text(row.notes)
        body += _row([nodes.literal(text=row.name), notes])
    return table


def _row(contents: list) -> nodes.row:
    row = nodes.row()
    for content in contents:
        row += nodes.entry("", nodes.paragraph("", "", content))
    return row


class FeaturesDirective(SphinxDirective):
    """`{jitbridge-features} SECTION`: a table generated from the registry."""
    required_arguments = 1

    def run(self):
        section = self.arguments[0]
        rows = section_rows(section)
        if not rows:  # an empty table would hide a broken registry walk
            raise self.error(f"no registered features in section {section!r}")
        headers = HEADERS.get(section, ("name", "notes"))
        return [build_table(headers, rows)]


def setup(app):
    app.add_directive("jitbridge-features", FeaturesDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
