"""Sphinx configuration of the jitbridge docs (`sphinx-build docs docs/_build`).

The guides are the Markdown files of this folder (MyST), the same files the test that runs every
doc code block reads; the feature reference is generated from jitbridge's registries at build
time by `_ext/features.py`, so it lists exactly what the installed jitbridge compiles.
"""
import doctest
import inspect
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))  # document this checkout, not another installed copy

import jitbridge  # noqa: E402

project = "jitbridge"
author = "the jitbridge developers"
copyright = "2026, the jitbridge developers"
release = version = jitbridge.__version__

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.doctest", "features"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # signatures keep the source's spelling; hints live in py.typed stubs
# exception messages are checked too (Sphinx ignores their detail by default)
doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1
html_theme = "alabaster"
html_title = f"jitbridge {release}"


def _class_signature(app, what, name, obj, options, signature, return_annotation):
    """Types are interned by a metaclass whose `__call__(*args, **kws)` autodoc would show:
    show the constructor's own parameters instead."""
    if what != "class" or signature != "(*args, **kws)":
        return None
    parameters = [p.replace(annotation=p.empty)
                  for p in list(inspect.signature(obj.__init__).parameters.values())[1:]]
    return str(inspect.Signature(parameters)), return_annotation


def setup(app):
    app.connect("autodoc-process-signature", _class_signature)
