"""The quick cut of a def's lines (code positions) agrees with the tokenizer's, or defers to
it; either way the function compiles from its own text (frontend/source_blocks.py)."""
import sys

import pytest

import jitbridge
from jitbridge.frontend import source_blocks

TEXTS = {
    "plain": "def f(x):\n    y = x + 1\n    return y\n\nz = 1\n",
    "trailing comment at column 0":
        "def f(x):\n    return x * 2\n# a comment\n\ndef g():\n    pass\n",
    "nested def last": "def f(x):\n    def inner(y):\n        return y + x\n"
                       "    return inner(1)\n",
    "multi-line call with a dedented close":
        "def f(x):\n    return max(x,\n1)\n",
    "string statement last": "def f(x):\n    y = x\n    '''\nnot code\n'''\n    return y\n",
    "else pass at the end": "def f(x):\n    if x:\n        return 1\n    else:\n        pass\n"
                            "    return 2\n",
    "decorated": "@jitbridge.njit\ndef f(x):\n    return (x,\n            x)[0]\n",
}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_quick_cut_compiles_like_the_tokenizers(name):
    namespace = jitbridge.compile_source(TEXTS[name], globals={"jitbridge": jitbridge})
    func = getattr(namespace["f"], "py_func", namespace["f"])
    lines = TEXTS[name].splitlines(keepends=True)
    quick = source_blocks.def_block(func, lines, quick=True)
    slow = source_blocks.def_block(func, lines, quick=False)
    if sys.version_info >= (3, 11) and name == "plain":
        assert quick == slow
    assert jitbridge.njit(func)(3) == func(3)
