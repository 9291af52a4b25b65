"""Issue 17, source: the text is captured at decoration and checked against the running code
object (an edited file never compiles other code silently), and functions without a file
compile through jitbridge.register_source / jitbridge.compile_source."""
import importlib
import inspect
import linecache
import subprocess
import sys
import types
import uuid

import pytest

import jitbridge
from jitbridge import njit
from jitbridge.errors import CompilerError, TypingError, UnsupportedError
from jitbridge.frontend import source

from . import source_check_cases as cases

MODULE = '''\
from jitbridge import njit


@njit
def decorated(x):
    return x + 10


def plain(x):
    return x * 2


@njit
def broken(x):
    return x + undefined_name
'''


@pytest.fixture
def edited_module(tmp_path, monkeypatch):
    """A module imported from tmp_path, then its file rewritten: 10 -> 1000, 2 -> 2.0."""
    name = f"source_capture_{uuid.uuid4().hex}"
    path = tmp_path / f"{name}.py"
    path.write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)  # removed again at teardown
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    path.write_text(MODULE.replace("x + 10", "x + 1000").replace("x * 2", "x * 2.0")
                    .replace("undefined_name", "undefined_other"))
    linecache.checkcache(str(path))
    return module


# -- capture at decoration ------------------------------------------------------------------------

def test_a_file_edited_after_import_compiles_the_decorated_text(edited_module):
    assert edited_module.decorated.py_func(1) == 11
    assert edited_module.decorated(1) == 11
    assert "1000" in "".join(linecache.getlines(edited_module.__file__))


def test_errors_show_the_captured_lines_not_the_edited_ones(edited_module):
    with pytest.raises(CompilerError) as info:
        edited_module.broken(1)
    assert "undefined_name" in str(info.value) and "undefined_other" not in str(info.value)


def test_a_function_jitted_after_the_edit_is_refused_clearly(edited_module):
    # captured now, the text is the edited one, while the code object is the imported one;
    # the only change is 2 -> 2.0, a constant equal to the old one: the check compares types
    with pytest.raises(UnsupportedError) as info:
        njit(edited_module.plain)(3)
    message = str(info.value)
    assert "the source of 'plain' in" in message and edited_module.__file__ in message
    assert "changed since the function was defined" in message
    assert "re-import" in message and "jitbridge.register_source" in message


def test_reloading_the_module_compiles_the_new_text(edited_module):
    module = importlib.reload(edited_module)
    assert module.decorated(1) == 1001
    assert njit(module.plain)(3) == 6.0


def test_a_code_object_replaced_after_decoration_compiles_the_current_text(edited_module):
    # what IPython's autoreload does: the function keeps its identity, gets the new code
    namespace = {}
    path = edited_module.__file__
    exec(compile(open(path).read(), path, "exec"), namespace)  # noqa: S102
    edited_module.decorated.py_func.__code__ = namespace["decorated"].py_func.__code__
    assert edited_module.decorated(1) == 1001


OVERLOADED = '''\
from jitbridge import njit
from jitbridge.extending import overload


def bump(x):
    return x


@overload(bump)
def _bump(x):
    def impl(x):
        return x + 10
    return impl


@njit
def use(x):
    return bump(x)
'''


def test_an_overload_implementation_edited_after_import_is_refused(tmp_path, monkeypatch):
    name = f"source_capture_ov_{uuid.uuid4().hex}"
    path = tmp_path / f"{name}.py"
    path.write_text(OVERLOADED)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    path.write_text(OVERLOADED.replace("x + 10", "x + 1000"))
    with pytest.raises(UnsupportedError, match=r"'_bump.<locals>.impl' in .* changed since"):
        module.use(1)


def test_capture_keeps_linecaches_list_without_parsing():
    def local(x):
        return x
    source.capture_source(local)
    lines = source.captured_lines(local)
    assert lines is linecache.getlines(__file__)
    assert source.captured_lines(lambda: 0) is None  # never decorated


# -- the check against the code object -----------------------------------------------------------

def test_the_check_accepts_methods_closures_decorators_and_future_annotations():
    assert cases.Shapes.area(2.0, 3.0) == 6.0
    assert cases.make_adder(4)(1) == 5 and cases.make_adder(-1)(1) == 0
    assert njit(cases.annotated)(2) == cases.annotated(2) == 9
    assert cases.uses_module(4.0) == 6.0
    assert cases.scaled(2) == 7


def test_a_functools_wraps_wrapper_compiles_its_own_body():
    assert cases.stacked.py_func(1) == 22
    assert cases.stacked(1) == 22


@njit
def _with_assert(x):
    assert x > 0, "positive"
    return x + 1


def test_the_check_accepts_asserts_pytest_rewrote():
    # pytest rewrites the asserts of test modules at import: the code differs from the text
    assert "@pytest_ar" in globals()
    assert _with_assert(1) == 2
    with pytest.raises(AssertionError, match="positive"):
        _with_assert(0)


@pytest.mark.parametrize("original, argument, expected", [
    (cases.uses_module, 4.0, 6.0), (_with_assert, 1, 2)])
def test_the_check_accepts_a_function_registered_as_its_block_only(original, argument,
                                                                  expected):
    # what a process unpickling a function has: its def at its lines, not the module's imports
    code = original.py_func.__code__
    block, first_line = inspect.getsourcelines(code)
    filename = f"<block-{uuid.uuid4().hex}>"
    jitbridge.register_source("\n" * (first_line - 1) + "".join(block), filename)
    func = types.FunctionType(code.replace(co_filename=filename), original.py_func.__globals__)
    assert njit(func)(argument) == expected


def test_the_check_compares_constants_by_type_and_sign():
    assert source._same_const((1, 0.0), (1, 0.0))
    assert not source._same_const((1,), (True,))
    assert not source._same_const((1,), (1.0,))
    assert not source._same_const((0.0,), (-0.0,))
    assert not source._same_const((frozenset({1}),), (frozenset({True}),))


def test_the_checked_text_is_cached_per_function():
    func = cases.annotated
    source.read_source(func)
    assert source._CHECKED[func][0] is func.__code__


# -- functions without a file ------------------------------------------------------------------------

EXEC_TEXT = '''\
from jitbridge import njit


@njit
def triple(x):
    return x * 3


def make(k):
    @njit
    def shifted(x):
        return x + k
    return shifted


halve = njit(lambda x: x / 2)
'''


def test_functions_made_by_exec_of_a_string_compile_from_the_recorded_text():
    namespace = {"njit": njit}
    exec(compile(EXEC_TEXT, "<string>", "exec"), namespace)  # noqa: S102
    assert namespace["triple"](2) == 6
    assert namespace["make"](5)(1) == 6
    assert namespace["halve"](3) == 1.5


def test_the_text_that_compiles_to_the_function_is_chosen_among_several():
    made = []
    for k in (2, 3):  # one pseudo file name, two texts, each function compiled after both ran
        namespace = {}
        exec(f"def scale(x):\n    return x * {k}\n", namespace)  # noqa: S102
        made.append(namespace["scale"])
    assert [njit(f)(10) for f in made] == [20, 30]


def test_an_exec_function_decorated_keeps_its_text_past_the_recording_limit():
    from jitbridge.frontend import exec_texts
    made = []
    for k in range(exec_texts.LIMIT + 20):  # decorated as made, called once all were made
        namespace = {"njit": njit}
        exec(f"@njit\ndef plus(x):\n    return x + {k}\n", namespace)  # noqa: S102
        made.append(namespace["plus"])
    assert made[0](1) == 1 and made[-1](1) == exec_texts.LIMIT + 20


def test_an_error_in_an_exec_function_shows_its_line():
    namespace = {}
    exec("def bad(x):\n    return x + undefined_name\n", namespace)  # noqa: S102
    with pytest.raises(TypingError) as info:
        njit(namespace["bad"])(1)
    assert "return x + undefined_name" in str(info.value)


def test_an_exec_text_run_before_jitbridge_was_imported_is_refused_naming_the_helpers():
    program = ("namespace = {}\nexec('def f(x):\\n    return x + 1\\n', namespace)\n"
               "import jitbridge\njitbridge.njit(namespace['f'])(1)\n")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and "cannot read the source of 'f'" in run.stderr
    assert "before jitbridge was imported" in run.stderr
    assert "jitbridge.compile_source(text)" in run.stderr


def test_python_c_programs_compile_from_the_command_line():
    program = "from jitbridge import njit\n@njit\ndef f(x):\n    return x + 1\nprint(f(1))\n"
    run = subprocess.run([sys.executable, "-W", "ignore", "-c", program], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and run.stdout == "2\n", run.stderr


def test_stdin_is_refused_naming_the_helpers():
    program = "from jitbridge import njit\n@njit\ndef f(x):\n    return x + 1\nf(1)\n"
    run = subprocess.run([sys.executable, "-"], input=program, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and "UnsupportedError: cannot read the source of 'f'" in run.stderr
    assert "jitbridge.compile_source(text)" in run.stderr
    assert "jitbridge.register_source(text, filename)" in run.stderr


def test_register_source_makes_exec_functions_compile():
    filename = f"<register-{uuid.uuid4().hex}>"
    jitbridge.register_source(EXEC_TEXT, filename)
    namespace = {}
    exec(compile(EXEC_TEXT, filename, "exec"), namespace)  # noqa: S102
    linecache.checkcache()  # an entry with no file to stat survives
    assert linecache.getlines(filename)[4] == "def triple(x):\n"
    assert namespace["triple"](7) == namespace["triple"].py_func(7) == 21
    assert namespace["make"](5)(1) == 6
    assert namespace["halve"](3) == 1.5


def test_register_source_after_the_exec_and_a_cleared_linecache():
    filename = f"<register-late-{uuid.uuid4().hex}>"
    namespace = {}
    exec(compile(EXEC_TEXT, filename, "exec"), namespace)  # noqa: S102
    jitbridge.register_source(EXEC_TEXT, filename)
    linecache.clearcache()  # jitbridge keeps its own copy of the text
    assert namespace["make"](-2)(10) == 8


def test_compile_source_returns_the_namespace_or_one_name():
    namespace = jitbridge.compile_source(EXEC_TEXT)
    assert namespace["__name__"].startswith("<jitbridge-source-")
    assert namespace["triple"](4) == 12 and namespace["halve"](5) == 2.5
    assert namespace["make"](2)(3) == namespace["make"](2).py_func(3) == 5
    first = jitbridge.compile_source("def f(x):\n    return x + 1\n", "f")
    second = jitbridge.compile_source("def f(x):\n    return x + 2\n", "f")
    assert first.__code__.co_filename != second.__code__.co_filename
    assert (njit(first)(1), njit(second)(1)) == (2, 3)


def test_compile_source_with_a_name_and_globals():
    scope = {"__name__": "scratch", "OFFSET": 100}
    func = jitbridge.compile_source("def g(x):\n    return x + OFFSET\n", "g",
                                    "<named-source>", scope)
    assert func.__code__.co_filename == "<named-source>" and "g" in scope
    assert njit(func)(1) == 101
    with pytest.raises(NameError, match="defines no 'missing'"):
        jitbridge.compile_source("x = 1\n", "missing")


def test_the_public_names():
    assert {"compile_source", "register_source"} <= set(jitbridge.__all__)
    with pytest.raises(TypeError):
        jitbridge.register_source(b"def f(): pass", "<bytes>")
