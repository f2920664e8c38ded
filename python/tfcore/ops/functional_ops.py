"""tf.map_fn, tf.scan, tf.foldl, tf.foldr (TF1 signatures), built on
tf.while_loop and tf.TensorArray as TF1 builds them: the elements are
unstacked into TensorArrays, the loop reads element i, calls fn and (map_fn,
scan) writes the result into output TensorArrays that are stacked at the end.
elems and initializer may be nested structures (lists, tuples, dicts,
namedtuples); parallel_iterations, back_prop and swap_memory are accepted
for compatibility (iterations run in order).
"""
from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.ops.tensor_array_ops import TensorArray
from tfcore.ops.while_loop import _flatten, _is_sequence, _pack_as, while_loop

__all__ = ["map_fn", "scan", "foldl", "foldr"]


def _convert_elems(elems):
    flat = [ops.convert_to_tensor(e, name="elem") for e in _flatten(elems)]
    if not flat:
        raise ValueError("elems must be a Tensor or (possibly nested) sequence of Tensors. "
                         "Got %s, which does not contain any Tensors." % (elems,))
    for e in flat:
        if e.get_shape().ndims == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
    return flat


def _num_elems(flat):
    """Static number of elements (or None) and the int32 tensor for it."""
    from tfcore.ops import array_ops
    static = None
    for e in flat:
        d = e.get_shape()[0] if e.get_shape().ndims is not None else None
        d = getattr(d, "value", d)
        if d is not None:
            if static is not None and static != d:
                raise ValueError("Dimensions %d and %d are not compatible" % (static, d))
            static = d
    if static is not None:
        return static, ops.convert_to_tensor(static, dtype=dtypes.int32)
    return None, array_ops.shape(flat[0], out_type=dtypes.int32)[0]


def _unstack_all(flat, n):
    return [TensorArray(dtype=e.dtype.base_dtype, size=n, dynamic_size=False,
                        infer_shape=True).unstack(e) for e in flat]


def _stack_all(tas, static_n):
    out = []
    for ta in tas:
        r = ta.stack()
        r.set_shape(tensor_shape.TensorShape([static_n]).concatenate(
            r.get_shape()[1:] if r.get_shape().ndims is not None
            else tensor_shape.unknown_shape()))
        out.append(r)
    return out


def _flat_dtypes(dtype, elems_flat, structure):
    if dtype is None:
        return [e.dtype.base_dtype for e in elems_flat], structure
    flat = _flatten(dtype)
    return [dtypes.as_dtype(d).base_dtype for d in flat], dtype


def _check_structure(expected_flat_len, result, what):
    flat = _flatten(result)
    if len(flat) != expected_flat_len:
        raise ValueError("The two structures don't have the same nested structure: %s has "
                         "%d elements, fn returned %d" % (what, expected_flat_len, len(flat)))
    return flat


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None, fn_output_signature=None):
    """Applies fn to each element of elems unstacked on dimension 0, stacking the results."""
    if not callable(fn):
        raise TypeError("fn must be callable.")
    if fn_output_signature is not None:
        if dtype is not None:
            raise ValueError("Only one of dtype and fn_output_signature may be given")
        dtype = fn_output_signature
    if parallel_iterations is None:
        parallel_iterations = 10
    with ops.name_scope(name, "map", _flatten(elems)):
        elems_flat = _convert_elems(elems)
        static_n, n = _num_elems(elems_flat)
        out_dtypes, out_structure = _flat_dtypes(dtype, elems_flat, elems)
        elems_ta = _unstack_all(elems_flat, n)
        accs_ta = [TensorArray(dtype=dt, size=n, dynamic_size=False, infer_shape=infer_shape)
                   for dt in out_dtypes]
        i = ops.convert_to_tensor(0, dtype=dtypes.int32)

        def compute(i, tas):
            packed = _pack_as(elems, [ta.read(i) for ta in elems_ta])
            result = fn(packed)
            flat = _check_structure(len(out_dtypes), result, "dtype")
            tas = [ta.write(i, v) for ta, v in zip(tas, flat)]
            return (i + 1, tas)

        _, r_a = while_loop(lambda i, _: i < n, compute, (i, accs_ta),
                            parallel_iterations=parallel_iterations, back_prop=back_prop,
                            swap_memory=swap_memory, maximum_iterations=n)
        results = _stack_all(r_a, static_n)
        return _pack_as(out_structure, results) if _is_sequence(out_structure) else results[0]


def _read_first(elems_ta, index):
    return [ta.read(index) for ta in elems_ta]


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """Accumulates fn(a, x) over elems unstacked on dimension 0, stacking every a."""
    if not callable(fn):
        raise TypeError("fn must be callable.")
    with ops.name_scope(name, "scan", _flatten(elems)):
        elems_flat = _convert_elems(elems)
        static_n, n = _num_elems(elems_flat)
        elems_ta = _unstack_all(elems_flat, n)
        if initializer is None:
            a_structure = elems
            first = (n - 1) if reverse else 0
            a_flat = _read_first(elems_ta, first)
            i = (n - 2) if reverse else ops.convert_to_tensor(1, dtype=dtypes.int32)
        else:
            a_structure = initializer
            a_flat = [ops.convert_to_tensor(a) for a in _flatten(initializer)]
            i = (n - 1) if reverse else ops.convert_to_tensor(0, dtype=dtypes.int32)
        accs_ta = [TensorArray(dtype=a.dtype.base_dtype, size=n, dynamic_size=False,
                               element_shape=a.get_shape() if infer_shape else None,
                               infer_shape=infer_shape) for a in a_flat]
        if initializer is None:
            accs_ta = [ta.write(first, a) for ta, a in zip(accs_ta, a_flat)]

        def compute(i, a_flat, tas):
            packed_elems = _pack_as(elems, [ta.read(i) for ta in elems_ta])
            packed_a = _pack_as(a_structure, a_flat)
            a_out = fn(packed_a, packed_elems)
            flat_a_out = _check_structure(len(a_flat), a_out, "initializer")
            tas = [ta.write(i, v) for ta, v in zip(tas, flat_a_out)]
            next_i = i - 1 if reverse else i + 1
            return (next_i, flat_a_out, tas)

        if reverse:
            def cond(i, a, tas):
                return i >= 0
        else:
            def cond(i, a, tas):
                return i < n
        _, _, r_a = while_loop(cond, compute, (i, a_flat, accs_ta),
                               parallel_iterations=parallel_iterations, back_prop=back_prop,
                               swap_memory=swap_memory, maximum_iterations=n)
        results = _stack_all(r_a, static_n)
        return _pack_as(a_structure, results) if _is_sequence(a_structure) else results[0]


def _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
          default_name, reverse):
    if not callable(fn):
        raise TypeError("fn must be callable.")
    with ops.name_scope(name, default_name, _flatten(elems)):
        elems_flat = _convert_elems(elems)
        _, n = _num_elems(elems_flat)
        elems_ta = _unstack_all(elems_flat, n)
        if initializer is None:
            a_structure = elems
            a_flat = _read_first(elems_ta, (n - 1) if reverse else 0)
            i = (n - 2) if reverse else ops.convert_to_tensor(1, dtype=dtypes.int32)
        else:
            a_structure = initializer
            a_flat = [ops.convert_to_tensor(a) for a in _flatten(initializer)]
            i = (n - 1) if reverse else ops.convert_to_tensor(0, dtype=dtypes.int32)

        def compute(i, a_flat):
            packed_elems = _pack_as(elems, [ta.read(i) for ta in elems_ta])
            packed_a = _pack_as(a_structure, a_flat)
            a_out = fn(packed_a, packed_elems)
            flat = _check_structure(len(a_flat), a_out, "initializer")
            return (i - 1 if reverse else i + 1, flat)

        if reverse:
            def cond(i, a):
                return i >= 0
        else:
            def cond(i, a):
                return i < n
        _, r_a = while_loop(cond, compute, (i, a_flat),
                            parallel_iterations=parallel_iterations, back_prop=back_prop,
                            swap_memory=swap_memory, maximum_iterations=n)
        return _pack_as(a_structure, r_a) if _is_sequence(a_structure) else r_a[0]


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """fn(a, x) folded over elems from the first element to the last."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 "foldl", False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """fn(a, x) folded over elems from the last element to the first."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 "foldr", True)
