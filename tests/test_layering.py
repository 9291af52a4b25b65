"""The layers of docs/architecture.md: each module group imports only the groups its row of the
table allows, unknown groups are errors, and function-local imports appear only where allowed."""
import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "jitbridge"

_CORE_CODEGEN = {"core.cgutils", "core.callconv", "core.layout", "core.datamodel"}
_BELOW_LOWERING = {"errors", "config", "utils", "types", "ir", "typing", "codegen", "registry",
                   "process_locals",
                   "core.pythonapi", "runtime", "core.base", *_CORE_CODEGEN}

#: module group -> the groups its module-level imports may name (docs/architecture.md, Layers).
#: A group missing here is an error: a new module must be placed deliberately.
ALLOWED = {
    "errors": set(), "config": set(), "utils": set(), "core.cgutils": set(), "providers": {"utils"},
    "aliases": set(),
    "registry": {"config", "errors", "types", "providers"},
    "core.layout": set(), "core.typeconv": {"typing"},
    "types": {"errors", "utils"},
    "ir": {"errors", "utils"},
    "frontend": {"errors", "ir", "utils"},
    "typing": {"errors", "ir", "types", "utils", "registry", "providers"},
    "passes": {"errors", "ir", "types", "typing", "utils"},
    "core.datamodel": {"errors", "types", "registry"},
    "funcpickle": {"utils"},
    "core.callconv": {"core.cgutils", "errors", "funcpickle"},
    "core.imputils": {"lowering"},
    "irchecks": {"errors"},
    "process_locals": {"utils"},
    "codegen": {"config", "errors", "irchecks", "process_locals", "utils"},
    "core.pythonapi": {"core.cgutils", "core.layout", "errors"},
    "runtime": {"codegen", "config", "errors", "types", "utils", "core.pythonapi", "registry",
                *_CORE_CODEGEN},
    # core.base is the lowering context: it reads the lowering registry
    "core.base": {"codegen", "errors", "lowering", "runtime", "types", "core.pythonapi",
                  *_CORE_CODEGEN},
    "lowering": _BELOW_LOWERING | {"passes"},
    "compiler": _BELOW_LOWERING | {"frontend", "lowering"},
    "caching": _BELOW_LOWERING | {"compiler", "frontend"},
    "pickling": {"frontend", "utils"},
    "options": {"config", "errors"},
    "pybinding": {"types", "runtime"},
    "argument_errors": {"errors", "typing"},
    # the dispatcher's introspection methods (a mixin): typed IR, annotate, diagnostics
    "introspection": {"frontend", "runtime", "ir", "annotate"},
    # literal dispatch (a mixin of the dispatcher): specialisations per argument value
    "literal_dispatch": {"errors", "types", "typing", "runtime"},
    # tiered compilation (a mixin of the dispatcher): tier-0 code promoted when hot
    "tiered_dispatch": {"compiler", "config", "runtime", "utils"},
    # converting calls (a mixin of the dispatcher): native wrappers for repeated conversions
    "conversion_dispatch": {"compiler", "lowering", "runtime"},
    "dispatch": _BELOW_LOWERING | {"compiler", "frontend", "caching", "pickling", "options",
                                   "introspection", "literal_dispatch", "tiered_dispatch",
                                   "conversion_dispatch",
                                   "pybinding", "annotate", "argument_errors"},
    "annotate": _BELOW_LOWERING | {"compiler", "frontend", "lowering"},
    "decorators": {"dispatch", "errors", "types", "config", "options"},
    # @jit(forceobj=True): dispatchers of kernels calling the function through objmode
    "forceobj": {"compiler", "dispatch", "errors", "frontend", "npyufunc", "objmode", "options",
                 "passthru", "pickling", "types"},
    "extending": _BELOW_LOWERING | {"compiler", "dispatch", "lowering", "pickling",
                                    "overload_signatures", "intrinsics"},
    "intrinsics": _BELOW_LOWERING | {"pickling"},
    "overload_signatures": {"errors", "ir", "core.datamodel"},
    # lib is provided lazily (providers.py); it never imports the bridges or the dispatcher,
    # but writes NumPy in Python with the public @overload (extending) as users do
    "lib": _BELOW_LOWERING | {"lowering", "extending"},
    "objmode_annotations": {"errors", "frontend", "types", "typing"},
    "objmode": _BELOW_LOWERING | {"frontend", "extending", "objmode_annotations"},
    "cfunc": _BELOW_LOWERING | {"caching", "compiler", "dispatch", "extending", "frontend",
                                "lowering", "pickling", "options"},
    "passthru": _BELOW_LOWERING | {"extending"},
    "progressbar": _BELOW_LOWERING | {"extending"},
    "typed": {"decorators", "errors", "extending", "types", "typing"},
    "ctypes_functions": {"cfunc", "errors", "extending", "types", "typing"},
    "cffi_support": {"ctypes_functions", "errors", "extending", "types", "typing"},
    "testing": {"runtime", "errors"},
    "np": {"compiler", "providers", "npyufunc"},
    # @vectorize/@guvectorize: kernels compiled by a dispatcher, native loops, NumPy's C API;
    # forceobj=True kernels call the Python function through the objmode bridge
    "npyufunc": _BELOW_LOWERING | {"compiler", "dispatch", "extending", "frontend", "lowering",
                                   "np", "objmode", "pickling"},
    # @jitclass: classes compiled into native types, their methods jitted functions
    "experimental": _BELOW_LOWERING | {"decorators", "dispatch", "extending", "frontend",
                                       "lowering"},
    # @stencil: kernels rewritten to absolute indexing, compiled by dispatchers
    "stencils": _BELOW_LOWERING | {"compiler", "decorators", "extending", "frontend", "lowering",
                                   "np"},
    "compat": {"aliases", "config"},
    "misc": {"frontend", "ir"},  # Numba's numba.misc.special: names defined below
    "explain": {"compat", "compiler", "decorators", "dispatch", "errors", "types", "typing"},
    "export": _BELOW_LOWERING | {"cfunc", "compiler"},
    "__init__": {"aliases", "cfunc", "compat", "ctypes_functions", "compiler", "config", "decorators", "errors",
                 "frontend", "ir", "objmode", "types", "typing", "extending", "passthru", "dispatch",
                 "runtime", "progressbar", "np", "npyufunc"},
    "__main__": {"__init__", "annotate", "cfunc", "compat", "dispatch", "explain", "export", "extending", "objmode",
                 "passthru", "runtime", "types", "errors", "config"},
}
LOCAL_IMPORT_ALLOWED = {
    ("ir.markers", "__new__"),  # NumPy, only when pndindex runs as Python (np.ndindex)
    ("experimental.jitclass.model", "store_member"),  # lib's `owned`, only when code lowers
    ("experimental.jitclass.model", "_visit_list_items"),  # lib's lists, likewise
    ("compiler", "_load_builtins"),
    ("decorators", "_make"),  # object mode (a layer above), only when forceobj=True asks
    ("compiler", "_as_generator"),  # generator lowering, only when a generator compiles
    ("introspection", "_annotate"),  # the annotated views, only when one is asked for
    ("introspection", "_typed_text"),  # the typed IR printer, only for inspect_types
    ("cfunc", "_layout_array"),  # NumPy, only when Python code makes a carray view
    ("objmode_annotations", "_numeric_output"),  # NumPy, only when an objmode output converts
    ("lib.arrays.reductions", "_load_blas"),  # SciPy's BLAS, only when a float dot compiles
    ("types.records", "_numpy"),
    ("lib.npfuncs.linalg", "_lapack"),
    ("lib.arrays.indexing", "_list_index_converter"),  # npfuncs' code generator (it loads
    # after the array core), only when a tuple index holds lists
    ("lib.arrays.ufuncs", "call_signature"),  # the dtype=/where= typing, which imports ufuncs  # SciPy's BLAS/LAPACK, only when linear algebra compiles  # NumPy, only when a record type meets a dtype
    ("cfunc", "cffi"),  # cffi, only when a cfunc's .cffi is read
    ("progressbar", "_open"),  # tqdm (optional), only when a progress bar is shown
    ("annotate.introspect", "display"),  # graphviz (optional), only when a CFG is rendered
}


def _module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


def _group(module: str) -> str:
    """`core.base` for core modules, the top-level package or module otherwise."""
    parts = module.split(".") if module else ["__init__"]
    return ".".join(parts[:2]) if parts[0] == "core" and len(parts) > 1 else parts[0]


def violations(edges) -> list:
    """The (importer, imported) module pairs the layer table does not allow."""
    found = []
    for src, dst in edges:
        source, target = _group(src), _group(dst)
        if source not in ALLOWED:
            found.append(f"{src}: module group {source!r} has no place in the layer table")
        elif source != target and target not in ALLOWED[source]:
            found.append(f"{src} imports {dst}: {source} may not import {target}")
    return found


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list:
    if node.level == 0:
        if not (node.module or "").startswith("jitbridge"):
            return []
        base = node.module[len("jitbridge"):].lstrip(".")
    else:
        parts = module.split(".") if module else []
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join(parts[:keep] + ([node.module] if node.module else []))
    targets = []
    for alias in node.names:  # `from ..core import cgutils` imports the module core.cgutils
        sub = f"{base}.{alias.name}".lstrip(".")
        path = PACKAGE.joinpath(*sub.split("."))
        is_module = path.with_suffix(".py").exists() or path.is_dir()
        targets.append(sub if is_module else base)
    return targets


def _module_level_nodes(tree):
    """Nodes outside function bodies (function-local imports are checked separately)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(ast.iter_child_nodes(node))


def _imports():
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text())
        for node in _module_level_nodes(tree):
            if isinstance(node, ast.ImportFrom):
                for target in _resolve(module, path.name == "__init__.py", node):
                    yield module, target, node
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("jitbridge."):
                        yield module, alias.name[len("jitbridge."):], node


def test_imports_follow_the_layer_table():
    found = violations((src, dst) for src, dst, _ in _imports())
    assert not found, "\n".join(found)


def test_the_table_rejects_the_known_bad_directions():
    """Probes: each of these must be reported (an unknown module is not most permissive)."""
    probes = [("typing.infer", "frontend.cfg"), ("core.datamodel.models", "typing.context"),
              ("newmodule", "dispatch"), ("frontend.scope", "typing.typeof"),
              ("types.misc", "core.cgutils"), ("ir.nodes", "types")]
    assert len(violations(probes)) == len(probes)


def test_frontend_and_typing_stay_independent():
    edges = {(src, dst) for src, dst, _ in _imports()}
    assert not any(s.startswith("frontend") and d.startswith("typing") for s, d in edges)
    assert not any(s.startswith("typing") and d.startswith("lowering") for s, d in edges)


def test_types_never_import_llvmlite():
    for path in (PACKAGE / "types").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not any(n.startswith("llvmlite") for n in names), path


def test_function_local_imports_only_where_allowed():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    key = (_module_name(path), func.name)
                    if key not in LOCAL_IMPORT_ALLOWED:
                        found.append(f"{path.name}:{node.lineno} in {func.name}()")
    assert not found, found


def test_lib_is_imported_only_by_compiler_loader():
    for src, dst, node in _imports():
        if dst == "lib" or dst.startswith("lib."):
            assert src.startswith("lib"), f"{src} imports {dst} at module level"


def _import_cycle(edges) -> list:
    """A cycle in the graph of module-level imports between modules, or []."""
    graph = {}
    for src, dst in edges:
        if src != dst:
            graph.setdefault(src, set()).add(dst)
    state, path = {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_modules_import_each_other_without_cycles():
    """Issue 11: lib no longer reaches back to cfunc/dispatch (the 8-module circle)."""
    cycle = _import_cycle((src, dst) for src, dst, _ in _imports())
    assert not cycle, " -> ".join(cycle)


def test_the_cycle_check_finds_the_old_circle():
    edges = [("lib.arrays.pointers", "cfunc"), ("cfunc", "compiler"), ("compiler", "lib"),
             ("lib", "lib.arrays"), ("lib.arrays", "lib.arrays.pointers")]
    assert _import_cycle(edges) == ["cfunc", "compiler", "lib", "lib.arrays",
                                    "lib.arrays.pointers", "cfunc"]
