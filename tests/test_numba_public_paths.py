"""Every public module path and name issue 22 lists imports under its Numba name once
`jitbridge.compat.install()` ran (as `python -m jitbridge run` does), and is the very object
jitbridge uses. Checked here directly: the conformance harness maps a missing `numba.core.X`
to `jitbridge.X` by itself, so it would not notice a path that is missing."""
import subprocess
import sys
import textwrap

#: Numba path -> names it must provide
PATHS = {
    "numba": "njit jit cfunc carray farray objmode typeof types errors config prange typed "
             "jitclass literal_unroll vectorize guvectorize stencil TypingError from_dtype "
             "float64 int32 uint8 boolean void optional deferred_type".split(),
    "numba.core.errors": "NumbaWarning NumbaPerformanceWarning NumbaDeprecationWarning "
                         "TypingError".split(),
    "numba.core.types": "float64 Array ArrayCompatible Opaque Type".split(),
    "numba.core.extending": "overload intrinsic register_model".split(),
    "numba.extending": "overload overload_method overload_attribute intrinsic _Intrinsic "
                       "typeof_impl type_callable lower_builtin box unbox NativeValue models "
                       "make_attribute_wrapper register_jitable is_jitted "
                       "get_cython_function_address".split(),
    "numba.core.config": "MACHINE_BITS DISABLE_JIT".split(),
    "numba.core.imputils": "lower_builtin impl_ret_borrowed impl_ret_new_ref "
                           "impl_ret_untracked".split(),
    "numba.core.typing.templates": "AbstractTemplate ConcreteTemplate AttributeTemplate "
                                   "signature infer_global infer".split(),
    "numba.core.datamodel": "models register_default".split(),
    "numba.core.datamodel.models": "StructModel OpaqueModel".split(),
    "numba.core.cgutils": "create_struct_proxy".split(),
    "numba.np.numpy_support": "from_dtype as_dtype".split(),
    "numba.core.runtime.nrt": "rtsys".split(),
    "numba.core.typing.cffi_utils": [],
    "numba.core.dispatcher": "Dispatcher".split(),
    "numba.typed": "List Dict".split(),
    "numba.experimental": "jitclass".split(),
    "numba_passthru": "PassThruContainer pass_thru_type PassThruType".split(),
}

SCRIPT = '''
import importlib, json, sys
paths = json.loads(sys.argv[1])
missing = []
for path, names in paths.items():
    module = importlib.import_module(path)
    missing += [f"{path}.{name}" for name in names if not hasattr(module, name)]
import numba, jitbridge
from numba.core.dispatcher import Dispatcher
from numba.core.runtime.nrt import rtsys
same = [numba is jitbridge, numba.core.types is jitbridge.types,
        numba.typed.List is jitbridge.typed.List, isinstance(numba.njit(lambda x: x), Dispatcher),
        rtsys.get_allocation_stats().alloc >= 0]
print(json.dumps({"missing": missing, "same": same}))
'''


def test_public_paths_import_under_their_numba_names(tmp_path):
    import json
    (tmp_path / "paths.py").write_text(textwrap.dedent(SCRIPT))
    done = subprocess.run([sys.executable, "-m", "jitbridge", "run", "paths.py",
                           json.dumps(PATHS)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["missing"] == []
    assert all(report["same"]), report["same"]
