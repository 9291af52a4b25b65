"""`@overload(func, strict=True)` (the default, as in Numba): the implementation an overload
function returns must take the parameters the overload function takes, so that a call binds
its arguments the same way for typing and for running. What is allowed:

- the same positional parameters, in order, and the same parameters with defaults, with the
  same default values;
- `*args` in both, or `*args` in the implementation only, taking the typing function's
  trailing positional parameters.

`**kwargs` cannot be typed (a keyword's type would have no parameter to go to). Each breach is
a TypingError naming both signatures and the differing parameters.

Also the `jit_options` of an overload: implementations compile inside their callers, with the
callers' options, so an option that would change the code is not applied and says so (a
warning); `_nrt=False` (Numba compiles the implementation without its runtime) is checked: the
implementation may not return memory the runtime manages, other than an argument's.
"""
from __future__ import annotations

import inspect
import warnings

from .core.datamodel import default_manager
from .errors import JitBridgeWarning, TypingError, describe_function
from .ir import nodes as n

_PREFIX = "Typing and implementation arguments differ in "


def check_typing_function(typing_func) -> None:
    """Refuse an overload function taking `**kwargs` (strict mode)."""
    _refuse_var_keyword(inspect.signature(typing_func),
                        f"the @overload function {describe_function(typing_func)}")


def check_implementation(typing_func, impl) -> None:
    """Refuse an implementation whose parameters differ from its overload function's."""
    typing_sig, impl_sig = inspect.signature(typing_func), inspect.signature(impl)
    check_typing_function(typing_func)
    _refuse_var_keyword(impl_sig, f"the implementation {describe_function(impl)} returned by "
                        f"the @overload function {describe_function(typing_func)}")
    shown = f"Typing signature:         {typing_sig}\nImplementation signature: {impl_sig}"
    typing_required, typing_star = _required(typing_sig)
    impl_required, impl_star = _required(impl_sig)
    if typing_star is not None and impl_star is None:
        raise TypingError(f"VAR_POSITIONAL (e.g. *args) argument kind (offending argument name "
                          f"is '{typing_star}') found in the typing function signature, but "
                          f"not in the implementing function signature.\n{shown}")
    if impl_star is not None and typing_star is None:
        typing_required = _consumed_prefix(typing_required, impl_required, impl_star, shown)
        impl_required = impl_required[:impl_required.index(impl_star)]
    _compare(typing_required, impl_required, "argument names", shown, _name)
    typing_defaults, impl_defaults = _with_default(typing_sig), _with_default(impl_sig)
    _compare(typing_defaults, impl_defaults, "keyword argument names", shown, _name)
    _compare(typing_defaults, impl_defaults, "keyword argument default values", shown,
             _name_and_default)


def _refuse_var_keyword(sig: inspect.Signature, what: str) -> None:
    for param in sig.parameters.values():
        if param.kind is param.VAR_KEYWORD:
            raise TypingError(f"{what}: use of VAR_KEYWORD (e.g. **kwargs) is unsupported "
                              f"by a strict @overload (offending argument name is "
                              f"'{param}'); pass strict=False to @overload to allow it")


def _required(sig: inspect.Signature) -> tuple:
    """(the parameters without a default, *args included; the *args parameter or None)."""
    required = [p for p in sig.parameters.values() if p.default is p.empty]
    star = next((p for p in required if p.kind is p.VAR_POSITIONAL), None)
    return required, star


def _with_default(sig: inspect.Signature) -> list:
    return [p for p in sig.parameters.values() if p.default is not p.empty]


def _consumed_prefix(typing_required: list, impl_required: list, impl_star, shown: str) -> list:
    """The typing parameters matched by the implementation's ones before its `*args` (the
    rest go into `*args`): up to the typing parameter named as the last of those."""
    before = impl_required[:impl_required.index(impl_star)]
    if not before:
        return []
    names = [p.name for p in typing_required]
    if before[-1].name not in names:
        raise TypingError(f"{_PREFIX}argument names.\n{shown}\nFirst difference: "
                          f"'{before[-1]}'")
    return typing_required[:names.index(before[-1].name) + 1]


def _name(param) -> str:
    return param.name


def _name_and_default(param) -> tuple:
    default = param.default
    # by identity for values whose == is not a bool (arrays); by value otherwise (1 == 1.0
    # would hide a different type: compare the types too)
    return param.name, type(default), default if _plain(default) else id(default)


def _plain(value) -> bool:
    if isinstance(value, tuple):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, (bool, int, float, complex, str, bytes))


def _compare(typing: list, impl: list, what: str, shown: str, key) -> None:
    typing_keys, impl_keys = [key(p) for p in typing], [key(p) for p in impl]
    if typing_keys == impl_keys:
        return
    differing = [p for p in typing if key(p) not in impl_keys] + \
                [p for p in impl if key(p) not in typing_keys]
    raise TypingError(f"{_PREFIX}{what}.\n{shown}\nDiffering: "
                      f"{', '.join(repr(p) for p in differing) or 'their order'}")


#: overload functions whose implementations may not hand out runtime-managed memory
WITHOUT_NRT: set = set()
#: jit_options that change nothing for an implementation compiled inside its caller
_NO_EFFECT = {"_nrt", "no_cpython_wrapper", "no_cfunc_wrapper", "cache", "nopython"}


def take_jit_options(overload_func, jit_options) -> None:
    """Record `_nrt=False`; warn about the options an implementation cannot have."""
    options = dict(jit_options or {})
    if options.get("_nrt") is False:
        WITHOUT_NRT.add(overload_func)
    ignored = sorted(set(options) - _NO_EFFECT)
    if ignored:
        warnings.warn(f"jit_options {ignored} of {describe_function(overload_func)} are not "
                      "applied: an @overload implementation compiles inside its caller, with "
                      "the caller's options", JitBridgeWarning, stacklevel=3)


def check_without_nrt(overload_func, typed) -> None:
    """With `_nrt=False`, a TypingError when the implementation typed as `typed` returns
    runtime-managed memory that is not one of its arguments (as Numba without its runtime)."""
    if overload_func not in WITHOUT_NRT or \
            not default_manager.lookup(typed.return_type).has_nrt_meminfo():
        return
    arguments = _argument_copies(typed.fir)
    for block in typed.fir.blocks.values():
        term = block.terminator
        if isinstance(term, n.Return) and term.value not in arguments:
            raise TypingError(f"the implementation returned by {describe_function(overload_func)}"
                              f" returns {typed.return_type} it allocated, but its jit_options "
                              "have _nrt=False (no runtime to manage that memory): Only accept "
                              "returning of array passed into the function as argument")


def _argument_copies(fir) -> set:
    """The variables only ever assigned an argument or a copy of such a variable."""
    sources: dict = {}
    for block in fir.blocks.values():
        for stmt in block.body:
            if isinstance(stmt, n.Assign):
                sources.setdefault(stmt.target, []).append(stmt.value)
    found, changed = set(), True
    while changed:
        changed = False
        for name, values in sources.items():
            if name not in found and all(isinstance(v, n.Arg) or (
                    isinstance(v, n.Var) and v.name in found) for v in values):
                found.add(name)
                changed = True
    return found
