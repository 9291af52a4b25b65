"""The annotated view: per-line types and costs, the LLVM IR and machine code of each line,
the terminal table, the self-contained page, and that annotating leaves compiled code as is."""
import io
import re

import numpy as np
import pytest

from jitbridge.annotate.report import function_reports

from .kernels import calls_and_catches, count_values, mixed, native_only


@pytest.fixture(scope="module")
def mixed_report():
    mixed(np.ones(4), 4)
    (report,) = function_reports(mixed)
    return report


def _line(report, text):
    (line,) = [line for line in report.lines if line.source.strip() == text]
    return line


@pytest.mark.parametrize("text, category", [
    ("b = np.empty(n)", "alloc"),
    ("b[i] = a[i] * 2", "check"),
    ("s += b[i]", "check"),
    ('raise ValueError("negative sum")', "raise"),
    ('with objmode(t="float64"):', "python"),
    ("t = float(np.sum(b))", "python"),  # the block's body runs in the interpreter
    ("s = 0.0", "native"),
    ("return s + t", "native"),
])
def test_each_line_gets_the_category_of_what_it_does(mixed_report, text, category):
    assert _line(mixed_report, text).category == category


def test_lines_show_the_types_of_the_variables_they_assign(mixed_report):
    assert _line(mixed_report, "def mixed(a, n):").types == {
        "a": "array(float64, 1d, C)", "n": "int64"}
    assert _line(mixed_report, "b = np.empty(n)").types == {"b": "array(float64, 1d, C)"}
    assert _line(mixed_report, "for i in range(n):").types == {"i": "int64"}


def test_each_line_carries_its_llvm_ir_and_machine_code(mixed_report):
    alloc = _line(mixed_report, "b = np.empty(n)")
    assert any('@"jb_nrt_allocate"' in text or "@jb_nrt_allocate" in text for text in alloc.llvm)
    loop_body = _line(mixed_report, "b[i] = a[i] * 2")
    assert loop_body.asm and all("!dbg" not in text for text in loop_body.llvm)
    assert any(re.match(r"(v?mul|v?add)", text) for text in loop_body.asm)


def test_a_pure_loop_is_native_everywhere():
    native_only(1.5, 10)
    (report,) = function_reports(native_only)
    assert {line.category for line in report.lines} == {"native"}
    assert _line(report, "acc += x * i").asm


def test_calls_and_try_regions_annotate():
    assert calls_and_catches([1, 0, 2]) == calls_and_catches.py_func([1, 0, 2])
    (report,) = function_reports(calls_and_catches)
    assert _line(report, "total += helper(v) // v").category == "raise"
    assert _line(report, "for v in values:").types == {"v": "int64"}


@pytest.mark.parametrize("text, category", [
    ("def count_values(values):", "native"),  # (its exit releases a saved error: bookkeeping)
    ("try:", "raise"),
    ("counts[v] += 1", "alloc"),  # KeyError(v) boxes v only on the way out: not Python work
    ("except KeyError:", "raise"),  # matching a raised error against the clause
    ('print("distinct:", len(counts))', "python"),
])
def test_work_done_only_when_something_raises_counts_as_raising(text, category, capsys):
    assert count_values(np.array([3, 1, 3])) == 2
    (report,) = function_reports(count_values)
    assert _line(report, text).category == category


def test_annotating_leaves_the_running_code_alone(mixed_report):
    assert all("!dbg" not in text for text in mixed.inspect_llvm().values())
    assert mixed(np.arange(3.0), 3) == 12.0


def test_the_terminal_table_marks_each_line():
    out = io.StringIO()
    mixed(np.ones(2), 2)
    mixed.annotate(file=out)
    rows = {line.split(None, 2)[2].strip() if len(line.split(None, 2)) > 2 else "":
            line.split()[1] for line in out.getvalue().splitlines()
            if re.match(r"\s+\d+ [PARB] ", line)}
    assert rows["b = np.empty(n)    # b: array(float64, 1d, C)"] == "A"
    assert rows['with objmode(t="float64"):    # t: float64'] == "P"
    assert rows['raise ValueError("negative sum")'] == "R"
    assert rows["b[i] = a[i] * 2"] == "B"


def test_the_page_is_self_contained_and_lists_every_line(tmp_path, mixed_report):
    path = mixed.annotate_html(tmp_path / "mixed.html")
    page = open(path, encoding="utf-8").read()
    assert "<script" not in page and not re.search(r"(src|href)=", page)
    for line in mixed_report.lines:
        assert f"<span class='num'>{line.number}</span>" in page
    assert page.count("<details>") == sum(line.has_code for line in mixed_report.lines)
    assert "jb_nrt_allocate" in page and "machine code" in page
