"""Strings (issue 18): str.split / str.join of 100k lines and building a string, warm, side by
side with Numba."""
from __future__ import annotations

from .harness import Report, alternating_ms, have_numba


def split_lines(text):
    return len(text.split("\n"))


def split_join(text):
    return "|".join(text.split("\n"))


def build(n):
    out = ""
    for i in range(n):
        out += str(i % 10)
    return len(out)


ROUNDS = 3
TEXT = "\n".join(f"line {i} caf\xe9 {i * 7}" for i in range(100_000))
CASES = [("str.split of 100k lines", split_lines, (TEXT,)),
         ("'|'.join(str.split) of 100k lines", split_join, (TEXT,)),
         ("build a string of 2k chars with +=", build, (2_000,))]


def run() -> Report:
    report = Report("strings (issue 18), warm, ms")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for label, func, args in CASES:
        compiled = {peer: __import__(peer).njit(func) for peer in peers}
        for peer in peers:
            assert compiled[peer](*args) == func(*args), (label, peer)
        times = alternating_ms(compiled, args, ROUNDS)
        report.add(label, times["jitbridge"], times.get("numba"), "ms", "<= 1.1x numba")
    return report
