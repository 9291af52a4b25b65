"""The frontend never changes the AST it reads: lambdas share their file's cached tree
(frontend/source.py), so a change would leak into every later compilation from that file."""
import ast

from jitbridge.frontend import build_ir
from jitbridge.frontend.source import _file_lambdas


def with_closures(n):
    total = 0

    def add(k):
        nonlocal total
        total += k
    for i in range(n):
        add(i)
    squares = [i * i for i in range(n) if i % 2]
    return total + sum(squares) + (lambda y: y + total)(1)


def _lambdas_of_this_file():
    return _file_lambdas(__file__, globals())


def test_building_ir_leaves_the_source_trees_unchanged():
    compose = lambda f: (lambda x: f(x) + [i for i in range(x)][0])  # noqa: E731
    cached = [n for nodes in _lambdas_of_this_file().values() for n in nodes]
    before = [ast.dump(n, include_attributes=True) for n in cached]
    build_ir(with_closures)
    build_ir(compose)
    build_ir(compose(len))
    after = [ast.dump(n, include_attributes=True) for n in cached]
    assert len(cached) >= 3 and before == after
