"""TF1's RNN drivers: tf.nn.static_rnn, dynamic_rnn, bidirectional_dynamic_rnn,
static_bidirectional_rnn (and contrib's stack_bidirectional_*).

dynamic_rnn unrolls the recurrence over the time steps (tfcore's tf.while_loop
has no gradient, and training needs one), so the number of steps must be known
when the graph is built. Numbers,
variable names and the returned structures are TF's; op names differ (no
``rnn/while/...``). With ``sequence_length``, each step's output is zeroed and
its state copied through for the batch rows whose sequence has ended, exactly
as TF's dynamic_rnn does.
"""
from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.ops import array_ops
from tfcore.ops import math_ops
from tfcore.ops import rnn_cell  # noqa: F401  (tf.nn.rnn_cell)
from tfcore.ops import rnn_cell_impl
from tfcore.ops import variable_scope as vs
from tfcore.util import nest

__all__ = []
_nn_exports = ["rnn_cell", "static_rnn", "dynamic_rnn", "bidirectional_dynamic_rnn",
               "static_bidirectional_rnn"]

_concat = rnn_cell_impl._concat


def _infer_state_dtype(explicit_dtype, state):
    if explicit_dtype is not None:
        return explicit_dtype
    if nest.is_sequence(state):
        inferred = [element.dtype for element in nest.flatten(state)]
        if not inferred:
            raise ValueError("Unable to infer dtype from empty state.")
        if not all(x == inferred[0] for x in inferred):
            raise ValueError("State has tensors of different inferred_dtypes. Unable to infer a "
                             "single representative dtype.")
        return inferred[0]
    return state.dtype


def _initial_state(cell, initial_state, batch_size, dtype, message):
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError(message)
    if getattr(cell, "get_initial_state", None) is not None:
        return cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
    return cell.zero_state(batch_size, dtype)


def _zero_output(cell, batch_size, static_batch, dtype):
    def create(size):
        out = array_ops.zeros(array_ops.stack(_concat(batch_size, size)), dtype)
        shape = _concat(static_batch, size, static=True)
        if shape is not None:
            out.set_shape(shape)
        return out
    output_size = cell.output_size
    return nest.pack_sequence_as(output_size,
                                 [create(s) for s in nest.flatten(output_size)])


def _unrolled_loop(cell, step_inputs, state, sequence_length, zero_output, varscope,
                   loop=None):
    """Calls the cell once per time step (reusing its variables); with
    sequence_length, rows past their length get a zero output and keep their
    state."""
    outputs = []
    for time, input_t in enumerate(step_inputs):
        if loop is not None:
            loop.next_step(time)
        if time > 0:
            # The cell's variables were made at step 0 (TF's while_loop builds
            # the body once); plain cells calling get_variable reuse them here.
            varscope.reuse_variables()
        new_output, new_state = cell(input_t, state)
        if loop is not None or sequence_length is not None:
            # TF's while_loop (and the copy-through of finished rows) require the
            # new state to have the structure of the state passed in.
            nest.assert_same_structure(state, new_state)
        if sequence_length is not None:
            nest.assert_same_structure(zero_output, new_output)
            copy_cond = math_ops.greater_equal(time, sequence_length)

            def copy_one(old, new):
                if new.shape.ndims == 0:
                    return new
                return array_ops.where(copy_cond, old, new)
            new_output = nest.pack_sequence_as(new_output, [
                copy_one(z, o) for z, o in zip(nest.flatten(zero_output),
                                               nest.flatten(new_output))])
            new_state = nest.pack_sequence_as(new_state, [
                copy_one(s, n) for s, n in zip(nest.flatten(state), nest.flatten(new_state))])
        outputs.append(new_output)
        state = new_state
    return outputs, state


def _seq_len_vector(sequence_length, name="sequence_length"):
    sequence_length = math_ops.cast(sequence_length, dtypes.int32)
    if sequence_length.get_shape().ndims not in (None, 1):
        raise ValueError("Argument sequence_length must be a vector of length batch_size. "
                         "Received sequence_length=%s of shape: %s"
                         % (sequence_length, sequence_length.get_shape()))
    return array_ops.identity(sequence_length, name=name)


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Runs `cell` over the list `inputs` (one [batch, ...] tensor or nested
    structure per time step). Returns (outputs list, final state)."""
    rnn_cell_impl.assert_like_rnncell("cell", cell)
    if not nest.is_sequence(inputs):
        raise TypeError("Argument `inputs` must be a sequence. Received: %s" % (inputs,))
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with vs.variable_scope(scope or "rnn") as varscope:
        first_input = inputs
        while nest.is_sequence(first_input):
            first_input = first_input[0]
        first_input = ops.convert_to_tensor(first_input)
        if first_input.get_shape().ndims != 1:
            input_shape = first_input.get_shape().with_rank_at_least(2)
            fixed_batch_size = input_shape.dims[0]
            for flat_input in nest.flatten(inputs):
                input_shape = ops.convert_to_tensor(flat_input).get_shape().with_rank_at_least(2)
                batch_size, input_size = input_shape.dims[0], input_shape[1:]
                fixed_batch_size.merge_with(batch_size)
                for i, size in enumerate(input_size.dims):
                    if tensor_shape.dimension_value(size) is None:
                        raise ValueError(
                            "Input size (dimension %d of inputs) must be accessible via shape "
                            "inference, but saw value None." % i)
        else:
            fixed_batch_size = first_input.get_shape().with_rank_at_least(1)[0]
        static_batch = tensor_shape.dimension_value(fixed_batch_size)
        if static_batch:
            batch_size = static_batch
        else:
            batch_size = array_ops.shape(first_input)[0]
        state = _initial_state(cell, initial_state, batch_size, dtype,
                               "If no initial_state is provided, argument `dtype` must be "
                               "specified")
        zero_output = None
        if sequence_length is not None:
            sequence_length = ops.convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.get_shape().ndims not in (None, 1):
                raise ValueError("Argument `sequence_length` must be a vector of length "
                                 "batch_size. Received: %s" % (sequence_length,))
            zero_output = _zero_output(cell, batch_size, static_batch,
                                       _infer_state_dtype(dtype, state))
            sequence_length = math_ops.cast(sequence_length, dtypes.int32)
        return _unrolled_loop(cell, list(inputs), state, sequence_length, zero_output, varscope)


def _best_effort_input_batch_size(flat_input, batch_axis):
    for input_ in flat_input:
        shape = input_.shape
        if shape.ndims is None:
            continue
        if shape.ndims < 2:
            raise ValueError("Input tensor should have rank >= 2. Received input=%s of rank %d"
                             % (input_, shape.ndims))
        batch_size = shape.dims[batch_axis].value
        if batch_size is not None:
            return batch_size
    return array_ops.shape(flat_input[0])[batch_axis]


def _time_major_shape(shape, time_major):
    if time_major or shape.ndims is None or shape.ndims < 2:
        return shape
    dims = shape.as_list()
    return tensor_shape.TensorShape([dims[1], dims[0]] + dims[2:])


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Runs `cell` over inputs [batch, time, ...] ([time, batch, ...] when
    time_major). Returns (outputs, final_state) like TF 1.x.

    Unrolled over the time steps when the time dimension is static, else a
    tf.while_loop over TensorArrays as in TF1 (ops/rnn_while.py)."""
    rnn_cell_impl.assert_like_rnncell("cell", cell)
    with vs.variable_scope(scope or "rnn") as varscope:
        flat_input = [ops.convert_to_tensor(x) for x in nest.flatten(inputs)]
        time_axis, batch_axis = (0, 1) if time_major else (1, 0)
        if sequence_length is not None:
            sequence_length = _seq_len_vector(sequence_length)
        batch_size = _best_effort_input_batch_size(flat_input, batch_axis)
        state = _initial_state(cell, initial_state, batch_size, dtype,
                               "If no initial_state is provided, argument `dtype` must be "
                               "specified")
        if sequence_length is not None:
            from tfcore.ops import logging_ops, reduction_ops
            seq_shape = array_ops.shape(sequence_length)
            packed_shape = array_ops.stack([batch_size])
            check = logging_ops.Assert(
                reduction_ops.reduce_all(math_ops.equal(seq_shape, packed_shape)),
                ["Expected shape for Tensor %s is " % sequence_length.name, packed_shape,
                 " but saw shape: ", seq_shape])
            with ops.control_dependencies([check]):
                sequence_length = array_ops.identity(sequence_length, name="CheckSeqLen")

        # Shape checks on the time-major view, as TF's loop does them.
        got_shapes = [_time_major_shape(x.get_shape(), time_major).with_rank_at_least(3)
                      for x in flat_input]
        const_time_steps, const_batch_size = got_shapes[0].as_list()[:2]
        for x, shape in zip(flat_input, got_shapes):
            if not shape[2:].is_fully_defined():
                raise ValueError("Input size (depth of inputs) must be accessible via shape "
                                 "inference, but saw value None for input=%s." % x)
            if shape.dims[0].value != const_time_steps:
                raise ValueError("Time steps is not the same for all the elements in the input "
                                 "in a batch.")
            if shape.dims[1].value != const_batch_size:
                raise ValueError("Batch_size is not the same for all the elements in the "
                                 "input.")
        if const_time_steps is None:
            # Unknown number of steps: TF1's while loop (ops/rnn_while.py).
            from tfcore.ops import rnn_while
            zero_output = None
            dtype_out = _infer_state_dtype(dtype, state)
            if sequence_length is not None:
                zero_output = _zero_output(cell, batch_size, const_batch_size, dtype_out)
            return rnn_while.dynamic_rnn_loop(
                cell, inputs, flat_input, state, sequence_length, zero_output, time_major,
                const_batch_size, dtype_out, parallel_iterations, swap_memory)

        zero_output = None
        if sequence_length is not None:
            zero_output = _zero_output(cell, batch_size, const_batch_size,
                                       _infer_state_dtype(dtype, state))
        per_input_steps = [array_ops.unstack(x, num=const_time_steps, axis=time_axis)
                           for x in flat_input]
        step_inputs = [nest.pack_sequence_as(inputs, [steps[t] for steps in per_input_steps])
                       for t in range(const_time_steps)]
        with rnn_cell_impl._UnrolledLoop(const_time_steps) as loop:
            outputs, final_state = _unrolled_loop(cell, step_inputs, state, sequence_length,
                                                  zero_output, varscope, loop)
        flat_output_size = nest.flatten(cell.output_size)
        if outputs:
            flat_steps = [nest.flatten(o) for o in outputs]
            flat_out = [array_ops.stack([s[k] for s in flat_steps], axis=time_axis)
                        for k in range(len(flat_output_size))]
        else:
            # No time steps: TF still builds the loop body once (so the cell's
            # variables exist); the outputs are empty, the state the initial one.
            step_flat = []
            for x, shape in zip(flat_input, got_shapes):
                z = array_ops.zeros(_concat(batch_size, shape[2:]), x.dtype)
                z.set_shape(shape[1:])
                step_flat.append(z)
            step_input = nest.pack_sequence_as(inputs, step_flat)
            cell(step_input, state)
            dtype_out = _infer_state_dtype(dtype, state)
            flat_out = []
            for size in flat_output_size:
                inner = tensor_shape.as_shape(size).as_list()
                b = batch_size if isinstance(batch_size, ops.Tensor) else \
                    ops.convert_to_tensor(batch_size, dtypes.int32)
                dims = [0, b] if time_major else [b, 0]
                z = array_ops.zeros(array_ops.stack(dims + inner), dtype_out)
                z.set_shape(([0, const_batch_size] if time_major else [const_batch_size, 0]) +
                            inner)
                flat_out.append(z)
        outputs = nest.pack_sequence_as(cell.output_size, flat_out)
        return outputs, final_state


# ----------------------------------------------------------------- reversal

def _reverse_time(x, seq_lengths, seq_axis, batch_axis):
    """tf.reverse (seq_lengths None) or tf.reverse_sequence along a static time axis."""
    x = ops.convert_to_tensor(x)
    if seq_lengths is None:
        rev = getattr(array_ops, "reverse", None)
        if rev is not None:
            return rev(x, axis=[seq_axis])
        t = x.get_shape().dims[seq_axis].value if x.get_shape().ndims is not None else None
        if t is None:
            raise NotImplementedError("reversing a sequence needs its time dimension to be "
                                      "known when the graph is built (tfcore)")
        return array_ops.stack(array_ops.unstack(x, num=t, axis=seq_axis)[::-1], axis=seq_axis)
    rev_seq = getattr(array_ops, "reverse_sequence", None)
    if rev_seq is not None:
        return rev_seq(x, seq_lengths=seq_lengths, seq_axis=seq_axis, batch_axis=batch_axis)
    return _reverse_sequence_by_gather(x, seq_lengths, seq_axis, batch_axis)


def _reverse_sequence_by_gather(x, seq_lengths, seq_axis, batch_axis):
    """out[b, t] = x[b, len_b - 1 - t] for t < len_b, else x[b, t], as one Gather
    over the (time, batch)-flattened tensor."""
    shape = x.get_shape()
    rank = shape.ndims
    if rank is None:
        raise NotImplementedError("reverse_sequence: tfcore needs the rank of the input to be "
                                  "known when the graph is built")
    num_steps = shape.dims[seq_axis].value
    from tfcore.ops import reduction_ops
    with ops.name_scope(None, "ReverseSequence", [x, seq_lengths]):
        perm = [seq_axis, batch_axis] + [i for i in range(rank) if i not in (seq_axis, batch_axis)]
        inv = [perm.index(i) for i in range(rank)]
        xt = array_ops.transpose(x, perm) if perm != list(range(rank)) else x
        batch = xt.get_shape().dims[1].value
        batch_t = batch if batch is not None else array_ops.shape(xt)[1]
        rest = xt.get_shape()[2:]
        if rest.is_fully_defined():
            flat_shape = [-1] + rest.as_list()
        else:
            flat_shape = array_ops.concat([[-1], array_ops.shape(xt)[2:]], 0)
        flat = array_ops.reshape(xt, flat_shape)
        lengths = array_ops.expand_dims(math_ops.cast(seq_lengths, dtypes.int32), 0)  # [1, B]
        if num_steps is None:  # unknown number of steps (a while-loop dynamic_rnn)
            num_steps = array_ops.shape(xt)[0]
        steps = array_ops.reshape(reduction_ops.range(num_steps), [-1, 1])  # [T, 1]
        src = array_ops.where_v2(math_ops.less(steps, lengths), lengths - 1 - steps, steps)
        cols = array_ops.expand_dims(reduction_ops.range(batch_t), 0)  # [1, B]
        idx = src * batch_t + cols
        out = array_ops.gather(flat, idx)
        out.set_shape(xt.get_shape())
        if perm != list(range(rank)):
            out = array_ops.transpose(out, inv)
        return out


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """Forward and backward dynamic_rnn (scopes ``bidirectional_rnn/fw``, ``/bw``).
    Returns ((output_fw, output_bw), (output_state_fw, output_state_bw))."""
    rnn_cell_impl.assert_like_rnncell("cell_fw", cell_fw)
    rnn_cell_impl.assert_like_rnncell("cell_bw", cell_bw)
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = dynamic_rnn(
                cell=cell_fw, inputs=inputs, sequence_length=sequence_length,
                initial_state=initial_state_fw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=fw_scope)
        time_axis, batch_axis = (0, 1) if time_major else (1, 0)

        def _map_reverse(inp):
            return _reverse_time(inp, sequence_length, time_axis, batch_axis)

        with vs.variable_scope("bw") as bw_scope:
            inputs_reverse = nest.map_structure(_map_reverse, inputs)
            tmp, output_state_bw = dynamic_rnn(
                cell=cell_bw, inputs=inputs_reverse, sequence_length=sequence_length,
                initial_state=initial_state_bw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=bw_scope)
    output_bw = nest.map_structure(_map_reverse, tmp)
    return (output_fw, output_bw), (output_state_fw, output_state_bw)


def _reverse_seq(input_seq, lengths):
    """Reverses a list of per-step tensors (or nested structures), each row up to
    its length when lengths is given."""
    if lengths is None:
        return list(reversed(input_seq))
    flat_input_seq = tuple(nest.flatten(input_) for input_ in input_seq)
    flat_results = [[] for _ in range(len(input_seq))]
    for sequence in zip(*flat_input_seq):
        sequence = [ops.convert_to_tensor(s) for s in sequence]
        input_shape = tensor_shape.unknown_shape(rank=sequence[0].get_shape().ndims)
        for input_ in sequence:
            input_shape = input_shape.merge_with(input_.get_shape())
        for input_ in sequence:
            input_.set_shape(input_shape)
        s_joined = array_ops.stack(sequence)
        s_reversed = _reverse_time(s_joined, lengths, 0, 1)
        result = array_ops.unstack(s_reversed, num=len(sequence))
        for r, flat_result in zip(result, flat_results):
            r.set_shape(input_shape)
            flat_result.append(r)
    return [nest.pack_sequence_as(structure=input_, flat_sequence=flat_result)
            for input_, flat_result in zip(input_seq, flat_results)]


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None, scope=None):
    """Forward and backward static_rnn; outputs are the depth-concatenation of the
    two directions. Returns (outputs, output_state_fw, output_state_bw)."""
    rnn_cell_impl.assert_like_rnncell("cell_fw", cell_fw)
    rnn_cell_impl.assert_like_rnncell("cell_bw", cell_bw)
    if not nest.is_sequence(inputs):
        raise TypeError("Argument `inputs` must be a sequence. Received: %s" % (inputs,))
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                                    sequence_length, scope=fw_scope)
        with vs.variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_seq(inputs, sequence_length)
            tmp, output_state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype,
                                              sequence_length, scope=bw_scope)
    output_bw = _reverse_seq(tmp, sequence_length)
    flat_output_fw = nest.flatten(output_fw)
    flat_output_bw = nest.flatten(output_bw)
    flat_outputs = tuple(array_ops.concat([fw, bw], 1)
                         for fw, bw in zip(flat_output_fw, flat_output_bw))
    outputs = nest.pack_sequence_as(structure=output_fw, flat_sequence=flat_outputs)
    return outputs, output_state_fw, output_state_bw


def _check_stack_args(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list):
        raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
    if not isinstance(cells_bw, list):
        raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    if initial_states_fw is not None and (not isinstance(initial_states_fw, list) or
                                          len(initial_states_fw) != len(cells_fw)):
        raise ValueError("initial_states_fw must be a list of state tensors (one per layer).")
    if initial_states_bw is not None and (not isinstance(initial_states_bw, list) or
                                          len(initial_states_bw) != len(cells_bw)):
        raise ValueError("initial_states_bw must be a list of state tensors (one per layer).")


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                            initial_states_bw=None, dtype=None, sequence_length=None, scope=None):
    """tf.contrib.rnn.stack_bidirectional_rnn: layers of static_bidirectional_rnn,
    each fed the concatenated outputs of the previous one (scope
    ``stack_bidirectional_rnn/cell_<i>``)."""
    _check_stack_args(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with vs.variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            init_fw = initial_states_fw[i] if initial_states_fw else None
            init_bw = initial_states_bw[i] if initial_states_bw else None
            with vs.variable_scope("cell_%d" % i) as cell_scope:
                prev_layer, state_fw, state_bw = static_bidirectional_rnn(
                    cell_fw, cell_bw, prev_layer, initial_state_fw=init_fw,
                    initial_state_bw=init_bw, sequence_length=sequence_length, dtype=dtype,
                    scope=cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None, sequence_length=None,
                                    parallel_iterations=None, time_major=False, scope=None,
                                    swap_memory=False):
    """tf.contrib.rnn.stack_bidirectional_dynamic_rnn: layers of
    bidirectional_dynamic_rnn, each fed the depth-concatenated outputs of the
    previous one. Returns (outputs, states_fw tuple, states_bw tuple)."""
    _check_stack_args(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with vs.variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            init_fw = initial_states_fw[i] if initial_states_fw else None
            init_bw = initial_states_bw[i] if initial_states_bw else None
            with vs.variable_scope("cell_%d" % i):
                outputs, (state_fw, state_bw) = bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, prev_layer, initial_state_fw=init_fw,
                    initial_state_bw=init_bw, sequence_length=sequence_length,
                    parallel_iterations=parallel_iterations, dtype=dtype,
                    swap_memory=swap_memory, time_major=time_major)
                prev_layer = array_ops.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)
