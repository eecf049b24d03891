"""Which imports a pickle may make: the allowlist and the known dangers.

:data:`ALLOWED_GLOBALS` is what real PyTorch and NumPy checkpoints need and
nothing else; an import outside it quarantines the file, in words that say
what the import could do when it is a known danger (:func:`danger_of`).
Names are compared as the unpickler imports them (:func:`normalise_global`).
"""

from __future__ import annotations

import _compat_pickle

_TORCH_STORAGES = """
    DoubleStorage FloatStorage HalfStorage BFloat16Storage LongStorage
    IntStorage ShortStorage CharStorage ByteStorage BoolStorage
    ComplexFloatStorage ComplexDoubleStorage QUInt8Storage QInt8Storage
    QInt32Storage QUInt4x2Storage QUInt2x4Storage UntypedStorage
""".split()  # noqa: SIM905 - word lists read better than quoted rows
# Non-callable constants that torch pickles by name: dtypes (a state dict of
# dtypes, or _rebuild_tensor_v3's dtype argument), quantization schemes,
# layouts and memory formats.
_TORCH_CONSTANTS = """
    float32 float float64 double float16 half bfloat16 complex32 chalf
    complex64 cfloat complex128 cdouble uint8 uint16 uint32 uint64 int8 int16
    short int32 int int64 long bool float8_e4m3fn float8_e4m3fnuz float8_e5m2
    float8_e5m2fnuz float8_e8m0fnu float4_e2m1fn_x2 quint8 qint8 qint32
    quint4x2 quint2x4 per_tensor_affine per_channel_affine
    per_tensor_symmetric per_channel_symmetric per_channel_affine_float_qparams
    strided sparse_coo sparse_csr sparse_csc sparse_bsr sparse_bsc
    contiguous_format channels_last channels_last_3d preserve_format
""".split()  # noqa: SIM905
_TORCH_REBUILD = """
    _rebuild_tensor _rebuild_tensor_v2 _rebuild_tensor_v3 _rebuild_parameter
    _rebuild_parameter_with_state _rebuild_qtensor _rebuild_sparse_tensor
""".split()  # noqa: SIM905

ALLOWED_GLOBALS: frozenset[tuple[str, str]] = frozenset(
    [
        # torch.save writes one of these per tensor: they rebuild a tensor
        # (or Parameter) as a view over a storage the loader supplies.
        *(("torch._utils", name) for name in _TORCH_REBUILD),
        # Tensor subclasses: calls an allowlisted rebuild function, then
        # as_subclass with a class that must itself be allowlisted.
        ("torch._tensor", "_rebuild_from_type_v2"),
        ("torch", "Tensor"),
        ("torch.nn.parameter", "Parameter"),
        # Storage classes named in persistent ids; the loader maps them to
        # the raw bytes of data/<n>.
        *(("torch", name) for name in _TORCH_STORAGES),
        ("torch.storage", "UntypedStorage"),
        ("torch", "Size"),  # a tuple of ints
        ("torch", "device"),  # parses a string such as "cpu"
        *(("torch", name) for name in _TORCH_CONSTANTS),
        # Every state_dict is an OrderedDict.
        ("collections", "OrderedDict"),
        # Protocol-2 pickles (torch.save's default) store bytes as
        # _codecs.encode(text, "latin1"); codec lookup only imports modules
        # inside the standard ``encodings`` package.
        ("_codecs", "encode"),
        # Plain containers some state dicts hold (protocol 2 spells them
        # __builtin__.set and so on; names are normalised before this check).
        *(("builtins", name) for name in ("set", "frozenset", "bytearray")),
        *(("builtins", name) for name in ("slice", "complex")),
        # NumPy arrays and scalars, under numpy 1 (numpy.core) and numpy 2
        # (numpy._core) names; _frombuffer is protocol 5's array rebuild.
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        *(
            (f"numpy.{core}.{module}", name)
            for core in ("core", "_core")
            for module, name in (
                ("multiarray", "_reconstruct"),
                ("multiarray", "scalar"),
                ("numeric", "_frombuffer"),
            )
        ),
    ]
)

# Imports that are not merely "not allowed" but known to be dangerous, with
# what they let a pickle do, in words for the owner. Keys are modules
# ("os") or exact "module.name" pairs ("builtins.eval").
_DANGER_GROUPS = {
    "can run commands on the machine that loads this file": """
        os posix nt subprocess pty commands platform
    """,
    "can run arbitrary Python code when the file is loaded": """
        builtins.eval builtins.exec builtins.compile builtins.breakpoint
        builtins.input runpy code codeop timeit cProfile profile pdb bdb trace
        types marshal pickle _pickle dill cloudpickle joblib torch.load
        torch.serialization torch.jit numpy.load numpy.f2py numpy.testing
    """,
    "can reach any other function, including ones that run commands": """
        builtins.getattr builtins.setattr builtins.delattr builtins.__import__
        builtins.globals builtins.vars builtins.locals importlib pkgutil pydoc
        operator.attrgetter operator.methodcaller operator.itemgetter
        _operator.attrgetter _operator.methodcaller _operator.itemgetter
        functools.partial functools.reduce sys inspect
    """,
    "can read, overwrite or delete files": """
        builtins.open io _io shutil tempfile pathlib glob logging.FileHandler
        zipfile tarfile
    """,
    "can connect to other machines over the network": """
        socket ssl http urllib requests httpx aiohttp smtplib ftplib webbrowser
        asyncio
    """,
    "can call native code directly": "ctypes _ctypes cffi",
}
_DANGER: dict[str, str] = {
    name: what for what, names in _DANGER_GROUPS.items() for name in names.split()
}

_ALIASES = {"posix": "os", "nt": "os", "_io": "io", "_operator": "operator"}


def normalise_global(module: str, name: str) -> tuple[str, str]:
    """The (module, name) the unpickler imports for a protocol < 3 pickle.

    ``__builtin__.set`` becomes ``builtins.set`` and ``commands`` becomes
    ``subprocess``, as ``pickle``'s ``fix_imports`` does.
    """
    if (module, name) in _compat_pickle.NAME_MAPPING:
        mapped_module, mapped_name = _compat_pickle.NAME_MAPPING[(module, name)]
        return mapped_module, mapped_name
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def danger_of(module: str, name: str) -> str | None:
    """What a non-allowlisted import can do, if it is a known danger."""
    for mod in (module, normalise_global(module, name)[0]):
        qualified = f"{mod}.{name}"
        if qualified in _DANGER:
            return _DANGER[qualified]
        parts = mod.split(".")
        for cut in range(len(parts), 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in _DANGER:
                return _DANGER[prefix]
    return None


def display_global(module: str, name: str) -> str:
    shown = f"{module}.{name}"
    alias = _ALIASES.get(module)
    if alias:
        shown += f" (the same as {alias}.{name})"
    return shown
