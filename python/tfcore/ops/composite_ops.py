"""TF1 functions that TensorFlow itself builds from other ops (no kernel of
their own): log_sigmoid, reduce_variance/std, matrix_transpose, eye,
sequence_mask, nn.swish, nn.crelu, nn.zero_fraction, xdivy, linspace."""
import numpy as np

from tfcore.framework import constant_op
from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework.op_def_library import apply_op

__all__ = ["log_sigmoid", "reduce_variance", "reduce_std", "matrix_transpose", "eye",
           "sequence_mask", "xdivy", "get_seed", "linspace", "lin_space"]
_nn_exports = ["swish", "crelu", "zero_fraction"]


def get_seed(op_seed):
    from tfcore.framework import random_seed
    return random_seed.get_seed(op_seed)


def _out(op, name, **kw):
    return apply_op(op, name=name, **kw).outputs[0]


def log_sigmoid(x, name=None):
    """log(sigmoid(x)) = -softplus(-x), stable for large |x|."""
    with ops.name_scope(name, "LogSigmoid", [x]) as name:
        x = ops.convert_to_tensor(x, name="x")
        neg = _out("Neg", "Neg", x=x)
        sp = _out("Softplus", "Softplus", features=neg)
        return _out("Neg", name, x=sp)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    from tfcore.ops import math_ops, reduction_ops
    with ops.name_scope(name, "reduce_variance", [input_tensor]) as name:
        x = ops.convert_to_tensor(input_tensor, name="input_tensor")
        means = reduction_ops.reduce_mean(x, axis=axis, keepdims=True)
        if not x.dtype.is_floating:
            raise TypeError("Input must be either real or complex. Received integer type %s."
                            % x.dtype)
        squared = math_ops.squared_difference(x, means)
        return reduction_ops.reduce_mean(squared, axis=axis, keepdims=keepdims, name=name)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    from tfcore.ops import math_ops
    with ops.name_scope(name, "reduce_std", [input_tensor]) as name:
        x = ops.convert_to_tensor(input_tensor, name="input_tensor")
        variance = reduce_variance(x, axis=axis, keepdims=keepdims)
        return math_ops.sqrt(variance, name=name)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the last two dimensions."""
    from tfcore.ops import array_ops
    with ops.name_scope(name, values=[a]):
        a = ops.convert_to_tensor(a, name="a")
        ndims = a.get_shape().ndims
        if ndims is not None:
            if ndims < 2:
                raise ValueError("Argument `a` should be a (batch) matrix with rank >= 2.  "
                                 "Received `a` = %s with shape: %s" % (a, a.get_shape()))
            perm = list(range(ndims - 2)) + [ndims - 1, ndims - 2]
        else:
            from tfcore.ops import reduction_ops
            rank = array_ops.rank(a)
            perm = array_ops.concat([reduction_ops.range(rank - 2), [rank - 1, rank - 2]], axis=0)
        return array_ops.transpose(a, perm=perm)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """Identity matrix (or batch of them)."""
    from tfcore.ops import array_ops
    with ops.name_scope(name, default_name="eye", values=[num_rows, num_columns, batch_shape]):
        dtype = dtypes.as_dtype(dtype)
        static = all(isinstance(v, (int, np.integer)) or v is None
                     for v in (num_rows, num_columns))
        if static and (batch_shape is None or all(isinstance(b, (int, np.integer))
                                                  for b in batch_shape)):
            m = num_rows if num_columns is None else num_columns
            value = np.eye(num_rows, m, dtype=dtype.as_numpy_dtype)
            if batch_shape is not None:
                value = np.broadcast_to(value, tuple(batch_shape) + value.shape).copy()
            return constant_op.constant(value, dtype=dtype)
        from tfcore.ops import math_ops, reduction_ops
        n = ops.convert_to_tensor(num_rows, dtype=dtypes.int32)
        m = n if num_columns is None else ops.convert_to_tensor(num_columns, dtype=dtypes.int32)
        rows = array_ops.expand_dims(reduction_ops.range(n), 1)
        cols = array_ops.expand_dims(reduction_ops.range(m), 0)
        out = math_ops.cast(math_ops.equal(rows, cols), dtype)
        if batch_shape is not None:
            shape = array_ops.concat([ops.convert_to_tensor(batch_shape, dtype=dtypes.int32),
                                      array_ops.stack([n, m])], 0)
            out = array_ops.broadcast_to(out, shape)
        return out


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """mask[i..., j] = j < lengths[i...]."""
    from tfcore.ops import array_ops, math_ops, reduction_ops
    with ops.name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = ops.convert_to_tensor(lengths)
        if maxlen is None:
            maxlen = reduction_ops.reduce_max(lengths, axis=None)
            maxlen = math_ops.maximum(ops.convert_to_tensor(0, dtype=maxlen.dtype), maxlen)
        else:
            maxlen = ops.convert_to_tensor(maxlen)
        if maxlen.get_shape().ndims is not None and maxlen.get_shape().ndims != 0:
            raise ValueError("Argument `maxlen` must be scalar for sequence_mask, "
                             "received `maxlen` = %s with shape '%s' instead"
                             % (maxlen, maxlen.get_shape()))
        row_vector = reduction_ops.range(ops.convert_to_tensor(0, dtype=maxlen.dtype), maxlen,
                                         1)
        matrix = math_ops.cast(array_ops.expand_dims(lengths, -1), maxlen.dtype)
        result = math_ops.less(row_vector, matrix)
        dtype = dtypes.as_dtype(dtype)
        if dtype == dtypes.bool:
            return result
        return math_ops.cast(result, dtype)


def xdivy(x, y, name=None):
    """x / y, 0 where x == 0."""
    from tfcore.ops import array_ops, math_ops
    with ops.name_scope(name, "Xdivy", [x, y]) as name:
        x = ops.convert_to_tensor(x, name="x")
        y = ops.convert_to_tensor(y, name="y", dtype=x.dtype)
        zero = array_ops.zeros_like(x)
        q = math_ops.truediv(x, y)
        return array_ops.where_v2(math_ops.equal(x, zero), array_ops.zeros_like(q), q, name=name)


def swish(features, beta=1.0, name=None):
    from tfcore.ops import math_ops
    with ops.name_scope(name, "swish", [features]) as name:
        features = ops.convert_to_tensor(features, name="features")
        if beta == 1.0:
            return math_ops.multiply(features, math_ops.sigmoid(features), name=name)
        return math_ops.multiply(features, math_ops.sigmoid(beta * features), name=name)


def crelu(features, name=None, axis=-1):
    from tfcore.ops import array_ops, nn_ops
    with ops.name_scope(name, "CRelu", [features]) as name:
        features = ops.convert_to_tensor(features, name="features")
        c = array_ops.concat([features, -features], axis, name=name)
        return nn_ops.relu(c)


def zero_fraction(value, name=None):
    """Fraction of zeros in value (float32)."""
    from tfcore.ops import math_ops, reduction_ops
    with ops.name_scope(name, "zero_fraction", [value]):
        value = ops.convert_to_tensor(value, name="value")
        zero = ops.convert_to_tensor(0, dtype=value.dtype)
        return reduction_ops.reduce_mean(math_ops.cast(math_ops.equal(value, zero),
                                                       dtypes.float32))


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` inclusive (scalar ends).

    As TF computes it: start + i * (stop - start) / (num - 1) for i < num - 1, and
    `stop` itself last; num == 1 gives [start]. The result is named like TF's
    ("linspace/Slice")."""
    from tfcore.ops import array_ops, math_ops
    if axis != 0:
        raise NotImplementedError("linspace: only axis=0 is supported")
    with ops.name_scope(name, "linspace", [start, stop]):
        start = ops.convert_to_tensor(start, name="start")
        stop = ops.convert_to_tensor(stop, name="stop", dtype=start.dtype)
        num_t = ops.convert_to_tensor(num, name="num")
        if not num_t.dtype.is_integer:
            raise TypeError("linspace: num must be an integer, got %s" % num_t.dtype.name)
        if start.get_shape().ndims not in (None, 0) or stop.get_shape().ndims not in (None, 0):
            raise ValueError("linspace: start and stop must be scalars")
        dtype = start.dtype.base_dtype
        if not dtype.is_floating:
            raise TypeError("Value for attr 'T' of %s is not in the list of allowed values: "
                            "bfloat16, half, float, double" % dtype.name)
        n = math_ops.cast(num_t, dtypes.int32)
        steps = math_ops.maximum(n - 1, 1)
        delta = (stop - start) / math_ops.cast(steps, dtype)
        from tfcore.ops import reduction_ops
        idx = math_ops.cast(reduction_ops.range(0, math_ops.maximum(n - 1, 0)), dtype)
        body = idx * delta + start
        last = array_ops.where(math_ops.greater(n, 1), stop, start)
        out = array_ops.concat([body, array_ops.reshape(last, [1])], 0)
        from tfcore.framework import tensor_util
        known = tensor_util.constant_value(num_t)
        size = [max(int(known), 0)] if known is not None else array_ops.reshape(n, [1])
        return array_ops.slice(out, [0], size, name="Slice")


lin_space = linspace
