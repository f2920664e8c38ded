"""tf.layers.Layer: TF1's graph-mode layers (variables through get_variable).

A layer owns a variable scope: named after ``name`` when given (so a second
layer with that name and no reuse fails like get_variable does), else a unique
default name per graph (``dense``, ``dense_1``...). Ops of every call go into
the name scope the variable scope opened first (``dense/MatMul``,
``dense/MatMul_1`` on a second call), as TF1 does.
"""
import re

from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.ops import variable_scope as vs

__all__ = ["Layer", "InputSpec"]

_UIDS_KEY = "__tfcore_layer_name_uids"


def _to_snake_case(name):
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if s[0] != "_" else "private" + s


def _unique_layer_name(base):
    g = ops.get_default_graph()
    uids = g.__dict__.setdefault(_UIDS_KEY, {})
    uids[base] = uids.get(base, 0) + 1
    return "%s_%d" % (base, uids[base])


class InputSpec:
    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None):
        self.dtype = dtype
        self.shape = shape
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = axes or {}


class Layer:
    """Base class of tf.layers: build() creates variables, call() the ops."""

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        self._reuse = kwargs.pop("_reuse", None)
        scope = kwargs.pop("_scope", None)
        kwargs.pop("autocast", None)
        allowed = {"input_shape", "batch_input_shape", "batch_size", "weights",
                   "activity_regularizer", "_keras_style"}
        for k in kwargs:
            if k not in allowed:
                raise TypeError("Keyword argument not understood:", k)
        self.trainable = trainable
        self.built = False
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype)
        self._activity_regularizer = kwargs.get("activity_regularizer")
        self._trainable_weights = []
        self._non_trainable_weights = []
        self._updates = []
        self._losses = []
        self._scope = None
        self._call_count = 0
        if isinstance(name, vs.VariableScope):
            self._base_name = name.name
            self._name = _unique_layer_name(_to_snake_case(type(self).__name__))
            self._scope = name
        elif name:
            self._base_name = name
            self._name = name
        else:
            self._base_name = _to_snake_case(type(self).__name__)
            self._name = _unique_layer_name(self._base_name)
        self._given_scope = scope
        self.input_spec = None

    # ------------------------------------------------------------ properties
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def scope_name(self):
        if self._scope is None:
            raise ValueError("No name available for layer scope because the layer \"" +
                             self._name + "\" has not been used yet. The scope name is "
                             "determined the first time the layer instance is called. You "
                             "must therefore call the layer before querying `scope_name`.")
        return self._scope.name

    @property
    def trainable_weights(self):
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self):
        if self.trainable:
            return list(self._non_trainable_weights)
        return list(self._trainable_weights) + list(self._non_trainable_weights)

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    @property
    def variables(self):
        return self.weights

    @property
    def updates(self):
        return list(self._updates)

    @property
    def losses(self):
        return list(self._losses)

    def get_weights(self):
        from tfcore.framework.ops import get_default_session
        sess = get_default_session()
        return sess.run(self.weights) if self.weights else []

    # ------------------------------------------------------------ building
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def compute_output_shape(self, input_shape):
        raise NotImplementedError

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None, **kwargs):
        dtype = dtypes.as_dtype(dtype or self._dtype or dtypes.float32)
        v = vs.get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                            regularizer=regularizer, trainable=trainable and self.trainable,
                            constraint=constraint)
        if trainable and v not in self._trainable_weights:
            self._trainable_weights.append(v)
        elif not trainable and v not in self._non_trainable_weights:
            self._non_trainable_weights.append(v)
        return v

    add_variable = add_weight

    def add_update(self, updates, inputs=None):
        if not isinstance(updates, (list, tuple)):
            updates = [updates]
        for u in updates:
            # As TF's layers: an update tensor is kept as its op.
            if isinstance(u, ops.Tensor):
                u = u.op
            self._updates.append(u)
            coll = ops.get_collection_ref(ops.GraphKeys.UPDATE_OPS)
            if u not in coll:
                coll.append(u)

    def add_loss(self, losses, inputs=None):
        if not isinstance(losses, (list, tuple)):
            losses = [losses]
        for l in losses:
            if l is None:
                continue
            self._losses.append(l)
            ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, l)

    def _set_scope(self):
        if self._scope is not None:
            return
        scope = self._given_scope
        if self._reuse:
            with vs.variable_scope(scope if scope is not None else self._base_name) as s:
                self._scope = s
        else:
            with vs.variable_scope(scope, default_name=self._base_name) as s:
                self._scope = s

    def __call__(self, inputs, *args, **kwargs):
        self._set_scope()
        reuse = True if self.built else self._reuse
        with vs.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False):
            with ops.name_scope(self._scope.original_name_scope):
                if not self.built:
                    first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
                    first = ops.convert_to_tensor(first)
                    if self._dtype is None and first.dtype.is_floating:
                        self._dtype = first.dtype.base_dtype
                    if isinstance(inputs, (list, tuple)):
                        shapes = [ops.convert_to_tensor(i).get_shape() for i in inputs]
                        self.build(shapes)
                    else:
                        self.build(first.get_shape())
                    self.built = True
                if isinstance(inputs, (list, tuple)):
                    inputs = [ops.convert_to_tensor(i) for i in inputs]
                else:
                    inputs = ops.convert_to_tensor(inputs)
                outputs = self.call(inputs, *args, **kwargs)
                if self._activity_regularizer is not None:
                    with ops.name_scope("ActivityRegularizer"):
                        self.add_loss(self._activity_regularizer(outputs))
        self._call_count += 1
        return outputs

    def apply(self, inputs, *args, **kwargs):
        return self.__call__(inputs, *args, **kwargs)


def _as_shape(s):
    return tensor_shape.as_shape(s)
