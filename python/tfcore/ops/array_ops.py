"""Array ops: creation (zeros, ones, fill, *_like), shape queries, reshaping,
joining/splitting, slicing (incl. ``Tensor.__getitem__``), gathering,
padding, tiling, selection and the list auto-packing tensor conversion.

Default node names, the nodes each call creates and the Python-level checks
follow TensorFlow 1.x (checked against TF): e.g. a small ``tf.zeros`` is a
Const named ``zeros`` while a large one is a ``Fill``; ``t[1:, 0]`` builds a
``StridedSlice`` named ``strided_slice`` with ``strided_slice/stack*``
begin/end/strides; ``tf.convert_to_tensor([t, 2.])`` builds a ``Pack`` named
``packed``.
"""
import numbers

import numpy as np

from tfcore.framework import constant_op
from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.framework.op_def_library import apply_op

__all__ = [
    "zeros", "ones", "fill", "zeros_like", "ones_like", "shape", "shape_n", "size", "rank",
    "reshape", "transpose", "concat", "stack", "unstack", "split", "slice", "strided_slice",
    "gather", "pad", "tile", "squeeze", "expand_dims", "one_hot", "where", "where_v2",
    "identity", "stop_gradient", "broadcast_to", "invert_permutation", "unsorted_segment_sum",
]

newaxis = None
_PySlice = slice  # the builtin; this module defines tf.slice below

_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                     "scalar tf.int32/tf.int64 tensors are valid indices")
_SLICE_DTYPES = (dtypes.int16, dtypes.int32, dtypes.int64)


def _op(op_type, name, **kwargs):
    return apply_op(op_type, name=name or op_type, **kwargs).outputs[0]


def _is_tensor(v):
    return isinstance(v, ops.Tensor)


def _shape_tensor(shape, name="shape_as_tensor"):
    """A constant from a fully known shape: int32, or int64 when a dim needs it."""
    dims = tensor_shape.as_shape(shape).as_list()
    if any(d is None for d in dims):
        raise ValueError("Cannot convert a partially known TensorShape %s to a Tensor."
                         % tensor_shape.as_shape(shape))
    dt = dtypes.int64 if any(d >= 2 ** 31 for d in dims) else dtypes.int32
    return constant_op.constant(dims, dtype=dt, name=name)


def _zero_of(dtype):
    if dtype == dtypes.bool:
        return False
    if dtype == dtypes.string:
        return ""
    return 0


def _filled(shape, value, dtype, name, default_name):
    """tf.zeros / tf.ones: a Const when small and fully known, else Fill."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    with ops.name_scope(name, default_name, [shape]) as scope:
        if not _is_tensor(shape):
            try:
                dims = tensor_shape.as_shape(shape).as_list()
                # As in TF, a scalar `shape` (tf.zeros(3)) always takes the Fill path.
                if np.ndim(shape) != 0 and all(d is not None for d in dims) and \
                        int(np.prod(dims)) < 1000:
                    return constant_op.constant(value, dtype=dtype, shape=dims, name=scope)
                shape = _shape_tensor(dims)
            except (TypeError, ValueError):
                shape = ops.convert_to_tensor(shape, dtype=dtypes.int32)
        if shape.shape.ndims == 0:
            shape = reshape(shape, [-1])
        return fill(shape, constant_op.constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with zeros (False / "" for bool / string)."""
    return _filled(shape, _zero_of(dtypes.as_dtype(dtype)), dtype, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with ones."""
    dt = dtypes.as_dtype(dtype)
    one = True if dt == dtypes.bool else 1
    return _filled(shape, one, dtype, name, "ones")


def fill(dims, value, name=None):
    return _op("Fill", name or "Fill", dims=dims, value=value)


def _shape_internal(input, name=None, optimize=True, out_type=None):  # noqa: A002
    with ops.name_scope(name, "Shape", [input]) as scope:
        input = ops.convert_to_tensor(input)
        s = input.shape
        if optimize and s.is_fully_defined():
            if out_type is None:
                return _shape_tensor(s)
            return constant_op.constant(s.as_list(), dtype=out_type, name=scope)
        return _op("Shape", scope, input=input, out_type=out_type or dtypes.int32)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and by default the dtype) of `tensor`."""
    with ops.name_scope(name, "zeros_like", [tensor]) as scope:
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        if optimize and tensor.shape.is_fully_defined():
            return zeros(tensor.shape, dtype=dtype or tensor.dtype, name=scope)
        if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
            return zeros(_shape_internal(tensor, optimize=optimize), dtype=dtype, name=scope)
        return _op("ZerosLike", scope, x=tensor)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and by default the dtype) of `tensor`."""
    with ops.name_scope(name, "ones_like", [tensor]) as scope:
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        ones_shape = _shape_internal(tensor, optimize=optimize)
        ret = ones(ones_shape, dtype=dtype or tensor.dtype.base_dtype, name=scope)
        ret.set_shape(tensor.shape)
        return ret


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002 - TF's name
    """The shape of `input` (a Const when fully known at graph time)."""
    return _shape_internal(input, name, optimize=True, out_type=dtypes.as_dtype(out_type))


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return apply_op("ShapeN", name=name or "ShapeN", input=list(input),
                    out_type=out_type).outputs


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    with ops.name_scope(name, "Size", [input]) as scope:
        input = ops.convert_to_tensor(input)
        if input.shape.is_fully_defined():
            return constant_op.constant(input.shape.num_elements(), dtype=out_type, name=scope)
        return _op("Size", scope, input=input, out_type=out_type)


def rank(input, name=None):  # noqa: A002
    with ops.name_scope(name, "Rank", [input]) as scope:
        input = ops.convert_to_tensor(input)
        if input.shape.ndims is not None:
            return constant_op.constant(input.shape.ndims, dtype=dtypes.int32, name=scope)
        return _op("Rank", scope, input=input)


def reshape(tensor, shape, name=None):  # noqa: F811 - TF's argument name
    return _op("Reshape", name or "Reshape", tensor=tensor, shape=shape)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permutes dims; without `perm`, reverses them."""
    with ops.name_scope(name, "transpose", [a]) as scope:
        if not _is_tensor(a):
            a = ops.convert_to_tensor(a, name="a")
        op_type = "ConjugateTranspose" if conjugate and a.dtype.is_complex else "Transpose"
        if perm is None:
            ndims = a.shape.ndims
            if not ndims:
                r = _op("Rank", "Rank", input=a)
                start = _op("Sub", "sub", x=r, y=1)
                perm = _op("Range", "Range", start=start, limit=-1, delta=-1)
            else:
                perm = np.arange(ndims - 1, -1, -1, dtype=np.int32)
        return _op(op_type, scope, x=a, perm=perm)


def concat(values, axis, name="concat"):
    """Joins `values` along `axis`."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with ops.name_scope(name):
            ax = ops.convert_to_tensor(axis, name="concat_dim", dtype=dtypes.int32)
            if ax.shape.ndims not in (None, 0):
                raise ValueError("Shape %s must have rank 0" % ax.shape)
            return identity(values[0], name=name)
    return _op("ConcatV2", name, values=list(values), axis=axis)


def stack(values, axis=0, name="stack"):
    """Packs a list of rank-R tensors into one rank-(R+1) tensor."""
    if axis == 0:
        try:
            # Constant lists become a Const; lists holding tensors auto-pack.
            return ops.convert_to_tensor(values, name=name)
        except (TypeError, ValueError, NotImplementedError):
            pass
    value_shape = ops.convert_to_tensor(values[0], name=name).shape
    if value_shape.ndims is not None:
        n = value_shape.ndims + 1
        if axis < -n or axis >= n:
            raise ValueError("Argument `axis` = %d not in range [%d, %d)" % (axis, -n, n))
    return _op("Pack", name, values=list(values), axis=axis)


def unstack(value, num=None, axis=0, name="unstack"):
    """Unpacks `value` along `axis` into a list of tensors."""
    if num is None:
        value = ops.convert_to_tensor(value)
        s = value.shape
        if s.ndims is not None:
            if axis < -s.ndims or axis >= s.ndims:
                raise ValueError("Argument `axis` = %d not in range [%d, %d)"
                                 % (axis, -s.ndims, s.ndims))
            num = s.as_list()[axis]
        if num is None:
            raise ValueError("Cannot infer argument `num` from shape %s" % s)
    return apply_op("Unpack", name=name, value=value, num=num, axis=axis).outputs


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits into `num_or_size_splits` equal pieces, or pieces of the given sizes."""
    if isinstance(num_or_size_splits, (numbers.Integral, tensor_shape.Dimension)) and \
            not isinstance(num_or_size_splits, bool):
        return apply_op("Split", name=name, split_dim=axis, value=value,
                        num_split=int(num_or_size_splits)).outputs
    size_splits = ops.convert_to_tensor(num_or_size_splits)
    if size_splits.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument "
                         "to split. Argument provided: %s" % (num_or_size_splits,))
    if num is None:
        if size_splits.shape.ndims:
            num = size_splits.shape.as_list()[0]
        if num is None:
            raise ValueError("Cannot infer argument `num` from shape %s" % (num_or_size_splits,))
    return apply_op("SplitV", name=name, value=value, size_splits=size_splits, split_dim=axis,
                    num_split=num).outputs


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's name
    return _op("Slice", name or "Slice", input=input_, begin=begin, size=size)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    if strides is None:
        strides = ones_like(begin)
    out = _op("StridedSlice", name or "StridedSlice", input=input_, begin=begin, end=end,
              strides=strides, begin_mask=begin_mask, end_mask=end_mask,
              ellipsis_mask=ellipsis_mask, new_axis_mask=new_axis_mask,
              shrink_axis_mask=shrink_axis_mask)
    if var is not None:
        # A slice of a variable can be assigned to, as in TF: v[1].assign(x).
        parent_name = name

        def assign(val, name=None):
            if name is None:
                name = parent_name + "_assign"
            return _op("StridedSliceAssign", name, ref=var._ref(), begin=begin, end=end,
                       strides=strides, value=val, begin_mask=begin_mask, end_mask=end_mask,
                       ellipsis_mask=ellipsis_mask, new_axis_mask=new_axis_mask,
                       shrink_axis_mask=shrink_axis_mask)
        out.assign = assign
    return out


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """Gathers slices of `params` along `axis` (TF1 tf.gather; a GatherV2 node)."""
    del validate_indices  # the CPU kernel always validates
    if axis is None:
        axis = batch_dims
    if _constant_int(axis) != 0:
        return _op("GatherV2", name or "GatherV2", params=params, indices=indices, axis=axis,
                   batch_dims=batch_dims)
    # axis 0: like TF1, batch_dims is not passed on (TF1's tf.gather drops it here).
    if hasattr(params, "sparse_read") and not _is_tensor(params):
        return params.sparse_read(indices, name=name)
    return _op("GatherV2", name or "GatherV2", params=params, indices=indices, axis=axis)


def _constant_int(v):
    """The value of a Python / numpy / Const-tensor integer, else None."""
    if _is_tensor(v):
        if v.op.type != "Const":
            return None
        v = v.op._attr_value("value")
    try:
        a = np.asarray(v)
    except (TypeError, ValueError):
        return None
    return int(a) if a.size == 1 and a.dtype.kind in "iu" else None


def _constant_paddings(paddings):
    """Paddings as a list of [before, after] (None where unknown), or None."""
    if _is_tensor(paddings):
        if paddings.op.type != "Const":
            return None
        paddings = paddings.op._attr_value("value")
    try:
        arr = np.asarray(paddings)
    except (TypeError, ValueError):
        return None
    if arr.ndim != 2 or arr.dtype == object:
        return None
    return arr.tolist()


def _is_zero(v):
    """v equals the zero of its own type (0, 0.0, False, "")."""
    try:
        return bool(np.asarray(v) == np.zeros_like(v))
    except (TypeError, ValueError):
        return False


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums the rows of `data` sharing a segment id into row `id` of a
    [num_segments] + data.shape[rank(segment_ids):] result (negative ids are
    dropped; ids >= num_segments fail at run time)."""
    return _op("UnsortedSegmentSum", name or "UnsortedSegmentSum", data=data,
               segment_ids=segment_ids, num_segments=num_segments)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Pads `tensor` (CONSTANT, REFLECT or SYMMETRIC, case-insensitive)."""
    mode = mode.upper()
    if mode == "CONSTANT":
        if not _is_tensor(constant_values) and np.ndim(constant_values) == 0 and \
                _is_zero(constant_values):
            result = _op("Pad", name or "Pad", input=tensor, paddings=paddings)
        else:
            result = _op("PadV2", name or "PadV2", input=tensor, paddings=paddings,
                         constant_values=constant_values)
    elif mode in ("REFLECT", "SYMMETRIC"):
        result = _op("MirrorPad", name or "MirrorPad", input=tensor, paddings=paddings, mode=mode)
    else:
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                         'or "SYMMETRIC". Received `mode` = %s' % mode)
    # Restore static dims the shape function could not see (non-constant paddings).
    consts = _constant_paddings(paddings)
    in_shape = result.op.inputs[0].shape
    if in_shape.ndims is not None and not result.shape.is_fully_defined() and consts is not None \
            and len(consts) == in_shape.ndims:
        new = []
        for p, d in zip(consts, in_shape.as_list()):
            new.append(None if d is None or any(x is None for x in p) else d + sum(p))
        result.set_shape(new)
    return result


def tile(input, multiples, name=None):  # noqa: A002
    return _op("Tile", name or "Tile", input=input, multiples=multiples)


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """Removes size-1 dims (all of them, or those in `axis`)."""
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'squeeze_dims'.")
        axis = squeeze_dims
    if axis is None:
        axis = []
    elif np.isscalar(axis):
        axis = [axis]
    return _op("Squeeze", name or "Squeeze", input=input, squeeze_dims=[int(a) for a in axis])


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """Inserts a size-1 dim at `axis`."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'.")
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return _op("ExpandDims", name or "ExpandDims", input=input, dim=axis)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot encoding: `on_value` where indices[...] == i, else `off_value`."""
    with ops.name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        on_dtype = off_dtype = None
        if on_value is not None:
            on_value = ops.convert_to_tensor(on_value, dtype=dtype)
            on_dtype = on_value.dtype.base_dtype
        if off_value is not None:
            off_value = ops.convert_to_tensor(off_value, dtype=dtype)
            off_dtype = off_value.dtype.base_dtype
        if on_dtype is not None or off_dtype is not None:
            if dtype is not None:
                dtype = dtypes.as_dtype(dtype)
                for d, n in ((on_dtype, "on_value"), (off_dtype, "off_value")):
                    if d is not None and d != dtype:
                        raise TypeError("dtype {0} of {1} does not match dtype parameter {2}"
                                        .format(d, n, dtype))
            else:
                dtype = on_dtype if on_dtype is not None else off_dtype
        elif dtype is None:
            dtype = dtypes.float32
        dtype = dtypes.as_dtype(dtype)
        if on_value is None:
            on_value = ops.convert_to_tensor(True if dtype == dtypes.bool else 1, dtype,
                                             name="on_value")
            on_dtype = dtype
        if off_value is None:
            off_value = ops.convert_to_tensor(False if dtype == dtypes.bool else 0, dtype,
                                              name="off_value")
            off_dtype = dtype
        if on_dtype != off_dtype:
            raise TypeError("dtype {0} of on_value does not match dtype {1} of off_value"
                            .format(on_dtype, off_dtype))
        return _op("OneHot", scope, indices=indices, depth=depth, on_value=on_value,
                   off_value=off_value, axis=-1 if axis is None else axis)


def where(condition, x=None, y=None, name=None):
    """TF1 tf.where: coordinates of true elements (1 arg) or Select (3 args)."""
    if x is None and y is None:
        with ops.name_scope(name, "Where", [condition]) as scope:
            condition = ops.convert_to_tensor(condition, preferred_dtype=dtypes.bool,
                                              name="condition")
            return _op("Where", scope, input=condition)
    if x is not None and y is not None:
        return _op("Select", name or "Select", condition=condition, t=x, e=y)
    raise ValueError("x and y must both be non-None or both be None.")


def where_v2(condition, x=None, y=None, name=None):
    """tf.where_v2: like where, but x/y/condition broadcast (SelectV2)."""
    if x is None and y is None:
        return where(condition, name=name)
    if x is not None and y is not None:
        return _op("SelectV2", name or "SelectV2", condition=condition, t=x, e=y)
    raise ValueError("x and y must both be non-None or both be None.")


def identity(input, name=None):  # noqa: A002
    return _op("Identity", name or "Identity", input=input)


def stop_gradient(input, name=None):  # noqa: A002
    return _op("StopGradient", name or "StopGradient", input=input)


def prevent_gradient(input, message="", name=None):  # noqa: A002
    return _op("PreventGradient", name or "PreventGradient", input=input, message=message)


def broadcast_to(input, shape, name=None):  # noqa: A002
    return _op("BroadcastTo", name or "BroadcastTo", input=input, shape=shape)


def invert_permutation(x, name=None):
    return _op("InvertPermutation", name or "InvertPermutation", x=x)


# ------------------------------------------------------------------ __getitem__

def _check_index(idx):
    if isinstance(idx, (numbers.Integral, tensor_shape.Dimension)) and not isinstance(idx, bool):
        return
    dtype = getattr(idx, "dtype", None)
    ok = False
    if dtype is not None and not isinstance(idx, bool):
        try:
            ok = dtypes.as_dtype(dtype).base_dtype in _SLICE_DTYPES
        except TypeError:
            ok = False
        shp = getattr(idx, "shape", None)
        ndims = getattr(shp, "ndims", None) if hasattr(shp, "ndims") else (
            None if shp is None else len(shp))
        if ok and ndims == 1:
            ok = False
    if not ok:
        raise TypeError(_SLICE_TYPE_ERROR + ", got {!r}".format(idx))


def _plus_one(s):
    return s + 1  # a Tensor index makes an AddV2 node "add", as in TF


def _slice_helper(tensor, slice_spec, var=None):
    """Tensor.__getitem__: numpy-style basic indexing as one StridedSlice node."""
    tensor = ops.convert_to_tensor(tensor)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for index, s in enumerate(slice_spec):
        if isinstance(s, _PySlice):
            dtype = None
            for t in (s.start, s.stop, s.step):
                if _is_tensor(t):
                    bd = t.dtype.base_dtype
                    if bd == dtypes.int64:
                        dtype = dtypes.int64
                    elif bd == dtypes.int32 and dtype != dtypes.int64:
                        dtype = dtypes.int32
                    elif bd == dtypes.int16 and dtype is None:
                        dtype = dtypes.int16

            def default(v):
                return constant_op.constant(v, dtype=dtype) if dtype is not None else v

            def given(v):
                return v is not None and not (isinstance(v, tensor_shape.Dimension) and
                                              v.value is None)
            if given(s.start):
                _check_index(s.start)
                begin.append(s.start)
            else:
                begin.append(default(0))
                begin_mask |= 1 << index
            if given(s.stop):
                _check_index(s.stop)
                end.append(s.stop)
            else:
                end.append(default(0))
                end_mask |= 1 << index
            if given(s.step):
                _check_index(s.step)
                strides.append(s.step)
            else:
                strides.append(default(1))
        elif s is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            ellipsis_mask |= 1 << index
        elif s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            new_axis_mask |= 1 << index
        else:
            _check_index(s)
            begin.append(s)
            end.append(_plus_one(s))
            if _is_tensor(s) and s.dtype.base_dtype in (dtypes.int16, dtypes.int64):
                strides.append(constant_op.constant(1, dtype=s.dtype.base_dtype))
            else:
                strides.append(1)
            shrink_axis_mask |= 1 << index

    with ops.name_scope(None, "strided_slice", [tensor] + begin + end + strides) as scope:
        if begin:
            packed = [stack(begin), stack(end), stack(strides)]
            kinds = [p.dtype.base_dtype for p in packed]
            for wide in (dtypes.int64, dtypes.int16):
                if wide in kinds:
                    from tfcore.ops import math_ops
                    packed = [p if p.dtype.base_dtype == wide else math_ops.cast(p, wide)
                              for p in packed]
                    break
        else:
            empty = constant_op.constant([], dtype=dtypes.int32)
            packed = [empty, empty, empty]
        return strided_slice(tensor, packed[0], packed[1], packed[2], begin_mask=begin_mask,
                             end_mask=end_mask, shrink_axis_mask=shrink_axis_mask,
                             new_axis_mask=new_axis_mask, ellipsis_mask=ellipsis_mask,
                             var=var, name=scope)

ops.Tensor._override_operator("__getitem__", _slice_helper)


# ------------------------------------------------------------ auto-packing

def _flatten(v):
    if isinstance(v, (list, tuple)):
        for x in v:
            yield from _flatten(x)
    else:
        yield v


def _tensor_like(v):
    """A Tensor, or something (a Variable) that converts to one."""
    if _is_tensor(v):
        return True
    if isinstance(v, (list, tuple, np.ndarray, np.generic, numbers.Number, str, bytes)) or \
            v is None:
        return False
    return hasattr(v, "dtype") and hasattr(v, "op") and hasattr(v, "graph")


def _nested_dtype(v):
    for x in _flatten(v):
        if _tensor_like(x):
            return dtypes.as_dtype(x.dtype).base_dtype
    return None


def _pack_nested(v, dtype, name):
    """Packs a (nested) list holding tensors; returns the list when none is inside."""
    must_pack = False
    items = []
    with ops.name_scope(name) as scope:
        for i, x in enumerate(v):
            if _tensor_like(x):
                x = ops.convert_to_tensor(x)
                if dtype is not None and x.dtype.base_dtype != dtype:
                    raise TypeError("Cannot convert a list containing a tensor of dtype %s to %s "
                                    "(Tensor is: %r)" % (x.dtype, dtype, x))
                must_pack = True
            elif isinstance(x, (list, tuple)):
                x = _pack_nested(x, dtype, str(i))
                if _is_tensor(x):
                    if dtype is not None and x.dtype.base_dtype != dtype:
                        raise TypeError("Cannot convert a list containing a tensor of dtype %s "
                                        "to %s (Tensor is: %r)" % (x.dtype, dtype, x))
                    must_pack = True
            items.append(x)
        if not must_pack:
            return items
        tensors = [x if _is_tensor(x) else constant_op.constant(x, dtype=dtype, name=str(i))
                   for i, x in enumerate(items)]
        return _op("Pack", scope, values=tensors)


def _cast_nested(v, dtype):
    if isinstance(v, (list, tuple)):
        return [_cast_nested(x, dtype) for x in v]
    if _tensor_like(v):
        v = ops.convert_to_tensor(v)
        if v.dtype.base_dtype != dtype:
            from tfcore.ops import math_ops
            return math_ops.cast(v, dtype)
    return v


def _autopacking_conversion(v, dtype=None, name=None, as_ref=False):
    """convert_to_tensor([t1, 2.0]) -> Pack(t1, Const 2.0), as TF's auto-packing."""
    if as_ref:
        return NotImplemented
    inferred = _nested_dtype(v)
    if inferred is None:
        return NotImplemented
    if dtype is None:
        dtype = inferred
    else:
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype != inferred:
            v = _cast_nested(v, dtype)
    return _pack_nested(v, dtype, name or "packed")


ops.register_tensor_conversion_function((list, tuple), _autopacking_conversion, 99)
