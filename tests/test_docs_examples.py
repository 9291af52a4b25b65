"""Every Python code block of the README and of docs/*.md runs as pasted (issue 22): a file's
blocks run in order in one fresh interpreter, as a reader pasting them one after another."""
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def python_blocks(path: pathlib.Path) -> list:
    return [textwrap.dedent(block) for block in BLOCK.findall(path.read_text())]


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if python_blocks(d)],
                         ids=lambda d: d.name)
def test_code_blocks_run_as_pasted(document, tmp_path):
    if "tqdm" in document.read_text():
        pytest.importorskip("tqdm")
    if "scipy" in document.read_text():
        pytest.importorskip("scipy")
    script = tmp_path / f"{document.stem}_blocks.py"  # a file: jitbridge reads the source
    script.write_text("\n".join(python_blocks(document)))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"{document.name}:\n{proc.stderr}"
