"""`c.pyapi`: calls into the CPython C API from generated code.

Functions are declared from one signature table; each method mirrors a C-API function (names
follow Numba's `pyapi` where extension code expects them). Object pointers are i8*.
"""
from __future__ import annotations

import builtins

from llvmlite import ir

from . import cgutils, layout

pyobj = cgutils.voidptr_t
i32, i64, f64 = ir.IntType(32), ir.IntType(64), ir.DoubleType()
cstr = cgutils.voidptr_t

# name -> (return type, [argument types], varargs)
SIGNATURES = {
    "Py_IncRef": (ir.VoidType(), [pyobj]),
    "Py_DecRef": (ir.VoidType(), [pyobj]),
    "PyLong_FromLongLong": (pyobj, [i64]),
    "PyLong_FromUnsignedLongLong": (pyobj, [i64]),
    "PyLong_AsLongLong": (i64, [pyobj]),
    "PyLong_AsLongLongAndOverflow": (i64, [pyobj, i32.as_pointer()]),
    "PyNumber_Index": (pyobj, [pyobj]),
    "PyLong_AsUnsignedLongLong": (i64, [pyobj]),
    "PyNumber_Long": (pyobj, [pyobj]),
    "PyNumber_Float": (pyobj, [pyobj]),
    "PyFloat_FromDouble": (pyobj, [f64]),
    "PyFloat_AsDouble": (f64, [pyobj]),
    "PyBool_FromLong": (pyobj, [i64]),
    "PyComplex_FromDoubles": (pyobj, [f64, f64]),
    "PyComplex_RealAsDouble": (f64, [pyobj]),
    "PyComplex_ImagAsDouble": (f64, [pyobj]),
    "PyObject_IsTrue": (i32, [pyobj]),
    "PyObject_GetAttrString": (pyobj, [pyobj, cstr]),
    "PyObject_SetAttrString": (i32, [pyobj, cstr, pyobj]),
    "PyObject_Call": (pyobj, [pyobj, pyobj, pyobj]),
    "PyObject_CallFunctionObjArgs": (pyobj, [pyobj], True),
    "PyObject_CallMethodObjArgs": (pyobj, [pyobj, pyobj], True),
    "PyObject_Str": (pyobj, [pyobj]),
    "PyObject_Type": (pyobj, [pyobj]),
    "PyObject_IsInstance": (i32, [pyobj, pyobj]),
    "PyType_IsSubtype": (i32, [pyobj, pyobj]),
    "PyTuple_New": (pyobj, [i64]),
    "PyTuple_Pack": (pyobj, [i64], True),
    "PyTuple_SetItem": (i32, [pyobj, i64, pyobj]),
    "PyTuple_GetItem": (pyobj, [pyobj, i64]),
    "PyTuple_Size": (i64, [pyobj]),
    "PyDict_Size": (i64, [pyobj]),
    "PyDict_New": (pyobj, []),
    "PyDict_SetItemString": (i32, [pyobj, cstr, pyobj]),
    "PyDict_GetItem": (pyobj, [pyobj, pyobj]),
    "PyUnicode_FromString": (pyobj, [cstr]),
    "PyUnicode_FromStringAndSize": (pyobj, [cstr, i64]),
    "PyBytes_FromStringAndSize": (pyobj, [cstr, i64]),
    "PyBytes_AsString": (cstr, [pyobj]),
    "PyImport_ImportModule": (pyobj, [cstr]),
    "PyErr_Occurred": (pyobj, []),
    "PyErr_SetString": (ir.VoidType(), [pyobj, cstr]),
    "PyErr_Format": (pyobj, [pyobj, cstr], True),
    "_PyErr_FormatFromCause": (pyobj, [pyobj, cstr], True),
    "PyErr_SetObject": (ir.VoidType(), [pyobj, pyobj]),
    "PyErr_Clear": (ir.VoidType(), []),
    "PyErr_Fetch": (ir.VoidType(), [pyobj.as_pointer()] * 3),
    "PyErr_Restore": (ir.VoidType(), [pyobj] * 3),
    "PyErr_NormalizeException": (ir.VoidType(), [pyobj.as_pointer()] * 3),
    "PyException_SetTraceback": (i32, [pyobj, pyobj]),
    "PyErr_Print": (ir.VoidType(), []),
    "PyErr_WriteUnraisable": (ir.VoidType(), [pyobj]),
    "PyCapsule_New": (pyobj, [cgutils.voidptr_t, cstr, cgutils.voidptr_t]),
    "PyCapsule_GetPointer": (cgutils.voidptr_t, [pyobj, cstr]),
    "PyList_New": (pyobj, [i64]),
    "PyList_Size": (i64, [pyobj]),
    "PyList_GetItem": (pyobj, [pyobj, i64]),
    "PyList_SetItem": (i32, [pyobj, i64, pyobj]),
    "PyList_Append": (i32, [pyobj, pyobj]),
    "PyList_SetSlice": (i32, [pyobj, i64, i64, pyobj]),
    "PyList_AsTuple": (pyobj, [pyobj]),
    "PyArray_NewFromDescr": (pyobj, [pyobj, pyobj, i32, cgutils.voidptr_t, cgutils.voidptr_t,
                                     cgutils.voidptr_t, i32, pyobj]),
    "PyArray_DescrFromType": (pyobj, [i32]),
    "PyArray_SetBaseObject": (i32, [pyobj, pyobj]),
    "PyGILState_Ensure": (i32, []),
    "PyGILState_Check": (i32, []),
    "PyGILState_Release": (ir.VoidType(), [i32]),
    "PyEval_SaveThread": (cgutils.voidptr_t, []),
    "PyEval_RestoreThread": (ir.VoidType(), [cgutils.voidptr_t]),
}

#: C-API data symbols (type objects, singletons) used as i8 globals.
DATA_SYMBOLS = ("PyLong_Type", "PyFloat_Type", "PyBool_Type", "PyComplex_Type", "PyTuple_Type",
                "_Py_NoneStruct", "_Py_EllipsisObject", "_Py_TrueStruct", "_Py_FalseStruct",
                "PyExc_TypeError",
                "PyList_Type", "PyArray_Type", "PyExc_IndexError",
                "PyExc_ValueError", "PyExc_RuntimeError", "PyExc_SystemError")


def declare_capi(module: ir.Module, name: str) -> ir.Function:
    """Declare C-API function `name` (from SIGNATURES) in `module`."""
    restype, argtypes, *varargs = SIGNATURES[name]
    fnty = ir.FunctionType(restype, argtypes, var_arg=bool(varargs and varargs[0]))
    return cgutils.get_or_insert_function(module, fnty, name)


def capi_global(module: ir.Module, name: str):
    """Address of C-API data symbol `name` as an i8*."""
    gv = module.globals.get(name)
    if gv is None:
        gv = ir.GlobalVariable(module, ir.IntType(8), name=name)
        gv.linkage = "external"
    return gv


class PythonAPI:
    """C-API calls emitted through `builder` (the `c.pyapi` of box/unbox functions)."""

    def __init__(self, context, builder: ir.IRBuilder):
        self.context = context
        self.builder = builder
        self.module = builder.module
        self.pyobj = pyobj
        self.voidptr = cgutils.voidptr_t
        self.longlong = i64
        self.py_ssize_t = i64
        self.double = f64
        self.cstring = cstr

    def _call(self, name: str, *args):
        return self.builder.call(declare_capi(self.module, name), list(args))

    # -- references ---------------------------------------------------------------------------
    def incref(self, obj):
        self._call("Py_IncRef", obj)

    def decref(self, obj):
        self._call("Py_DecRef", obj)

    def get_null_object(self):
        return ir.Constant(pyobj, None)

    def borrow_none(self):
        return self.builder.bitcast(capi_global(self.module, "_Py_NoneStruct"), pyobj)

    def make_none(self):
        none = self.borrow_none()
        self.incref(none)
        return none

    def get_type_object(self, name: str):
        """Borrowed pointer to a builtin type object (e.g. "PyLong_Type")."""
        return self.builder.bitcast(capi_global(self.module, name), pyobj)

    def get_type(self, obj):
        """Py_TYPE(obj), borrowed."""
        typeptr = self.builder.gep(obj, [ir.Constant(i64, layout.OB_TYPE)])
        return self.builder.load(self.builder.bitcast(typeptr, pyobj.as_pointer()))

    # -- numbers ------------------------------------------------------------------------------
    def long_from_longlong(self, value):
        return self._call("PyLong_FromLongLong", value)

    def long_from_ulonglong(self, value):
        return self._call("PyLong_FromUnsignedLongLong", value)

    def long_as_longlong(self, obj):
        return self._call("PyLong_AsLongLong", obj)

    def long_fits_longlong(self, obj):
        """i1: int `obj` is in int64's range (no exception is ever set)."""
        overflow = cgutils.alloca_once(self.builder, i32)
        self._call("PyLong_AsLongLongAndOverflow", obj, overflow)
        return self.builder.icmp_signed("==", self.builder.load(overflow), ir.Constant(i32, 0))

    def long_as_ulonglong(self, obj):
        return self._call("PyLong_AsUnsignedLongLong", obj)

    # Py_ssize_t, long and long long are all i64 on the LP64 platforms jitbridge runs on
    # (core.layout checks the object layout at import): Numba's other spellings
    long_from_ssize_t = long_from_long = long_from_longlong
    long_as_ssize_t = long_as_long = long_as_longlong

    def number_long(self, obj):
        return self._call("PyNumber_Long", obj)

    def number_float(self, obj):
        return self._call("PyNumber_Float", obj)

    def float_from_double(self, value):
        return self._call("PyFloat_FromDouble", value)

    def float_as_double(self, obj):
        return self._call("PyFloat_AsDouble", obj)

    def bool_from_bool(self, bval):
        return self._call("PyBool_FromLong", self.builder.zext(bval, i64))

    def complex_from_doubles(self, real, imag):
        return self._call("PyComplex_FromDoubles", real, imag)

    def object_istrue(self, obj):
        return self._call("PyObject_IsTrue", obj)

    # -- objects ------------------------------------------------------------------------------
    def object_getattr_string(self, obj, attr: str):
        return self._call("PyObject_GetAttrString", obj, cgutils.const_cstring(
            self.module, attr))

    def object_setattr_string(self, obj, attr: str, value):
        return self._call("PyObject_SetAttrString", obj, cgutils.const_cstring(
            self.module, attr), value)

    def call(self, callee, args=None, kws=None):
        args = args if args is not None else self.tuple_pack([])
        return self._call("PyObject_Call", callee, args, kws or self.get_null_object())

    def call_function_objargs(self, callee, objargs):
        return self._call("PyObject_CallFunctionObjArgs", callee, *objargs,
                          self.get_null_object())

    def call_method(self, obj, method: str, objargs=()):
        name = self.string_from_string(method)
        result = self._call("PyObject_CallMethodObjArgs", obj, name, *objargs,
                            self.get_null_object())
        self.decref(name)
        return result

    def print_object(self, obj) -> None:
        """print(obj, end='') to sys.stdout (Numba's name; for `print_item` implementations);
        an error is printed as unraisable."""
        end = self.string_from_string("")
        keywords = self._call("PyDict_New")
        self._call("PyDict_SetItemString", keywords, cgutils.const_cstring(self.module, "end"), end)
        args = self.tuple_pack([obj])
        result = self.call(self.constant_object(builtins.print, "print"), args, keywords)
        for owned in (args, keywords, end):
            self.decref(owned)
        with self.builder.if_then(cgutils.is_null(self.builder, result), likely=False):
            self.err_write_unraisable(obj)
        with self.builder.if_then(cgutils.is_not_null(self.builder, result), likely=True):
            self.decref(result)

    def object_str(self, obj):
        return self._call("PyObject_Str", obj)

    def object_type(self, obj):
        return self._call("PyObject_Type", obj)

    def object_isinstance(self, obj, cls):
        return self._call("PyObject_IsInstance", obj, cls)

    def tuple_pack(self, items):
        return self._call("PyTuple_Pack", ir.Constant(i64, len(items)), *items)

    def tuple_new(self, count: int):
        return self._call("PyTuple_New", ir.Constant(i64, count))

    def tuple_setitem(self, tup, index: int, item):
        """Steals `item`."""
        return self._call("PyTuple_SetItem", tup, ir.Constant(i64, index), item)

    def tuple_getitem(self, tup, index: int):
        """Borrowed item."""
        return self._call("PyTuple_GetItem", tup, ir.Constant(i64, index))

    def tuple_size(self, tup):
        return self._call("PyTuple_Size", tup)

    def string_from_string(self, text: str):
        return self._call("PyUnicode_FromString", cgutils.const_cstring(
            self.module, text))

    def bytes_from_string_and_size(self, data, size):
        return self._call("PyBytes_FromStringAndSize", data, size)

    def import_module_noblock(self, name: str):
        return self._call("PyImport_ImportModule", cgutils.const_cstring(
            self.module, name))

    # -- errors -------------------------------------------------------------------------------
    def err_occurred(self):
        return self._call("PyErr_Occurred")

    def err_set_string(self, exctype, msg: str):
        return self._call("PyErr_SetString", self._exception_type(exctype),
                          cgutils.const_cstring(self.module, msg))

    def err_format(self, exctype, fmt: str, *values, from_cause: bool = False):
        """PyErr_Format(exctype, fmt, *values); chained from the pending error if from_cause."""
        name = "_PyErr_FormatFromCause" if from_cause else "PyErr_Format"
        return self._call(name, self._exception_type(exctype),
                          cgutils.const_cstring(self.module, fmt), *values)

    def call_jit_code(self, func, sig, args):
        """Numba's `c.pyapi.call_jit_code`: compile `func` for `sig` and call it from a box or
        unbox function; (is_error, result), the exception set as the Python error."""
        return self.context.call_jit_code(self.builder, func, sig, args)

    def raise_formatted(self, exctype, fmt: str, *values) -> None:
        """Raise `exctype(fmt % values)` from compiled code that may not hold the GIL (it is
        taken to set the error) and return the error status."""
        state = self.gil_ensure()
        self.err_format(exctype, fmt, *values)
        self.gil_release(state)
        self.context.call_conv.return_python_error(self.builder)

    def _exception_type(self, exctype):
        """An exception class: a value, or the name of a C-API one ("PyExc_TypeError")."""
        if not isinstance(exctype, str):
            return exctype
        return self.builder.load(self.builder.bitcast(capi_global(self.module, exctype),
                                                      pyobj.as_pointer()))

    def err_set_object(self, exctype, value):
        return self._call("PyErr_SetObject", exctype, value)

    def err_clear(self):
        return self._call("PyErr_Clear")

    def err_fetch(self, ptype, pvalue, ptb):
        return self._call("PyErr_Fetch", ptype, pvalue, ptb)

    def err_fetch_normalized(self):
        """Take the pending error: three i8** slots (type, value, traceback), normalised;
        the caller owns the references in them."""
        slots = [cgutils.alloca_once(self.builder, pyobj, zfill=True) for _ in range(3)]
        self.err_fetch(*slots)
        self._call("PyErr_NormalizeException", *slots)
        return slots

    def err_restore(self, ptype, pvalue, ptb):
        return self._call("PyErr_Restore", ptype, pvalue, ptb)

    def err_write_unraisable(self, obj):
        return self._call("PyErr_WriteUnraisable", obj)

    # -- serialisation ------------------------------------------------------------------------
    def serialize_object(self, obj, what: str = "the constant"):
        """A constant {i8* data, i64 size} pointer to the pickled `obj` (see `unserialize`);
        the context records it on its library (`what` describes it there)."""
        return self.context.serialize_constant(self.module, obj, what)

    def unserialize(self, structptr):
        """A new reference to the object pickled by `serialize_object` (NULL on error)."""
        fn = cgutils.get_or_insert_function(
            self.module, ir.FunctionType(pyobj, [structptr.type]), "jb_unpickle")
        return self.builder.call(fn, [structptr])

    def constant_object(self, obj, label: str = "const"):
        """A borrowed PyObject* for the Python object `obj`, deserialised on first use and
        cached in a module global (which keeps that reference for the module's lifetime).
        Recorded on the library: only this process has it when pickle cannot carry `obj`.
        A class importable by name is the address of its object symbol instead: a reference
        per module would outlive freed code, one for each recompile (tiered promotions)."""
        builder = self.builder
        symbol = self.context.importable_symbol(obj) \
            if isinstance(obj, type) and self.context is not None else None
        if symbol is not None:
            found = self.module.globals.get(symbol) or \
                ir.GlobalVariable(self.module, ir.IntType(8), symbol)
            return builder.bitcast(found, pyobj)
        slot = ir.GlobalVariable(self.module, pyobj, self.module.get_unique_name(f"jb.obj.{label}"))
        slot.linkage = "internal"
        slot.initializer = ir.Constant(pyobj, None)
        cached = cgutils.alloca_once_value(builder, builder.load(slot))
        with builder.if_then(cgutils.is_null(builder, builder.load(cached)), likely=False):
            fresh = self.unserialize(self.serialize_object(obj, f"the {label} object"))
            builder.store(fresh, slot)
            builder.store(fresh, cached)
        return builder.load(cached)

    def process_constant(self, getter, label: str = "const"):
        """A borrowed PyObject* for `getter()`, called once per process (`getter` is pickled
        into the code, so another process loading it calls its own); NULL, with no error set,
        if the call failed. For objects compared by identity with what this process made."""
        builder = self.builder
        slot = ir.GlobalVariable(self.module, pyobj, self.module.get_unique_name(f"jb.obj.{label}"))
        slot.linkage = "internal"
        slot.initializer = ir.Constant(pyobj, None)
        with builder.if_then(cgutils.is_null(builder, builder.load(slot)), likely=False):
            fresh = self.call_function_objargs(self.constant_object(getter, label), [])
            with builder.if_then(cgutils.is_null(builder, fresh), likely=False):
                self.err_clear()
            builder.store(fresh, slot)  # (the reference is kept for the process's lifetime)
        return builder.load(slot)

    # -- GIL ----------------------------------------------------------------------------------
    def gil_ensure(self):
        return self._call("PyGILState_Ensure")

    def gil_release(self, state):
        return self._call("PyGILState_Release", state)

    def save_thread(self):
        return self._call("PyEval_SaveThread")

    def restore_thread(self, state):
        return self._call("PyEval_RestoreThread", state)
