"""The page in a real browser (headless Chromium, Debian's `chromium` package: .ci/run installs
it) and `python -m jitbridge annotate script.py`."""
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from jitbridge.annotate.html import COLORS

from .kernels import mixed, native_only

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--hide-scrollbars"]


def _screenshot(page: str, tmp_path) -> dict:
    """colour -> how many of the page's pixels Chromium renders in it."""
    image = pytest.importorskip("PIL.Image")
    png = tmp_path / "page.png"
    subprocess.run([CHROMIUM, *_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                    "--window-size=1100,900", f"--screenshot={png}", f"file://{page}"],
                   check=True, capture_output=True, timeout=120)
    with image.open(png) as shot:
        return {"#%02x%02x%02x" % rgb: count
                for count, rgb in shot.convert("RGB").getcolors(maxcolors=1 << 24)}


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_chromium_renders_the_shaded_lines(tmp_path):
    mixed(np.ones(3), 3)
    native_only(2.0, 3)
    shaded = _screenshot(mixed.annotate_html(tmp_path / "mixed.html"), tmp_path)
    plain = _screenshot(native_only.annotate_html(tmp_path / "native.html"), tmp_path)
    # both pages show the legend's swatches; only the mixed page's lines add shaded rows
    for category in ("python", "alloc", "raise", "check"):
        legend = plain.get(COLORS[category], 0)
        assert legend > 0, category
        assert shaded.get(COLORS[category], 0) > legend + 5000, category


SCRIPT = """
    import sys
    import numpy as np
    from numba import njit          # a Numba program, run unchanged
    from helpers_mod import scale

    @njit
    def total(a):
        return scale(a).sum()

    print("total", total(np.arange(4.0)), sys.argv[1:])
    sys.exit(3)
"""

HELPERS = """
    from numba import njit

    @njit
    def scale(a):
        return a * 2.0
"""


def test_the_command_writes_one_page_per_module(tmp_path):
    (tmp_path / "prog.py").write_text(textwrap.dedent(SCRIPT))
    (tmp_path / "helpers_mod.py").write_text(textwrap.dedent(HELPERS))
    out = tmp_path / "pages"
    run = subprocess.run([sys.executable, "-m", "jitbridge", "annotate", "-o", str(out),
                          str(tmp_path / "prog.py"), "x"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert run.returncode == 3, run.stderr
    assert run.stdout == "total 12.0 ['x']\n"
    assert sorted(os.listdir(out)) == ["helpers_mod.html", "prog.html"]
    prog = (out / "prog.html").read_text()
    assert "total(array(float64, 1d, C))" in prog and "return scale(a).sum()" in prog
    assert "scale(array(float64, 1d, C))" in (out / "helpers_mod.html").read_text()
