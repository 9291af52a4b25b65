"""The texts run by exec()/compile() under pseudo file names ("<string>", "<ipython-input>"),
so that functions they define compile like any other: code generators build kernels with exec
all the time, and the frontend reads source, which such functions have nowhere else.

CPython raises the audit event "compile" with the text and file name for every str or bytes
compiled (compile(), exec(), eval()); a hook installed when jitbridge is imported keeps the
most recent ones, a bounded number, per pseudo file name. Which text defined a function is
decided later by the reader (source.py), which accepts a text only if it compiles to the
function's own code object. Texts compiled before jitbridge was imported are not seen."""
from __future__ import annotations

import importlib.util
import io
import sys
import threading

#: how many texts are kept in all (the oldest go first)
LIMIT = 256
#: texts larger than this are not kept (no kernel is; generated data modules may be)
MAX_CHARS = 1 << 20

_recent: dict = {}  # (filename, text) -> None, oldest first
_lock = threading.Lock()
_installed = False


def _on_audit(event: str, args: tuple) -> None:
    # runs for every audit event of the process: the common case must cost one comparison
    if event != "compile":
        return
    try:
        source, filename = args
        if isinstance(filename, str) and filename[:1] == "<" and \
                isinstance(source, (str, bytes)) and len(source) <= MAX_CHARS:
            _remember(filename, source)
    except Exception:  # noqa: BLE001 - an audit hook that raises would fail the user's compile
        pass


def _remember(filename: str, source) -> None:
    text = importlib.util.decode_source(source) if isinstance(source, bytes) else source
    with _lock:
        _recent.pop((filename, text), None)
        _recent[(filename, text)] = None
        while len(_recent) > LIMIT:
            del _recent[next(iter(_recent))]


def recorded_lines(filename: str) -> list:
    """The recorded texts compiled under `filename`, newest first, each as a list of lines
    (for "<string>", last the text of `python -c TEXT`, which ran before any hook)."""
    with _lock:
        texts = [text for name, text in _recent if name == filename]
    if filename == "<string>":
        texts = [*_command_text(), *texts]
    return [_lines(text) for text in reversed(texts)]


def _command_text() -> list:
    """[TEXT] of `python -c TEXT` (CPython keeps the command line in sys.orig_argv), or []."""
    argv = list(getattr(sys, "orig_argv", ()))
    i = 1
    while i < len(argv) - 1:
        arg = argv[i]
        if arg == "-c":
            return [argv[i + 1]]
        if not arg.startswith("-") or arg == "-m":  # a script or module: no command
            break
        i += 2 if arg in _OPTIONS_WITH_VALUE else 1
    return []


_OPTIONS_WITH_VALUE = ("-W", "-X", "--check-hash-based-pycs")


def _lines(text: str) -> list:
    lines = io.StringIO(text, newline=None).readlines()  # Python's line breaks, no others
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def install() -> None:
    """Start recording (once per process: audit hooks cannot be removed)."""
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_on_audit)
            _installed = True
