"""TF1 dtypes: ``tf.float32`` and friends, with TensorFlow's DataType enum values."""
import numpy as np


class DType:
    """A tensor element type (``tf.float32``); reference types end in ``_ref``."""

    __slots__ = ("_enum",)

    def __init__(self, type_enum):
        self._enum = int(type_enum)

    @property
    def as_datatype_enum(self):
        return self._enum

    @property
    def _is_ref_dtype(self):
        return self._enum > 100

    @property
    def base_dtype(self):
        return _BY_ENUM[self._enum - 100] if self._enum > 100 else self

    @property
    def _as_ref(self):
        return self if self._enum > 100 else _BY_ENUM[self._enum + 100]

    @property
    def real_dtype(self):
        return self.base_dtype

    @property
    def name(self):
        base = _NAMES[self.base_dtype._enum]
        return base + "_ref" if self._enum > 100 else base

    @property
    def as_numpy_dtype(self):
        return _NUMPY[self.base_dtype._enum]

    @property
    def is_floating(self):
        return self.base_dtype._enum in (1, 2, 19, 14)

    @property
    def is_integer(self):
        return self.base_dtype._enum in (3, 4, 5, 6, 9, 17, 22, 23)

    @property
    def is_unsigned(self):
        return self.base_dtype._enum in (4, 17, 22, 23)

    @property
    def is_bool(self):
        return self.base_dtype._enum == 10

    @property
    def is_complex(self):
        return self.base_dtype._enum in (8, 18)

    @property
    def is_numpy_compatible(self):
        return self.base_dtype._enum in _NUMPY

    @property
    def is_quantized(self):
        return False

    @property
    def size(self):
        return np.dtype(self.as_numpy_dtype).itemsize if self._enum != 7 else 1

    @property
    def min(self):
        t = np.dtype(self.as_numpy_dtype)
        if self.is_floating:
            return float(np.finfo(t).min)
        if self.is_integer:
            return int(np.iinfo(t).min)
        if self.is_bool:
            return False
        raise TypeError("Cannot find minimum value of %s." % self)

    @property
    def max(self):
        t = np.dtype(self.as_numpy_dtype)
        if self.is_floating:
            return float(np.finfo(t).max)
        if self.is_integer:
            return int(np.iinfo(t).max)
        if self.is_bool:
            return True
        raise TypeError("Cannot find maximum value of %s." % self)

    def is_compatible_with(self, other):
        other = as_dtype(other)
        return self._enum in (other._enum, other.base_dtype._enum)

    def __eq__(self, other):
        if other is None:
            return False
        if not isinstance(other, DType):
            try:
                other = as_dtype(other)
            except TypeError:
                return False
        return self._enum == other._enum

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __reduce__(self):
        return as_dtype, (self.name,)

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return "<dtype: %r>" % self.name


_NAMES = {
    1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 7: "string",
    8: "complex64", 9: "int64", 10: "bool", 14: "bfloat16", 17: "uint16", 18: "complex128",
    19: "float16", 20: "resource", 21: "variant", 22: "uint32", 23: "uint64",
}
_NUMPY = {
    1: np.float32, 2: np.float64, 3: np.int32, 4: np.uint8, 5: np.int16, 6: np.int8,
    7: object, 8: np.complex64, 9: np.int64, 10: np.bool_, 17: np.uint16, 18: np.complex128,
    19: np.float16, 22: np.uint32, 23: np.uint64,
}
_BY_ENUM = {}
for _e in list(_NAMES):
    _BY_ENUM[_e] = DType(_e)
    _BY_ENUM[_e + 100] = DType(_e + 100)

float32 = _BY_ENUM[1]
float64 = _BY_ENUM[2]
double = float64
int32 = _BY_ENUM[3]
uint8 = _BY_ENUM[4]
int16 = _BY_ENUM[5]
int8 = _BY_ENUM[6]
string = _BY_ENUM[7]
complex64 = _BY_ENUM[8]
int64 = _BY_ENUM[9]
bool = _BY_ENUM[10]  # noqa: A001 - TF's name
bfloat16 = _BY_ENUM[14]
uint16 = _BY_ENUM[17]
complex128 = _BY_ENUM[18]
float16 = _BY_ENUM[19]
half = float16
resource = _BY_ENUM[20]
variant = _BY_ENUM[21]
uint32 = _BY_ENUM[22]
uint64 = _BY_ENUM[23]

float32_ref = _BY_ENUM[101]
float64_ref = _BY_ENUM[102]
int32_ref = _BY_ENUM[103]
int64_ref = _BY_ENUM[109]
bool_ref = _BY_ENUM[110]

_BY_NAME = {d.name: d for d in _BY_ENUM.values()}
_BY_NAME.update({"float": float32, "double": float64, "half": float16})

_NP_TO_DTYPE = {
    np.dtype(np.float32): float32, np.dtype(np.float64): float64, np.dtype(np.int32): int32,
    np.dtype(np.uint8): uint8, np.dtype(np.int16): int16, np.dtype(np.int8): int8,
    np.dtype(np.int64): int64, np.dtype(np.bool_): bool, np.dtype(np.uint16): uint16,
    np.dtype(np.uint32): uint32, np.dtype(np.uint64): uint64, np.dtype(np.float16): float16,
    np.dtype(np.complex64): complex64, np.dtype(np.complex128): complex128,
    np.dtype(object): string,
}


def as_dtype(type_value):
    """Converts a DType, enum value, name, numpy dtype or Python type to a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, int) and not isinstance(type_value, builtins_bool):
        if type_value in _BY_ENUM:
            return _BY_ENUM[type_value]
    elif isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
    else:
        if type_value is builtins_bool:
            return bool
        if type_value is builtins_float:
            return float32
        if type_value is builtins_int:
            return int32
        if type_value in (bytes, str):
            return string
        try:
            npd = np.dtype(type_value)
        except TypeError:
            npd = None
        if npd is not None:
            if npd.kind in ("S", "U"):
                return string
            if npd in _NP_TO_DTYPE:
                return _NP_TO_DTYPE[npd]
            if npd.byteorder == ">":  # big-endian data: the same type
                npd = npd.newbyteorder("=")
                if npd in _NP_TO_DTYPE:
                    return _NP_TO_DTYPE[npd]
    raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,))


import builtins as _builtins  # noqa: E402

builtins_bool = _builtins.bool
builtins_float = _builtins.float
builtins_int = _builtins.int

__all__ = [
    "DType", "as_dtype", "float32", "float64", "double", "int32", "uint8", "int16", "int8",
    "string", "complex64", "int64", "bool", "bfloat16", "uint16", "complex128", "float16",
    "half", "resource", "variant", "uint32", "uint64",
]
