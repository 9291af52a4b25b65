"""`python -m jitbridge annotate [-o DIR] script.py [args...]`: run a script, then write the
annotated page of every module whose functions it compiled."""
from __future__ import annotations

import argparse
import os
import runpy
import sys

from . import write_module_pages

USAGE = "python -m jitbridge annotate [-o DIR] script.py [args...]"


def main(argv: list, recording, install_compat) -> int:
    """Run the script with `recording` (dispatch.recording_dispatchers) active and Numba's
    imports mapped to jitbridge (`install_compat`), then write the pages."""
    parser = argparse.ArgumentParser(prog="python -m jitbridge annotate", usage=USAGE)
    parser.add_argument("-o", "--output", default="jitbridge-annotate",
                        help="folder for the pages (default: ./jitbridge-annotate)")
    parser.add_argument("script")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    install_compat()
    with recording() as dispatchers:
        status = _run(options.script, options.args)
        paths = write_module_pages(dispatchers, options.output)
    for path in paths:
        print(f"jitbridge annotate: wrote {path}", file=sys.stderr)
    if not paths:
        print("jitbridge annotate: the script compiled no function", file=sys.stderr)
    return status


def _run(script: str, args: list) -> int:
    """Run `script` as __main__; its exit status (pages are written whatever it is)."""
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0
