"""@cfunc (issue 7): scipy.integrate.quad of 1/x over [1, 2] through LowLevelCallable."""
from __future__ import annotations

from .harness import Report, have_numba, interleaved_ns, per_call_ns


def _quad_callable(package):
    from scipy import LowLevelCallable

    mod = __import__(package)
    cf = mod.cfunc("float64(float64)")(_inverse)
    return LowLevelCallable(cf.ctypes)


def _inverse(x):
    return 1.0 / x


def run() -> Report:
    from scipy import integrate

    report = Report("cfunc (issue 7): quad(1/x, 1, 2) per call, us")
    ours = _quad_callable("jitbridge")
    theirs = _quad_callable("numba") if have_numba() else None
    t_ours, t_theirs = interleaved_ns(lambda: integrate.quad(ours, 1, 2),
                                      (lambda: integrate.quad(theirs, 1, 2)) if theirs else None)
    report.add("quad via LowLevelCallable(cf.ctypes)", t_ours / 1e3,
               t_theirs / 1e3 if t_theirs else None, "us", "<= 1.05x numba")
    report.add("  (plain Python callable)", per_call_ns(integrate.quad, (_inverse, 1, 2),
                                                       number=20_000) / 1e3, None, "us")
    return report
