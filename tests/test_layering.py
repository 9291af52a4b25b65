"""The dependency direction of shared/DESIGN.md: no module imports from a layer above it, and
function-local imports appear only where allowed."""
import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "jitbridge"

#: module prefix -> layer (longest prefix wins)
LAYERS = {
    "errors": 0, "config": 0, "utils": 0,
    "types": 1,
    "ir": 2,
    "frontend": 3,
    "typing": 4,
    "core.datamodel": 5, "core.cgutils": 5, "core.layout": 5, "core.callconv": 5, "codegen": 5,
    "runtime": 6, "core.pythonapi": 6,
    "passes": 7, "lowering": 7, "core.base": 7, "core": 7,
    "compiler": 8,
    "dispatch": 9, "caching": 9,
    "extending": 10, "decorators": 10,
    "lib": 11, "objmode": 11, "cfunc": 11, "passthru": 11,
    "__main__": 12, "": 12,
}
LOCAL_IMPORT_ALLOWED = {("compiler", "_load_builtins")}


def _module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


def _layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".") or p == ""),
               key=len)
    return LAYERS[best]


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


def test_no_upward_imports():
    upward = [f"{src} (L{_layer(src)}) imports {dst} (L{_layer(dst)})"
              for src, dst, _ in _imports() if _layer(dst) > _layer(src)]
    assert not upward, "\n".join(upward)


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
