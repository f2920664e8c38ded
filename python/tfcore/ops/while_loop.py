"""tf.while_loop, built as one functional TfcoreWhile node (ops/while_ops.cc).

cond and body are traced once into the graph over placeholders standing for
the loop variables ("while/Identity", "while/Identity_1"...). Every tensor
they read from outside the loop is captured: replaced by a placeholder
("while/Enter"...) whose value the While node passes in at loop entry, as
TF1's Enter does, so outer ops never re-run per iteration. The loop's outputs
are "while/Exit", "while/Exit_1"... Shapes follow TF1's shape-invariant rules.
tf.gradients differentiates through the loop (Note [while gradient] in
ops/while_ops.cc); the variables the loop reads are passed to the node as
"refs" so that gradients reach them.
"""
import collections

from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.framework.op_def_library import apply_op

__all__ = ["while_loop"]


class WhileContext:
    pivot = None

    def __init__(self, graph, scope):
        self._graph = graph
        self._scope = scope
        self._op_ids = set()
        self._captured = {}
        self.captures = []          # (outer tensor, placeholder)
        self.external_control = []  # outer ops the loop's ops asked to depend on
        self.refs = []              # variables the loop reads (for gradients only)

    def _inside(self, op):
        return op._id in self._op_ids

    def add_op(self, op):
        self._op_ids.add(op._id)

    def capture(self, t):
        ph = self._captured.get(t)
        if ph is not None:
            return ph
        g = self._graph
        saved = (g._cond_stack, g._control_dependencies_stack)
        # Build the placeholder in the context enclosing this loop.
        g._cond_stack = saved[0][:saved[0].index(self)]
        g._control_dependencies_stack = []
        try:
            with ops.name_scope(self._scope):
                ph = apply_op("Placeholder", name="Enter", dtype=t.dtype.base_dtype,
                              shape=t.get_shape()).outputs[0]
        finally:
            g._cond_stack, g._control_dependencies_stack = saved
        self.add_op(ph.op)
        self._captured[t] = ph
        self.captures.append((t, ph))
        return ph

    def process_inputs(self, graph, inputs):
        # Variables (reference edges) stay references: the body reads and
        # updates the live variable every iteration, as in TF1.
        out = []
        for t in inputs:
            if self._inside(t.op):
                out.append(t)
            elif t.dtype._is_ref_dtype:
                if t not in self.refs:
                    self.refs.append(t)
                out.append(t)
            else:
                out.append(self.capture(t))
        return out

    def filter_control(self, ctrl):
        keep = []
        for c in ctrl:
            if self._inside(c):
                keep.append(c)
            elif c not in self.external_control:
                self.external_control.append(c)
        return keep


def _is_sequence(x):
    return isinstance(x, (list, tuple, dict))


def _flatten(x):
    if isinstance(x, dict):
        out = []
        for k in sorted(x):
            out.extend(_flatten(x[k]))
        return out
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out.extend(_flatten(v))
        return out
    return [x]


def _pack_as(structure, flat):
    it = iter(flat)

    def build(s):
        if isinstance(s, dict):
            return type(s)((k, build(s[k])) for k in sorted(s))
        if isinstance(s, tuple) and hasattr(s, "_fields"):
            return type(s)(*[build(v) for v in s])
        if isinstance(s, (list, tuple)):
            return type(s)(build(v) for v in s)
        return next(it)

    return build(structure)


def _shape_error(t, before, after):
    return ValueError(
        "Input tensor '%s' enters the loop with shape %s, but has shape %s after one "
        "iteration. To allow the shape to vary across iterations, use the `shape_invariants` "
        "argument of tf.while_loop to specify a less-specific shape." % (t.name, before, after))


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeats body while cond is true (TF1 semantics, iterations run in order)."""
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    if not _is_sequence(loop_vars):
        loop_vars = [loop_vars]
        if shape_invariants is not None:
            shape_invariants = [shape_invariants]
    try_to_pack = len(_flatten(loop_vars)) == 1 and not return_same_structure
    counter = maximum_iterations is not None
    with ops.name_scope(name, "while", [loop_vars]) as scope:
        if counter:
            # As TF1: an extra int32 loop variable counts iterations.
            max_iter = ops.convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if max_iter.get_shape().ndims not in (None, 0):
                raise ValueError("maximum_iterations must be a scalar, saw shape: %s"
                                 % max_iter.get_shape())
            user_cond, user_body = cond, body

            def cond(i, lv):  # noqa: F811
                from tfcore.ops import math_ops
                return math_ops.logical_and(i < max_iter, user_cond(*lv))

            def body(i, lv):  # noqa: F811
                r = user_body(*lv)
                if not _is_sequence(r):
                    r = [r]
                return (i + 1, r)

            loop_vars = (0, loop_vars)
            if shape_invariants is not None:
                shape_invariants = (tensor_shape.TensorShape([]), shape_invariants)
        from tfcore.ops.tensor_array_ops import TensorArray
        flat = _flatten(loop_vars)
        # TensorArrays travel as their flow tensors, whose shape may change.
        arrays = [v if isinstance(v, TensorArray) else None for v in flat]
        tensors = []
        for v in flat:
            if isinstance(v, TensorArray):
                tensors.append(v.flow)
                continue
            t = v._ref() if hasattr(v, "_ref") and not isinstance(v, ops.Tensor) else v
            t = ops.convert_to_tensor(t)
            tensors.append(t)
        if shape_invariants is None:
            invariants = [t.get_shape() for t in tensors]
        else:
            invariants = [tensor_shape.as_shape(s) for s in _flatten(shape_invariants)]
            if len(invariants) != len(tensors):
                raise ValueError("The two structures don't have the same number of elements: "
                                 "loop_vars has %d, shape_invariants has %d"
                                 % (len(tensors), len(invariants)))
        invariants = [tensor_shape.unknown_shape() if a is not None else inv
                      for a, inv in zip(arrays, invariants)]
        if shape_invariants is not None:
            for t, inv in zip(tensors, invariants):
                if not inv.is_compatible_with(t.get_shape()):
                    raise ValueError("The shape invariant specified for %s is not compatible "
                                     "with the initial shape of the loop variable. It enters "
                                     "the loop with shape %s, but the specified shape "
                                     "invariant is %s." % (t.name, t.get_shape(), inv))
        g = ops.get_default_graph()
        ctx = WhileContext(g, scope)
        saved_stack, saved_ctrl = g._cond_stack, g._control_dependencies_stack
        g._cond_stack, g._control_dependencies_stack = [], []
        try:
            with ops.name_scope(scope):
                phs = [apply_op("Placeholder", name="Identity", dtype=t.dtype.base_dtype,
                                shape=inv).outputs[0] for t, inv in zip(tensors, invariants)]
        finally:
            g._cond_stack, g._control_dependencies_stack = saved_stack, saved_ctrl
        for p in phs:
            ctx.add_op(p.op)

        packed = _pack_as(loop_vars, [a._with_flow(p) if a is not None else p
                                      for a, p in zip(arrays, phs)])
        g._cond_stack = saved_stack + [ctx]
        g._control_dependencies_stack = []
        try:
            with ops.name_scope(scope):
                c = cond(*packed)
                b = body(*packed)
                if not _is_sequence(b):
                    b = [b]
                c = ops.convert_to_tensor(c)
                if c.dtype.base_dtype != dtypes.bool:
                    raise TypeError("The loop condition must be a bool tensor, got %s" % c.dtype)
                if c.get_shape().ndims not in (None, 0):
                    raise ValueError("Shape must be rank 0 but is rank %d for the loop condition"
                                     % c.get_shape().ndims)
                flat_b = [r.flow if isinstance(r, TensorArray) else r for r in _flatten(b)]
                if len(flat_b) != len(phs):
                    raise ValueError("The two structures don't have the same number of "
                                     "elements: loop_vars has %d, the body returned %d"
                                     % (len(phs), len(flat_b)))
                outs = []
                for t, p, r in zip(tensors, phs, flat_b):
                    r = ops.convert_to_tensor(r, dtype=p.dtype)
                    if r.dtype.base_dtype != p.dtype.base_dtype:
                        raise ValueError("Loop variable %s has dtype %s but the body returned "
                                         "%s" % (t.name, p.dtype.name, r.dtype.name))
                    if not p.get_shape().is_compatible_with(r.get_shape()) or (
                            p.get_shape().ndims is not None and r.get_shape().ndims is not None
                            and not _more_general(p.get_shape(), r.get_shape())):
                        raise _shape_error(t, p.get_shape(), r.get_shape())
                    outs.append(r)
                c = ctx.process_inputs(g, [c])[0]
                outs = ctx.process_inputs(g, outs)
        finally:
            g._cond_stack, g._control_dependencies_stack = saved_stack, saved_ctrl

        captured = [t for t, _ in ctx.captures]
        with ops.control_dependencies(ctx.external_control or None):
            op = apply_op("TfcoreWhile", name="loop", loop_inputs=tensors, captured=captured,
                          refs=ctx.refs,
                          loop_vars=[p.op.name for p in phs],
                          captures=[p.op.name for _, p in ctx.captures],
                          cond=c.name, body=[o.name for o in outs],
                          output_shapes=[p.get_shape() for p in phs])
        from tfcore.ops import array_ops
        if back_prop:
            exits = [array_ops.identity(o, name="Exit") for o in op.outputs]
        else:
            # As TF1: no gradient flows back through a loop built with back_prop=False.
            exits = [apply_op("StopGradient", name="Exit", input=o).outputs[0]
                     for o in op.outputs]
        result = _pack_as(loop_vars, [a._with_flow(e) if a is not None else e
                                      for a, e in zip(arrays, exits)])
        if counter:
            result = result[1]
        if try_to_pack:
            return _flatten(result)[0]
        return result


def _more_general(invariant, shape):
    """True when every known dim of `invariant` equals the dim in `shape`."""
    for a, b in zip(invariant.as_list(), shape.as_list()):
        if a is not None and a != b:
            return False
    return True


# tf.TensorArray, tf.map_fn, tf.scan, tf.foldl, tf.foldr are built on while_loop.
from tfcore.ops.tensor_array_ops import TensorArray  # noqa: E402
from tfcore.ops.functional_ops import foldl, foldr, map_fn, scan  # noqa: E402

__all__ += ["TensorArray", "map_fn", "scan", "foldl", "foldr"]
