"""dynamic_rnn over a time dimension unknown when the graph is built: TF1's
loop, a tf.while_loop ("rnn/while") reading the time-major inputs from
TensorArrays and writing the cell outputs into TensorArrays. Rows past their
sequence_length get zero outputs and keep their state. Differentiable through
the while loop's gradient (ops/while_ops.cc), so optimizers train through it.
(A static time dimension takes the unrolled path in rnn.py.)
"""
from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.ops import array_ops
from tfcore.ops import math_ops
from tfcore.ops.tensor_array_ops import TensorArray
from tfcore.ops.while_loop import while_loop
from tfcore.util import nest


def _perm(rank):
    return [1, 0] + list(range(2, rank))


def dynamic_rnn_loop(cell, inputs, flat_input, state, sequence_length, zero_output,
                     time_major, const_batch_size, dtype_out, parallel_iterations,
                     swap_memory):
    """Returns (outputs, final_state), outputs shaped like dynamic_rnn's."""
    if not time_major:
        flat_input = [array_ops.transpose(x, _perm(x.get_shape().ndims)) for x in flat_input]
    time_steps = array_ops.shape(flat_input[0])[0]
    in_tas = []
    for k, x in enumerate(flat_input):
        ta = TensorArray(x.dtype.base_dtype, size=time_steps, element_shape=x.get_shape()[1:],
                         tensor_array_name="input_%d" % k)
        in_tas.append(ta.unstack(x))
    flat_output_size = nest.flatten(cell.output_size)
    out_tas = [TensorArray(dtype_out, size=time_steps,
                           element_shape=tensor_shape.TensorShape([const_batch_size]).concatenate(
                               tensor_shape.as_shape(size)),
                           tensor_array_name="output_%d" % k)
               for k, size in enumerate(flat_output_size)]
    time = ops.convert_to_tensor(0, dtype=dtypes.int32, name="time")

    def body(time, out_tas, state):
        step = []
        for ta, x in zip(in_tas, flat_input):
            v = ta.read(time)
            v.set_shape(x.get_shape()[1:])
            step.append(v)
        input_t = nest.pack_sequence_as(inputs, step)
        output, new_state = cell(input_t, state)
        nest.assert_same_structure(state, new_state)
        if sequence_length is not None:
            copy_cond = math_ops.greater_equal(time, sequence_length)

            def copy_one(old, new):
                if new.shape.ndims == 0:
                    return new
                return array_ops.where(copy_cond, old, new)
            output = nest.pack_sequence_as(output, [
                copy_one(z, o) for z, o in zip(nest.flatten(zero_output), nest.flatten(output))])
            new_state = nest.pack_sequence_as(new_state, [
                copy_one(s, n) for s, n in zip(nest.flatten(state), nest.flatten(new_state))])
        out_tas = [ta.write(time, o) for ta, o in zip(out_tas, nest.flatten(output))]
        return time + 1, out_tas, new_state

    _, out_tas, final_state = while_loop(
        lambda time, *_: time < time_steps, body, (time, out_tas, state),
        parallel_iterations=parallel_iterations or 32, swap_memory=swap_memory,
        maximum_iterations=time_steps)
    flat_out = []
    for ta, size in zip(out_tas, flat_output_size):
        o = ta.stack()
        o.set_shape(tensor_shape.TensorShape([None, const_batch_size]).concatenate(
            tensor_shape.as_shape(size)))
        if not time_major:
            o = array_ops.transpose(o, _perm(o.get_shape().ndims))
        flat_out.append(o)
    return nest.pack_sequence_as(cell.output_size, flat_out), final_state
