"""tf.TensorArray (TF1 API) as a value that flows through tf.while_loop.

A TensorArray's whole state is one value tensor, its `flow`: the elements
stacked along a new leading dimension, shape [size] + element_shape (a
zero-filled [size] vector while the element shape is still unknown, widened
by the first write). Every write returns a new TensorArray object over a new
flow (TfcoreTensorArrayScatter, ops/tensor_array_ops.cc), exactly as TF1 code
is written (`ta = ta.write(i, x)`), so tf.while_loop carries a TensorArray as
an ordinary loop variable: while_loop flattens it to its flow and rebuilds it
on the way out. Reads, stack and gather slice the flow. The static element
shape inferred from writes (infer_shape=True) is shared by every TensorArray
derived from the same one, as in TF1.

Not modelled: TF1's "already written"/"already read" errors (clear_after_read),
reads of never-written elements (they read zeros), and concat/split of
elements of different lengths (split needs equal lengths).
"""
import numpy as np

from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.framework.op_def_library import apply_op

__all__ = ["TensorArray"]


class _Shared:
    """State shared by all TensorArrays derived from one tf.TensorArray."""

    def __init__(self, element_shape, infer_shape, dynamic_size, static_size):
        self.element_shape = element_shape
        self.infer_shape = infer_shape
        self.dynamic_size = dynamic_size
        self.static_size = static_size   # int when known and not dynamic_size


class TensorArray:
    """TF1 tf.TensorArray: a list of same-dtype tensors usable in while_loop."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        from tfcore.ops import array_ops
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        if handle is not None and flow is None:
            raise ValueError("flow must not be None if handle is not None.")
        if flow is not None:
            self._flow = ops.convert_to_tensor(flow)
            self._shared = _Shared(tensor_shape.as_shape(element_shape)
                                   if element_shape is not None else tensor_shape.unknown_shape(),
                                   infer_shape, bool(dynamic_size), None)
            return
        if size is None:
            raise ValueError("Size must be provided if handle is not provided")
        dynamic_size = bool(dynamic_size)
        elem = (tensor_shape.as_shape(element_shape) if element_shape is not None
                else tensor_shape.unknown_shape())
        with ops.name_scope(name, "TensorArray", [size]):
            size_t = ops.convert_to_tensor(size, dtype=dtypes.int32, name="size")
            if size_t.get_shape().ndims not in (None, 0):
                raise ValueError("Shape must be rank 0 but is rank %d for 'TensorArray'"
                                 % size_t.get_shape().ndims)
            static = array_ops._constant_int(size_t)
            if static is not None and static < 0:
                raise ValueError("Size should be >= 0, got %d" % static)
            if elem.is_fully_defined():
                dims = array_ops.concat([array_ops.reshape(size_t, [1]),
                                         np.array(elem.as_list(), np.int32)], 0, name="dims")
            else:
                dims = array_ops.reshape(size_t, [1], name="dims")
            zero = "" if self._dtype == dtypes.string else (
                False if self._dtype == dtypes.bool else 0)
            self._flow = array_ops.fill(dims, np.array(zero, dtype=self._dtype.as_numpy_dtype),
                                        name="flow")
            shape = [static] + (elem.as_list() if elem.is_fully_defined() else [])
            self._flow.set_shape(shape)
        self._shared = _Shared(elem, infer_shape, dynamic_size,
                               None if dynamic_size else static)

    # -- internal -------------------------------------------------------------
    def _with_flow(self, flow):
        ta = TensorArray.__new__(TensorArray)
        ta._dtype = self._dtype
        ta._flow = flow
        ta._shared = self._shared
        return ta

    def _merge_element_shape(self, shape):
        shape = tensor_shape.as_shape(shape)
        if not self._shared.infer_shape:
            return
        cur = self._shared.element_shape
        if not cur.is_compatible_with(shape):
            raise ValueError("Inconsistent shapes: saw %s but expected %s " % (shape, cur))
        self._shared.element_shape = cur.merge_with(shape)

    def _stacked_shape(self, n):
        elem = self._shared.element_shape
        if elem.ndims is None:
            return tensor_shape.unknown_shape()
        return tensor_shape.TensorShape([n]).concatenate(elem)

    def _convert(self, value, name):
        # TF1 only logs a dtype mismatch and leaves the behaviour undefined;
        # tfcore raises TypeError.
        if not isinstance(value, ops.Tensor):
            value = ops.convert_to_tensor(value, dtype=self._dtype, name=name)
        if value.dtype.base_dtype != self._dtype:
            raise TypeError("Input value %s has dtype %s, but expected dtype %s."
                            % (value, value.dtype, self._dtype))
        return value

    def _scatter(self, indices, value):
        return apply_op("TfcoreTensorArrayScatter", name="TensorArrayScatterV3",
                        flow=self._flow, indices=indices, value=value,
                        dynamic_size=self._shared.dynamic_size).outputs[0]

    # -- TF1 API --------------------------------------------------------------
    @property
    def flow(self):
        return self._flow

    @property
    def handle(self):
        return self._flow

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._shared.element_shape

    @property
    def dynamic_size(self):
        return self._shared.dynamic_size

    def identity(self):
        from tfcore.ops import array_ops
        return self._with_flow(array_ops.identity(self._flow))

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError("TensorArray.grad is not supported by tfcore")

    def read(self, index, name=None):
        from tfcore.ops import array_ops
        index = ops.convert_to_tensor(index, dtype=dtypes.int32)
        v = array_ops.gather(self._flow, index, name=name or "TensorArrayReadV3")
        v.set_shape(self._shared.element_shape)
        return v

    def write(self, index, value, name=None):
        with ops.name_scope(name, "TensorArrayWrite", [self._flow, index, value]):
            value = self._convert(value, "value")
            index = ops.convert_to_tensor(index, dtype=dtypes.int32, name="index")
            self._merge_element_shape(value.get_shape())
            flow = apply_op("TfcoreTensorArrayScatter", name="TensorArrayWriteV3",
                            flow=self._flow, indices=index, value=value,
                            dynamic_size=self._shared.dynamic_size).outputs[0]
            flow.set_shape(self._flow_shape())
        return self._with_flow(flow)

    def _flow_shape(self):
        n = self._shared.static_size
        elem = self._shared.element_shape
        if elem.is_fully_defined() and elem.ndims > 0:
            return tensor_shape.TensorShape([n]).concatenate(elem)
        return tensor_shape.unknown_shape()

    def stack(self, name=None):
        from tfcore.ops import array_ops
        with ops.name_scope(name, "TensorArrayStack", [self._flow]):
            v = array_ops.identity(self._flow, name="TensorArrayGatherV3")
            v.set_shape(self._stacked_shape(self._shared.static_size))
        return v

    def gather(self, indices, name=None):
        from tfcore.ops import array_ops
        indices = ops.convert_to_tensor(indices, dtype=dtypes.int32)
        v = array_ops.gather(self._flow, indices, name=name or "TensorArrayGatherV3")
        n = indices.get_shape()[0] if indices.get_shape().ndims == 1 else None
        v.set_shape(self._stacked_shape(n))
        return v

    def concat(self, name=None):
        from tfcore.ops import array_ops
        elem = self._shared.element_shape
        if elem.ndims == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0 "
                             "for 'TensorArrayConcatV3'")
        rest = array_ops.shape(self._flow)[2:]
        v = array_ops.reshape(self._flow, array_ops.concat([[-1], rest], 0),
                              name=name or "TensorArrayConcatV3")
        if elem.ndims is not None:
            n = self._shared.static_size
            d0 = elem[0].value if hasattr(elem[0], "value") else elem[0]
            first = None if n is None or d0 is None else n * d0
            v.set_shape(tensor_shape.TensorShape([first]).concatenate(elem[1:]))
        return v

    def unstack(self, value, name=None):
        from tfcore.ops import array_ops, reduction_ops
        with ops.name_scope(name, "TensorArrayUnstack", [self._flow, value]):
            value = self._convert(value, "tensor")
            if value.get_shape().ndims == 0:
                raise ValueError("Shape must be at least rank 1 but is rank 0")
            if value.get_shape().ndims is not None:
                self._merge_element_shape(value.get_shape()[1:])
            n = array_ops.shape(value)[0]
            idx = reduction_ops.range(0, n, name="range")
            flow = self._scatter(idx, value)
            flow.set_shape(self._flow_shape())
        return self._with_flow(flow)

    def scatter(self, indices, value, name=None):
        with ops.name_scope(name, "TensorArrayScatter", [self._flow, value, indices]):
            value = self._convert(value, "value")
            indices = ops.convert_to_tensor(indices, dtype=dtypes.int32, name="indices")
            if value.get_shape().ndims is not None and value.get_shape().ndims > 0:
                self._merge_element_shape(value.get_shape()[1:])
            flow = self._scatter(indices, value)
            flow.set_shape(self._flow_shape())
        return self._with_flow(flow)

    def split(self, value, lengths, name=None):
        """Splits value along dim 0 into len(lengths) elements (equal lengths only)."""
        from tfcore.ops import array_ops, reduction_ops, logging_ops, math_ops
        with ops.name_scope(name, "TensorArraySplit", [self._flow, value, lengths]):
            value = self._convert(value, "value")
            lengths = ops.convert_to_tensor(lengths, dtype=dtypes.int64, name="lengths")
            lengths32 = math_ops.cast(lengths, dtypes.int32)
            num = array_ops.shape(lengths32)[0]
            first = lengths32[0]
            check = logging_ops.Assert(
                reduction_ops.reduce_all(math_ops.equal(lengths32, first)),
                ["tfcore's TensorArray.split needs equal lengths, got", lengths32])
            with ops.control_dependencies([check]):
                rest = array_ops.shape(value)[1:]
                parts = array_ops.reshape(value, array_ops.concat([[num, first], rest], 0))
            idx = reduction_ops.range(0, num, name="range")
            flow = self._scatter(idx, parts)
            vs = value.get_shape()
            if vs.ndims is not None:
                self._merge_element_shape(tensor_shape.TensorShape([None]).concatenate(vs[1:]))
        return self._with_flow(flow)

    def size(self, name=None):
        from tfcore.ops import array_ops
        if self._shared.static_size is not None:
            return ops.convert_to_tensor(np.int32(self._shared.static_size), name=name or "Const")
        with ops.name_scope(None, "TensorArraySize", [self._flow]):
            n = array_ops.shape(self._flow)[0]
        return array_ops.identity(n, name=name or "TensorArraySizeV3")

    def close(self, name=None):
        from tfcore.ops import control_flow_ops
        return control_flow_ops.no_op(name=name or "TensorArrayCloseV3")
