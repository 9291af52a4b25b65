"""Options and environment variables (leaf module: imports nothing from jitbridge).

Every option is read once at import; tests may assign the attributes directly.
"""
import os
import struct


def _env_int(name: str, default: int) -> int:
    """Read an integer environment variable, falling back to `default`."""
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


#: Pointer width of this machine (Numba's name).
MACHINE_BITS: int = struct.calcsize("P") * 8
#: LLVM optimisation level for compiled code (0-3).
OPT_LEVEL: int = _env_int("JITBRIDGE_OPT", 3)
#: Tiered compilation: a specialisation's first code comes from a cheap LLVM pipeline, and the
#: full one recompiles it in the background once it proves hot (runtime/tiering.py).
#: $JITBRIDGE_TIERED=0 turns it off; so does choosing a level with $JITBRIDGE_OPT.
TIERED: bool = bool(_env_int("JITBRIDGE_TIERED", 0)) and "JITBRIDGE_OPT" not in os.environ
#: Heat, in calls, at which tier-0 code is recompiled: a call from Python is one, a loop
#: adds one per 1024 iterations (runtime/tiering.CALL_HEAT).
TIER_THRESHOLD: int = max(1, _env_int("JITBRIDGE_TIER_THRESHOLD", 1000))
#: Run the IR verifier between stages (cheap; on in tests).
VERIFY_IR: bool = bool(_env_int("JITBRIDGE_VERIFY_IR", 0))
#: Print the LLVM IR of every compiled function.
DUMP_LLVM: bool = bool(_env_int("JITBRIDGE_DUMP_LLVM", 0))
#: Bounds checking for every function, overriding `boundscheck=` (None: as each asks).
BOUNDSCHECK: bool | None = (None if os.environ.get("JITBRIDGE_BOUNDSCHECK", "") == ""
                            else bool(_env_int("JITBRIDGE_BOUNDSCHECK", 0)))
#: Run @njit/@jit functions as plain Python (debugging, coverage); objmode blocks are plain
#: `with` blocks then, and @cfunc still compiles (its .ctypes/.address stay usable).
DISABLE_JIT: bool = bool(_env_int("JITBRIDGE_DISABLE_JIT", 0))
#: Check jitbridge's own lowering registrations for ambiguous pairs as they are made (tests
#: turn it on; extensions' registrations are always checked).
CHECK_BUILTIN_REGISTRATIONS: bool = bool(_env_int("JITBRIDGE_CHECK_BUILTINS", 0))
#: Where cache=True stores compiled code ("": in `__pycache__` beside each source file).
CACHE_DIR: str = os.environ.get("JITBRIDGE_CACHE_DIR", "")
#: Threads a parallel region may use at most (`set_num_threads` chooses up to this many);
#: $JITBRIDGE_NUM_THREADS, or Numba's $NUMBA_NUM_THREADS, else every CPU this process may use.
NUMBA_NUM_THREADS: int = max(1, _env_int("JITBRIDGE_NUM_THREADS", _env_int(
    "NUMBA_NUM_THREADS", len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
    else (os.cpu_count() or 1))))
#: jitbridge's version (`jitbridge.__version__`); part of every on-disk cache key.
VERSION: str = "0.1.0"
