"""Strings: CPython's `str` in compiled code, with CPython's results.

A string value is a struct {data, length, kind, is_ascii, hash, meminfo, parent} (PEP 393:
`kind` bytes per character, 1, 2 or 4, always the narrowest that holds every character, as
CPython keeps them, so equal strings have equal bytes and hash alike):

- an argument is unboxed without copying: `data` points into the str's own buffer (read in
  place from the PyUnicode layout, checked at import against real strings), `parent` is the
  str, `meminfo` is NULL because the caller keeps the str alive for the whole call; an owned
  value (objmode outputs, items of lists that outlive the call) holds the str with a MemInfo;
- a string made by compiled code owns an NRT buffer (NUL-terminated, so C code may read it);
- a constant (StringLiteral) converts to a value whose characters are a constant global;
- boxing returns `parent` itself when there is one, else PyUnicode_FromKindAndData;
- hash() is CPython's: the str's cached hash, else _Py_HashBytes over the canonical buffer.

`model` holds the representation and a handful of intrinsics (read/write a character, make,
copy and compare buffers); everything else (`core`, `methods`, ...) is ordinary Python compiled
through the public extension API, as a user would extend jitbridge.
"""
from . import model, core, methods, casing, convert, formatting, percent, pycall  # noqa: F401
