"""The Sphinx docs site builds with warnings as errors, its doctests pass, and its feature
reference is generated from the typing registry (issue 22)."""
import html
import os
import pathlib
import re
import subprocess
import sys

import pytest

pytest.importorskip("sphinx", reason="sphinx is not installed (pip install -e '.[docs]')")
pytest.importorskip("myst_parser", reason="myst-parser is not installed (pip install -e '.[docs]')")

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def sphinx_build(builder: str, out: pathlib.Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-E", "-b", builder,
         "-d", str(out / "doctrees"), str(DOCS), str(out / builder)],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def html_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    proc = sphinx_build("html", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out / "html"


def page_text(site: pathlib.Path, page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", (site / page).read_text()))


def table_names(site: pathlib.Path, page: str) -> set:
    """The code in the first cell of every table row of `page`."""
    cells = re.findall(r'<tr[^>]*>\s*<td[^>]*><p><code[^>]*><span class="pre">([^<]*)</span>',
                       (site / page).read_text())
    return {html.unescape(cell) for cell in cells}


def test_html_builds_with_warnings_as_errors(html_site):
    for page in ("index", "getting-started", "migration", "objmode", "passthru", "cfunc",
                 "extending", "caching", "pickling", "source", "architecture", "features", "api"):
        assert (html_site / f"{page}.html").is_file(), page


def test_feature_reference_is_the_registry(html_site):
    import numpy as np

    from jitbridge import providers
    from jitbridge.typing.registry import registry
    providers.load_all()
    names = table_names(html_site, "features.html")
    assert {"np.sum", "math.sqrt", "len", "np.add", ".shape", ".sum()", "operator.add"} <= names
    registered_numpy = {k for k in registry._globals if k.startswith("numpy.")}
    assert {"np." + k.split(".", 1)[1] for k in registered_numpy} <= names
    assert "numpy.piecewise" not in registry._globals and np.piecewise  # really unsupported
    assert "np.piecewise" not in names and "piecewise" not in page_text(html_site, "features.html")
    assert not any(name.startswith("jitbridge.ir.") for name in names)  # no compiler internals


def test_api_reference_documents_the_public_api(html_site):
    text = page_text(html_site, "api.html")
    for name in ("jitbridge.njit", "jitbridge.cfunc", "jitbridge.objmode", "jitbridge.carray",
                 "jitbridge.extending.overload", "jitbridge.passthru.PassThruContainer",
                 "jitbridge.types.Array"):
        assert name in text, name
    # the constructor's parameters, not the interning metaclass's (*args, **kws)
    assert "jitbridge.types.Array(dtype, ndim, layout, readonly=False, aligned=True)" in text


def test_doctests_pass(tmp_path):
    proc = sphinx_build("doctest", tmp_path)
    report = (tmp_path / "doctest" / "output.txt").read_text()
    assert proc.returncode == 0, proc.stdout + proc.stderr + report
    ran = int(re.search(r"^\s*(\d+) tests$", report, re.M).group(1))
    assert ran >= 10 and "0 failures in tests" in report, report
