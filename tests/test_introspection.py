"""`inspect_types()` in Numba's layout: every source line of the function, each after the typed
statements compiled from it, with their types (issue 22)."""
import io

import pytest

from jitbridge import njit


def typed_text(dispatcher, **options) -> str:
    buffer = io.StringIO()
    assert dispatcher.inspect_types(buffer, **options) is None  # printed, as in Numba
    return buffer.getvalue()


@njit
def scaled_sum(a, b):
    c = a + b
    if c > 3:
        c = c * 2.5
    return c


def test_inspect_types_annotates_each_source_line():
    scaled_sum(1, 2)
    text = typed_text(scaled_sum)
    lines = text.splitlines()
    assert lines[0] == "scaled_sum (int64, int64)" and lines[1] == "-" * 80
    assert lines[2] == f"# File: {__file__}"
    first = scaled_sum.py_func.__code__.co_firstlineno
    for offset, source in enumerate(["@njit", "def scaled_sum(a, b):", "    c = a + b",
                                     "    if c > 3:", "        c = c * 2.5", "    return c"]):
        marker = f"# --- LINE {first + offset} --- "
        assert text.index(marker) < text.index("\n" + source + "\n")
    body = text[text.index("    c = a + b"):]
    assert "#   $" in text and ":: float64" in body  # c becomes float64 after the branch
    assert text.index("#   a = arg(0, a)  :: int64") < text.index("def scaled_sum(a, b):")


def test_inspect_types_of_one_signature():
    scaled_sum(1.0, 2.0)
    one = typed_text(scaled_sum, signature="(float64, float64)")
    assert one.startswith("scaled_sum (float64, float64)") and "(int64, int64)" not in one


def test_inspect_types_prints_to_standard_output_by_default(capsys):
    scaled_sum(1, 2)
    scaled_sum.inspect_types()
    assert capsys.readouterr().out.startswith("scaled_sum (int64, int64)")
    with pytest.raises(ValueError, match="pretty=True"):
        scaled_sum.inspect_types(pretty=True)


@njit
def count_up(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def test_inspect_cfg_is_the_llvm_functions_graph():
    count_up(3)
    graphs = count_up.inspect_cfg()
    one = count_up.inspect_cfg(signature="(int64,)")
    assert set(graphs) == set(count_up.signatures) and str(one).startswith("digraph")
    assert one.dot.count("->") >= 2  # the loop: at least a back edge and an exit
    assert "edges>" in repr(one)


def test_get_annotation_info_gives_lines_and_types():
    scaled_sum(1, 2)
    info = scaled_sum.get_annotation_info(signature="(int64, int64)")
    (entry,) = info.values()
    first = scaled_sum.py_func.__code__.co_firstlineno
    assert entry["funcname"] == "scaled_sum" and entry["filename"] == __file__
    assert (first + 2, "    c = a + b") in entry["python_lines"]
    assert entry["python_types"][first + 4] == {"c": "float64"}
