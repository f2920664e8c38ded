"""tf.layers.BatchNormalization / tf.layers.batch_normalization (TF1 semantics).

Training normalises with the batch's mean and biased variance; the moving
averages are updated by ops placed in tf.GraphKeys.UPDATE_OPS:
``moving -= (moving - batch_stat) * (1 - momentum)``. For 4-D inputs
normalised over the channel axis TF uses its fused kernel, whose batch
variance used for the moving average carries Bessel's correction n/(n-1);
other inputs use the plain (biased) moments. Both behaviours are reproduced.
"""
import numpy as np

from tfcore.framework import constant_op
from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.layers.base import Layer
from tfcore.layers.core import get_initializer, smart_cond
from tfcore.ops import array_ops
from tfcore.ops import init_ops
from tfcore.ops import math_ops
from tfcore.ops import nn_ops
from tfcore.ops import reduction_ops
from tfcore.ops import state_ops

__all__ = ["BatchNormalization", "batch_normalization", "BatchNorm"]


def _static_bool(training):
    if isinstance(training, (bool, np.bool_, int)):
        return bool(training)
    if isinstance(training, ops.Tensor) and training.op.type == "Const":
        return bool(np.asarray(training.op._attr_value("value")))
    return None


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=init_ops.zeros_initializer(),
                 gamma_initializer=init_ops.ones_initializer(),
                 moving_mean_initializer=init_ops.zeros_initializer(),
                 moving_variance_initializer=init_ops.ones_initializer(),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, fused=None, trainable=True, virtual_batch_size=None,
                 adjustment=None, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if renorm:
            raise NotImplementedError("batch renormalization (renorm=True) is not supported")
        if virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError("virtual_batch_size and adjustment are not supported")
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = get_initializer(beta_initializer)
        self.gamma_initializer = get_initializer(gamma_initializer)
        self.moving_mean_initializer = get_initializer(moving_mean_initializer)
        self.moving_variance_initializer = get_initializer(moving_variance_initializer)
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
        self.fused = fused

    def build(self, input_shape):
        input_shape = tensor_shape.TensorShape(input_shape)
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError("Input has undefined rank.")
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        axes = [a + ndims if a < 0 else a for a in axes]
        for a in axes:
            if a < 0 or a >= ndims:
                raise ValueError("Invalid axis: %s" % (self.axis,))
        if len(set(axes)) != len(axes):
            raise ValueError("Duplicate axis: %s" % (self.axis,))
        self._axes = sorted(axes)
        for a in self._axes:
            if input_shape[a].value is None:
                raise ValueError("Input has undefined `axis` dimension. Input shape: %s"
                                 % (input_shape,))
        self._ndims = ndims
        if len(self._axes) == 1:
            param_shape = [input_shape[self._axes[0]].value]
        else:
            param_shape = [input_shape[i].value if i in self._axes else 1 for i in range(ndims)]
        self._param_shape = param_shape
        # TF's fused kernel serves 4-D inputs normalised over channels.
        fused_ok = ndims == 4 and self._axes in ([3], [1])
        self._fused = fused_ok if self.fused is None else bool(self.fused) and fused_ok
        if self.fused and not fused_ok:
            raise ValueError("Unsupported axis, fused batch norm only supports axis == [1] or "
                             "axis == [3]")
        pdtype = dtypes.float32 if self.dtype in (dtypes.float16, dtypes.bfloat16, None) \
            else self.dtype
        self.gamma = self.add_weight("gamma", shape=param_shape, dtype=pdtype,
                                     initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight("beta", shape=param_shape, dtype=pdtype,
                                    initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", shape=param_shape, dtype=pdtype,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape=param_shape, dtype=pdtype,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def _broadcast(self, v):
        if v is None or len(self._axes) != 1 or self._axes[0] == self._ndims - 1:
            return v
        shape = [1] * self._ndims
        shape[self._axes[0]] = self._param_shape[0]
        return array_ops.reshape(v, shape)

    def _normalize(self, inputs, mean, variance):
        return nn_ops.batch_normalization(inputs, self._broadcast(mean),
                                          self._broadcast(variance), self._broadcast(self.beta),
                                          self._broadcast(self.gamma), self.epsilon)

    def _fused_call(self, inputs, training, static):
        from tfcore.ops import batch_norm_ops
        fmt = "NHWC" if self._axes == [3] else "NCHW"
        c = self._param_shape[0]
        gamma = self.gamma if self.gamma is not None else \
            constant_op.constant(1.0, dtype=self.moving_mean.dtype.base_dtype, shape=[c])
        beta = self.beta if self.beta is not None else \
            constant_op.constant(0.0, dtype=self.moving_mean.dtype.base_dtype, shape=[c])

        def train_fn():
            return batch_norm_ops.fused_batch_norm(
                inputs, gamma, beta, mean=self.moving_mean, variance=self.moving_variance,
                epsilon=self.epsilon, is_training=True, data_format=fmt)

        def inference_fn():
            return batch_norm_ops.fused_batch_norm(
                inputs, gamma, beta, mean=self.moving_mean, variance=self.moving_variance,
                epsilon=self.epsilon, is_training=False, data_format=fmt)

        output, mean, variance = smart_cond(training, train_fn, inference_fn)
        if static is False:
            return output
        if static is None:
            momentum = smart_cond(training, lambda: constant_op.constant(self.momentum),
                                  lambda: constant_op.constant(1.0))
        else:
            momentum = ops.convert_to_tensor(self.momentum)
        self.add_update(self._assign_moving_average(self.moving_mean, mean, momentum, True))
        self.add_update(self._assign_moving_average(self.moving_variance, variance, momentum,
                                                    True))
        return output

    def call(self, inputs, training=False):
        static = _static_bool(training)
        if self._fused and inputs.dtype.base_dtype == dtypes.float32:
            return self._fused_call(inputs, training, static)
        if static is False:
            return self._normalize(inputs, self.moving_mean, self.moving_variance)
        reduction_axes = [i for i in range(self._ndims) if i not in self._axes]
        keep = len(self._axes) > 1
        mean, variance = nn_ops.moments(inputs, reduction_axes, keep_dims=keep)
        if static is None:
            mean = smart_cond(training, lambda: mean, lambda: self.moving_mean)
            variance = smart_cond(training, lambda: variance, lambda: self.moving_variance)
        outputs = self._normalize(inputs, mean, variance)
        update_var = variance
        if self._fused:
            update_var = self._bessel_corrected(inputs, variance, reduction_axes)
        if static is None:
            decay_src = smart_cond(training, lambda: constant_op.constant(self.momentum),
                                   lambda: constant_op.constant(1.0))
            mean_update = self._assign_moving_average(self.moving_mean, mean, decay_src, True)
            var_update = self._assign_moving_average(self.moving_variance, update_var,
                                                     decay_src, True)
        else:
            mean_update = self._assign_moving_average(self.moving_mean, mean, self.momentum,
                                                      False)
            var_update = self._assign_moving_average(self.moving_variance, update_var,
                                                     self.momentum, False)
        self.add_update(mean_update)
        self.add_update(var_update)
        return outputs

    def _bessel_corrected(self, inputs, variance, reduction_axes):
        shape = inputs.get_shape().as_list()
        dims = [shape[i] for i in reduction_axes]
        if all(d is not None for d in dims):
            n = int(np.prod(dims)) if dims else 1
            factor = n / (n - 1.0) if n > 1 else 1.0
            return variance * constant_op.constant(factor, dtype=variance.dtype)
        dyn = array_ops.shape(inputs)
        n = math_ops.cast(reduction_ops.reduce_prod(array_ops.gather(dyn, reduction_axes)),
                          variance.dtype)
        one = constant_op.constant(1.0, dtype=variance.dtype)
        factor = array_ops.where(n > one, n / math_ops.maximum(n - one, one),
                                 one)
        return variance * factor

    def _assign_moving_average(self, variable, value, momentum, momentum_is_tensor):
        with ops.name_scope(None, "AssignMovingAvg", [variable, value, momentum]) as scope:
            if momentum_is_tensor:
                decay = constant_op.constant(1.0, dtype=variable.dtype.base_dtype) - momentum
            else:
                decay = ops.convert_to_tensor(1.0 - momentum, dtype=variable.dtype.base_dtype,
                                              name="decay")
            value = math_ops.cast(value, variable.dtype.base_dtype)
            update_delta = (variable - value) * decay
            return state_ops.assign_sub(variable, update_delta, name=scope)


BatchNorm = BatchNormalization


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=init_ops.zeros_initializer(),
                        gamma_initializer=init_ops.ones_initializer(),
                        moving_mean_initializer=init_ops.zeros_initializer(),
                        moving_variance_initializer=init_ops.ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
        trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
        name=name, _reuse=reuse, _scope=name)
    return layer.apply(inputs, training=training)
