"""tf.Variable (TF1 reference variables) and the variable collection helpers.

A Variable is three nodes, named as TF1 names them: ``v`` (VariableV2, the
storage), ``v/Assign`` (its initializer) and ``v/read`` (an Identity snapshot
used wherever the variable is read), plus the initial-value subgraph.
"""
import contextlib
import traceback

from tfcore.framework import dtypes
from tfcore.framework import ops
from tfcore.framework import tensor_shape
from tfcore.framework.op_def_library import apply_op
from tfcore.ops import state_ops

__all__ = [
    "Variable", "VariableV1", "global_variables", "trainable_variables", "local_variables",
    "model_variables", "moving_average_variables", "all_variables", "variables_initializer",
    "global_variables_initializer", "local_variables_initializer", "initialize_all_variables",
    "initialize_variables", "initialize_local_variables", "report_uninitialized_variables",
    "is_variable_initialized", "assert_variables_initialized",
]

_PKG_DIR = __file__.rsplit("/ops/", 1)[0]


def _user_traceback():
    return [f for f in traceback.extract_stack()[:-2] if not f.filename.startswith(_PKG_DIR)]


class Variable:
    """A TF1 variable: state kept by the session across run() calls."""

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                 synchronization=None, aggregation=None, shape=None):
        if variable_def is not None:
            self._init_from_graph(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if trainable is None:
            trainable = True
        if collections is None:
            collections = [ops.GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError("collections argument to Variable constructor must be a list, "
                             "tuple, or set. Got %s of type %s" % (collections, type(collections)))
        collections = list(collections)
        if trainable and ops.GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(ops.GraphKeys.TRAINABLE_VARIABLES)
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        self._trainable = trainable
        self._constraint = constraint
        self._save_slice_info = None
        self._caching_device = caching_device
        self._traceback = _user_traceback()
        init_from_fn = callable(initial_value)
        g = ops.get_default_graph() if init_from_fn else ops._get_graph_from_inputs(
            [initial_value] if isinstance(initial_value, (ops.Tensor, Variable)) else [])
        with g.as_default(), ops.init_scope(), ops.name_scope(
                name, "Variable", [] if init_from_fn else [initial_value]) as scope:
            with contextlib.ExitStack() as colocation:
                if init_from_fn:
                    # As TF: the initializer ops and the variable are colocated
                    # with the variable (not created yet, hence the attr scope).
                    colocation.enter_context(
                        g._attr_scope({"_class": [("loc:@%s" % scope[:-1]).encode()]}))
                    with ops.name_scope("Initializer"), ops.device(None):
                        value = initial_value()
                        self._initial_value = ops.convert_to_tensor(
                            value, name="initial_value", dtype=dtype)
                else:
                    self._initial_value = ops.convert_to_tensor(
                        initial_value, name="initial_value", dtype=dtype)
                if self._initial_value.dtype._is_ref_dtype:
                    raise ValueError("initial_value must not be a reference tensor")
                if validate_shape:
                    shape_ = self._initial_value.get_shape()
                    if not shape_.is_fully_defined():
                        raise ValueError("initial_value must have a shape specified: %s"
                                         % self._initial_value)
                else:
                    shape_ = tensor_shape.unknown_shape()
                self._variable = state_ops.variable_op_v2(
                    shape_, self._initial_value.dtype.base_dtype, name=scope)
            self._initializer_op = apply_op(
                "Assign", name="Assign", ref=self._variable, value=self._initial_value,
                validate_shape=validate_shape)
            with ops.colocate_with(self._variable.op):
                self._snapshot = apply_op("Identity", name="read",
                                          input=self._variable).outputs[0]
        ops.add_to_collections(collections, self)

    def _init_from_graph(self, variable_def, import_scope=None):
        """Rebuilds a Variable around nodes already in the graph (import_meta_graph).

        ``variable_def`` is a dict with keys variable_name, initializer_name,
        snapshot_name, initial_value_name (optional), trainable.
        """
        g = ops.get_default_graph()

        def scoped(n):
            return n if not import_scope else import_scope + "/" + n

        self._variable = g.as_graph_element(scoped(variable_def["variable_name"]))
        self._initializer_op = g.as_graph_element(scoped(variable_def["initializer_name"]))
        self._snapshot = g.as_graph_element(scoped(variable_def["snapshot_name"]))
        ivn = variable_def.get("initial_value_name")
        self._initial_value = g.as_graph_element(scoped(ivn)) if ivn else None
        self._trainable = variable_def.get("trainable", True)
        self._constraint = None
        self._save_slice_info = None
        self._caching_device = None
        self._traceback = []

    # -- identity
    @property
    def name(self):
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def graph(self):
        return self._variable.graph

    @property
    def device(self):
        return self._variable.device

    @property
    def dtype(self):
        return self._variable.dtype

    @property
    def shape(self):
        return self._variable.get_shape()

    def get_shape(self):
        return self._variable.get_shape()

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def initializer(self):
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    def value(self):
        return self._snapshot

    def read_value(self):
        return apply_op("Identity", name="read", input=self._variable).outputs[0]

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable

    def _AsTensor(self):  # noqa: N802 - TF's name
        return self._snapshot

    def initialized_value(self):
        """The variable's value, or its initial value while it is uninitialised:
        ``cond(is_variable_initialized(v), v.read_value, lambda: v.initial_value)``,
        as TF1 builds it (so other variables' initial values may depend on it)."""
        from tfcore.ops import control_flow_ops, state_ops
        return control_flow_ops.cond(state_ops.is_variable_initialized(self), self.read_value,
                                     lambda: self.initial_value)

    def eval(self, session=None):
        return self._variable.eval(session=session)

    def load(self, value, session=None):
        if session is None:
            session = ops.get_default_session()
            if session is None:
                raise ValueError("Either session argument should be provided or default session "
                                 "should be established")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    def assign(self, value, use_locking=False, name=None, read_value=True):
        t = apply_op("Assign", name=name or "Assign", ref=self._variable, value=value,
                     use_locking=use_locking).outputs[0]
        return t if read_value else t.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        t = state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        t = state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def count_up_to(self, limit):
        raise NotImplementedError("count_up_to is not supported by tfcore")

    def set_shape(self, shape):
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def _get_save_slice_info(self):
        return self._save_slice_info

    def _set_save_slice_info(self, info):
        self._save_slice_info = info

    def to_proto(self, export_scope=None):
        d = {"variable_name": self._variable.name, "initializer_name": self._initializer_op.name,
             "snapshot_name": self._snapshot.name, "trainable": self._trainable}
        if self._initial_value is not None:
            d["initial_value_name"] = self._initial_value.name
        return d

    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self.get_shape(),
                                                        self.dtype.name)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __iter__(self):
        raise TypeError("'Variable' object is not iterable.")

    def __bool__(self):
        return self._snapshot.__bool__()

    __array_priority__ = 100


# Every Tensor operator works on a Variable through its snapshot. Looked up at
# call time, so operators registered on Tensor later (math_ops) apply too.
_OPERATORS = [
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__div__", "__rdiv__",
    "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__",
    "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__lt__", "__le__", "__gt__", "__ge__",
    "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__getitem__",
    "__neg__", "__abs__", "__invert__",
]


def _make_operator(name):
    def op(self, *args):
        return getattr(ops.Tensor, name)(self._snapshot, *args)
    op.__name__ = name
    return op


for _name in _OPERATORS:
    setattr(Variable, _name, _make_operator(_name))


def _getitem(self, slice_spec):
    # Like Tensor.__getitem__ on the snapshot, and the slice can be assigned.
    from tfcore.ops import array_ops
    return array_ops._slice_helper(self._snapshot, slice_spec, var=self)


Variable.__getitem__ = _getitem

VariableV1 = Variable


def _variable_conversion(v, dtype=None, name=None, as_ref=False):
    t = v._ref() if as_ref else v._snapshot
    if dtype is not None and not dtype.is_compatible_with(t.dtype):
        raise ValueError("Incompatible type conversion requested to type '%s' for variable of "
                         "type '%s'" % (dtype.name, t.dtype.name))
    return t


ops.register_tensor_conversion_function(Variable, _variable_conversion)


# ------------------------------------------------------------ collections

def global_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope)


def all_variables():
    return global_variables()


def trainable_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    from tfcore.ops import control_flow_ops
    var_list = list(var_list)
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def initialize_variables(var_list, name="init"):
    return variables_initializer(var_list, name=name)


def global_variables_initializer():
    return variables_initializer(global_variables())


def initialize_all_variables():
    return global_variables_initializer()


def local_variables_initializer():
    return variables_initializer(local_variables())


def initialize_local_variables():
    return local_variables_initializer()


def is_variable_initialized(variable):
    return state_ops.is_variable_initialized(variable)


def assert_variables_initialized(var_list=None):
    """The ranks of the variables in ``var_list`` (default: all global and local
    variables); evaluating it reads every variable, so it fails with
    FailedPreconditionError while one is uninitialised. None when there are no
    variables (TF1 semantics)."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    if not var_list:
        var_list = [op.outputs[0] for op in ops.get_default_graph().get_operations()
                    if op.type in ("Variable", "VariableV2", "AutoReloadVariable")]
    if not var_list:
        return None
    ranks = []
    for var in var_list:
        with ops.colocate_with(var.op):
            with ops.name_scope(None, "Rank", [var]) as name:
                t = ops.convert_to_tensor(var)
                ranks.append(apply_op("Rank", name=name, input=t).outputs[0])
    if len(ranks) == 1:
        return ranks[0]
    return apply_op("Pack", name="stack", values=ranks, axis=0).outputs[0]


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor with the names of the uninitialised variables in ``var_list``."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    var_list = list(var_list)
    with ops.name_scope(name):
        if not var_list:
            from tfcore.framework import constant_op
            return constant_op.constant([], dtype=dtypes.string)
        inited = [state_ops.is_variable_initialized(v) for v in var_list]
        stacked = apply_op("Pack", name="stack", values=inited, axis=0).outputs[0]
        mask = apply_op("LogicalNot", name="LogicalNot", x=stacked).outputs[0]
        from tfcore.framework import constant_op
        names = constant_op.constant([v.op.name for v in var_list])
        with ops.name_scope("boolean_mask"):
            where = apply_op("Where", name="Where", input=mask).outputs[0]
            idx = apply_op("Reshape", name="Reshape", tensor=where,
                           shape=constant_op.constant([-1], dtype=dtypes.int32)).outputs[0]
            return apply_op("GatherV2", name="GatherV2", params=names, indices=idx,
                            axis=constant_op.constant(0, dtype=dtypes.int32)).outputs[0]
