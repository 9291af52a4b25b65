"""Compiler errors with source locations (leaf module).

Every error raised for bad user input is a `CompilerError` carrying a `Loc`; its message names the
function, `file:line:col`, and shows the source line with a caret under the offending expression.
Errors are plain picklable exceptions (the message is formatted eagerly).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Loc:
    """A source position: file, 1-based line, 0-based column span, enclosing function."""

    filename: str
    line: int
    col: int = 0
    end_col: int | None = None
    func_name: str = "<unknown>"
    source_line: str = ""

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.col + 1}"

    def excerpt(self) -> str:
        """The source line with a caret marker under the span."""
        if not self.source_line:
            return ""
        text = self.source_line.rstrip()
        indent = len(text) - len(text.lstrip())
        end = self.end_col if self.end_col and self.end_col > self.col else len(text)
        start = max(self.col, indent)
        carets = "^" * max(1, min(end, len(text)) - start)
        return f"    {text.strip()}\n    {' ' * (start - indent)}{carets}"


class JitBridgeError(Exception):
    """Base class of every error jitbridge raises on purpose."""


class CompilerError(JitBridgeError):
    """An error in the user's function, reported with its location."""

    kind = "Compilation error"

    def __init__(self, msg: str, loc: Loc | None = None):
        self.msg = msg
        self.loc = loc
        super().__init__(self._format())

    def _format(self) -> str:
        if self.loc is None:
            return self.msg
        head = f"{self.kind} in function '{self.loc.func_name}' at {self.loc}:"
        excerpt = self.loc.excerpt()
        return f"{head}\n{excerpt}\n{self.msg}" if excerpt else f"{head}\n{self.msg}"

    def __reduce__(self):
        return (_rebuild, (type(self), self.msg, self.loc))

    def with_loc(self, loc: Loc) -> "CompilerError":
        """A copy of this error located at `loc` (if it had no location)."""
        return self if self.loc is not None else type(self)(self.msg, loc)


def _rebuild(cls, msg, loc):
    return cls(msg, loc)


class TypingError(CompilerError):
    """Type inference failed: an operation has no implementation for its operand types."""

    kind = "Typing error"


class UnsupportedError(CompilerError):
    """The function uses Python syntax or a feature jitbridge does not compile."""

    kind = "Unsupported"


class LoweringError(CompilerError):
    """Code generation failed for a typed operation (a bug or a broken extension)."""

    kind = "Lowering error"


def describe_function(func) -> str:
    """`qualname (defined at file:line)`: names extension code in error messages."""
    func = getattr(func, "__func__", func)  # bound methods
    name = getattr(func, "__qualname__", None) or repr(func)
    code = getattr(func, "__code__", None)
    if code is None:
        module = getattr(func, "__module__", None)
        return f"{name} (in module {module})" if module else name
    return f"{name} (defined at {code.co_filename}:{code.co_firstlineno})"


def describe_types(types_) -> str:
    """`(int64, float64)`: the argument types in error messages."""
    return "(" + ", ".join(map(str, types_)) + ")"


class JitBridgeWarning(UserWarning):
    """Warnings about options or behaviour that differ from what was asked."""


# -- Numba's names (`numba.core.errors`), so code that raises, catches or filters them runs --
NumbaError = JitBridgeError
NumbaWarning = JitBridgeWarning


class NumbaValueError(TypingError):
    """A value the compiler cannot use (Numba's class, a TypingError there too): raised by
    @stencil for kernels and options that do not make a stencil."""


class NumbaRuntimeError(LoweringError):
    """Code that needs the runtime compiled without it (`_nrt=False`); Numba's class, raised
    while lowering there too."""


class ForbiddenConstruct(UnsupportedError, LoweringError):
    """A construct compiled code cannot have (`locals()`: its variables have no dictionary);
    Numba's class (a LoweringError there, so code catching that catches it here too)."""


class NumbaPerformanceWarning(NumbaWarning):
    """A warning about code that compiles but runs slower than it could (Numba's category:
    programs filter it): a prange loop inside a try block runs serially."""


class NumbaDeprecationWarning(NumbaWarning, DeprecationWarning):
    """A deprecated use (Numba's category, for filters; jitbridge does not emit it yet)."""


class NumbaPendingDeprecationWarning(NumbaWarning, PendingDeprecationWarning):
    """A use that will be deprecated (Numba's category, for filters)."""


class NumbaExperimentalFeatureWarning(NumbaWarning):
    """Numba's category for experimental features (programs using @jitclass filter it)."""


class NumbaTypeSafetyWarning(NumbaWarning):
    """Numba's category for conversions that may lose information (for filters)."""


class NumbaParallelSafetyWarning(NumbaWarning):
    """Numba's category for parallel code that may race (for filters)."""


class NumbaSystemWarning(NumbaWarning):
    """Numba's category for problems of the environment (for filters)."""


class NumbaInvalidConfigWarning(NumbaWarning):
    """Numba's category for bad configuration values (for filters)."""


# Numba's TypingError subclasses: an extension's typing code (an @overload function, a
# template) raises them to refuse argument types, and callers see a located TypingError


class NumbaTypeError(TypingError):
    """An argument of the wrong type."""


class NumbaNotImplementedError(TypingError):
    """A case the implementation does not cover."""


class NumbaAttributeError(TypingError):
    """An attribute the type does not have."""


class NumbaIndexError(TypingError):
    """An index out of what the type allows."""


class NumbaKeyError(TypingError):
    """A key the type does not have."""


class NumbaAssertionError(TypingError):
    """A typing-time assertion that failed."""


class NoMatchingSignature(TypingError, TypeError):
    """Arguments that convert to none of a dispatcher's explicit signatures: a TypeError to a
    Python caller (as in Numba), a typing error to a compiled one."""

    def with_loc(self, loc):
        located = super().with_loc(loc)
        for note in getattr(self, "__notes__", ()) if located is not self else ():
            located.add_note(note)  # the note names the callee and what it was compiled for
        return located


class SignatureMismatch(TypingError, TypeError):
    """An explicit signature whose argument count differs from the function's."""


class LiteralTypingError(TypingError):
    """A value asked for as a literal (`literally(x)`) has no literal type (Numba's class)."""


class ForceLiteralArg(JitBridgeError):
    """Typing asks for some arguments of the call being typed as literal types (raised by
    `literally(x)`, `SentryLiteralArgs` and callees that did): the caller retypes with their
    literal types, or passes the request on to its own caller (`typing/literally.py`).
    `requested`: indices of the values of the call (positional values, then keywords in their
    order); `unsatisfied`: the message when a requested value is no argument nor constant."""

    passes_through_extensions = True  # a typing signal, not an extension's bug
    remember = False  # never a dispatcher's recorded failure

    def __init__(self, requested, unsatisfied: str = "Cannot request literal type."):
        self.requested = frozenset(requested)
        self.unsatisfied = unsatisfied
        super().__init__(f"literal types requested for the arguments at {sorted(requested)}")
