"""tf.Session and tf.InteractiveSession.

``run(fetches, feed_dict)`` flattens the fetch structure (tensors, ops,
variables, names, and any nesting of lists, tuples, namedtuples and dicts),
asks the native session for a compiled callable for the (feeds, fetches,
targets) signature, and rebuilds the structure from the results. Everything
derived from a signature is cached, so a training loop only pays for
converting its feeds and one native call per step.
"""
import collections
import threading

import numpy as np

from tfcore._native import _C
from tfcore.framework import errors
from tfcore.framework import ops


class _Fetch:
    """How one leaf of the fetch structure maps to native fetches/targets."""
    __slots__ = ("tensor", "op")

    def __init__(self, tensor=None, op=None):
        self.tensor = tensor
        self.op = op


def _leaf(graph, fetch):
    if fetch is None:
        raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
    conv = getattr(fetch, "_as_graph_element", None)
    if conv is not None and not isinstance(fetch, (ops.Tensor, ops.Operation)):
        fetch = conv()
    try:
        el = graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except TypeError as e:
        raise TypeError("Fetch argument %r has invalid type %r, must be a string or Tensor. (%s)"
                        % (fetch, type(fetch), e)) from None
    except ValueError as e:
        raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)"
                         % (fetch, e)) from None
    except KeyError as e:
        raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)"
                         % (fetch, e.args[0] if e.args else e)) from None
    if isinstance(el, ops.Tensor):
        return _Fetch(tensor=el)
    return _Fetch(op=el)


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


class _Plan:
    """Everything cached for one (fetch structure, feed keys) signature."""

    def __init__(self, session, fetches, feed_keys):
        graph = session.graph
        self.fetch_tensors = []   # unique tensors, native fetch order
        self.targets = []         # unique ops
        tensor_pos = {}
        target_ids = set()

        def build(f):
            if isinstance(f, (list, tuple)) and not isinstance(f, ops.Tensor):
                subs = [build(x) for x in f]
                if _is_namedtuple(f):
                    ctor = type(f)
                    return lambda r: ctor(*[s(r) for s in subs])
                ctor = type(f)
                if ctor is list:
                    return lambda r: [s(r) for s in subs]
                if ctor is tuple:
                    return lambda r: tuple(s(r) for s in subs)
                return lambda r: ctor([s(r) for s in subs])
            if isinstance(f, collections.abc.Mapping):
                keys = list(f.keys())
                subs = [build(f[k]) for k in keys]
                ctor = type(f)
                if ctor is dict:
                    return lambda r: {k: s(r) for k, s in zip(keys, subs)}
                return lambda r: ctor((k, s(r)) for k, s in zip(keys, subs))
            leaf = _leaf(graph, f)
            if leaf.op is not None:
                if leaf.op._id not in target_ids:
                    target_ids.add(leaf.op._id)
                    self.targets.append(leaf.op)
                return lambda r: None
            t = leaf.tensor
            pos = tensor_pos.get(t)
            if pos is None:
                pos = tensor_pos[t] = len(self.fetch_tensors)
                self.fetch_tensors.append(t)
            return lambda r, p=pos: r[p]

        self.builder = build(fetches)
        self.single = None
        if isinstance(fetches, (ops.Tensor, ops.Operation)) or not isinstance(
                fetches, (list, tuple, collections.abc.Mapping)):
            self.single = 0 if self.fetch_tensors else -1

        self.feed_tensors = []
        for key in feed_keys:
            if isinstance(key, ops.Tensor):
                t = key
                if t.graph is not graph:
                    raise ValueError("Tensor %s is not an element of this graph." % t)
            else:
                conv = getattr(key, "_as_graph_element", None)
                if conv is not None:
                    key = conv()
                try:
                    t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
                except (KeyError, ValueError) as e:
                    raise TypeError("Cannot interpret feed_dict key as Tensor: " +
                                    (e.args[0] if e.args else str(e))) from None
                except TypeError as e:
                    raise TypeError("Cannot interpret feed_dict key as Tensor: " + str(e)) from None
            self.feed_tensors.append(t)
        self.feed_np_dtypes = [t.dtype.base_dtype.as_numpy_dtype for t in self.feed_tensors]
        self.cached_natively = False
        self.feed_shapes = [t.get_shape() for t in self.feed_tensors]
        try:
            self.callable = session._c.make_callable(
                [t._as_tf_output() for t in self.feed_tensors],
                [t._as_tf_output() for t in self.fetch_tensors],
                [op._id for op in self.targets])
        except _C.StatusError as e:
            ops._raise_status(e, graph)

    def convert_feed(self, i, v):
        """The numpy value fed for feed i, converted and checked as TF1 does."""
        t = self.feed_tensors[i]
        np_dtype = self.feed_np_dtypes[i]
        if isinstance(v, ops.Tensor):
            raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable "
                            "feed values include Python scalars, strings, lists, numpy "
                            "ndarrays, or TensorHandles. For reference, the tensor object "
                            "was %s which was passed to the feed with key %s." % (v, t))
        if type(v) is np.ndarray and v.dtype == np_dtype:
            arr = v
        elif np_dtype is object:
            arr = np.asarray(v, dtype=object)
        else:
            arr = np.asarray(v, dtype=np_dtype)
        shape = self.feed_shapes[i]
        dims = shape._dims
        if dims is not None:
            if len(dims) != arr.ndim or any(
                    d._value is not None and d._value != n for d, n in zip(dims, arr.shape)):
                raise errors.FeedValueError(
                    None, t.op,
                    "Cannot feed value of shape %r for Tensor %s, which has shape %s"
                    % (arr.shape, t.name, shape))
        return arr

    def convert_feeds(self, values):
        return [self.convert_feed(i, v) for i, v in enumerate(values)]

    def native_signature(self):
        """What the native fast path needs (Note [Session.run fast path] in csrc/bind/module.cc)."""
        types = [np.dtype(d).num for d in self.feed_np_dtypes]
        dims = [None if s._dims is None else
                [-1 if d._value is None else d._value for d in s._dims]
                for s in self.feed_shapes]
        single = 1 if self.single is None else self.single
        return types, dims, single


def _cacheable_leaf(f):
    return isinstance(f, (ops.Tensor, ops.Operation)) or (
        hasattr(type(f), "_as_graph_element") and not isinstance(f, (str, bytes)))


_MISS = object()


class BaseSession:
    """Shared implementation of Session and InteractiveSession."""

    def __init__(self, target="", graph=None, config=None):
        if graph is None:
            graph = ops.get_default_graph()
        elif not isinstance(graph, ops.Graph):
            raise TypeError("graph must be a tf.Graph, but got %s" % type(graph))
        self._graph = graph
        self._target = target
        self._config = config
        self._closed = False
        self._c = _C.Session(graph._c)
        self._plans = {}
        self._lock = threading.Lock()
        self._default_session_ctx = None
        self._default_graph_ctx = None

    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    @property
    def sess_str(self):
        return self._target

    def list_devices(self):
        return []

    def as_default(self):
        return ops.default_session(self)

    def close(self):
        if not self._closed:
            self._closed = True
            self._plans.clear()
            self._c.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter teardown
            pass

    def _plan(self, fetches, feed_dict):
        if isinstance(fetches, (list, tuple)):
            key = (type(fetches), tuple(f if not isinstance(f, (list, tuple, dict)) else
                                        _struct_key(f) for f in fetches))
        elif isinstance(fetches, dict):
            key = _struct_key(fetches)
        else:
            key = fetches
        if feed_dict:
            key = (key, tuple(feed_dict))
        try:
            plan = self._plans.get(key)
        except TypeError:  # unhashable leaf: no caching
            return _Plan(self, fetches, list(feed_dict or ()))
        if plan is None:
            plan = _Plan(self, fetches, list(feed_dict or ()))
            self._plans[key] = plan
        return plan

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the graph for ``fetches`` with ``feed_dict``; returns values in the same structure."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if feed_dict is None or type(feed_dict) is dict:
            # A signature seen before: one native call (Note [Session.run fast path]).
            try:
                r = self._c.run_cached(fetches, feed_dict, _MISS)
            except _C.StatusError as e:
                ops._raise_status(e, self._graph)
            if r is not _MISS:
                return r
        elif not isinstance(feed_dict, dict):
            raise TypeError("feed_dict must be a dictionary")
        plan = self._plan(fetches, feed_dict)
        feeds = plan.convert_feeds(feed_dict.values()) if feed_dict else []
        try:
            results = plan.callable.run(feeds)
        except _C.StatusError as e:
            ops._raise_status(e, self._graph)
        if not plan.cached_natively and (type(feed_dict) is dict or feed_dict is None):
            plan.cached_natively = True
            leaves = fetches if type(fetches) in (list, tuple) else (fetches,)
            if all(_cacheable_leaf(f) for f in leaves) and all(
                    isinstance(k, ops.Tensor) for k in (feed_dict or ())):
                self._c.cache_plan(fetches, feed_dict, plan, *plan.native_signature())
        if plan.single is not None:
            return results[0] if plan.single == 0 else None
        return plan.builder(results)

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        feed_list = list(feed_list or [])
        plan = _Plan(self, fetches, feed_list)

        def call(*args, **kwargs):
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            if len(args) != len(feed_list):
                raise TypeError("Callable expected %d arguments, got %d"
                                % (len(feed_list), len(args)))
            try:
                results = plan.callable.run(plan.convert_feeds(args))
            except _C.StatusError as e:
                ops._raise_status(e, self._graph)
            if plan.single is not None:
                return results[0] if plan.single == 0 else None
            return plan.builder(results)

        return call

    def partial_run_setup(self, fetches, feeds=None):
        raise NotImplementedError("partial_run is not supported by tfcore")

    def __enter__(self):
        if self._default_graph_ctx is None:
            self._default_graph_ctx = self._graph.as_default()
            self._default_graph_ctx.__enter__()
        else:
            self._default_graph_ctx = None
        self._default_session_ctx = self.as_default()
        self._default_session_ctx.__enter__()
        return self

    def __exit__(self, exec_type, exec_value, exec_tb):
        if self._default_session_ctx is not None:
            self._default_session_ctx.__exit__(exec_type, exec_value, exec_tb)
            self._default_session_ctx = None
        if self._default_graph_ctx is not None:
            self._default_graph_ctx.__exit__(exec_type, exec_value, exec_tb)
            self._default_graph_ctx = None
        self.close()
        return False


def _struct_key(f):
    if isinstance(f, dict):
        return (dict, tuple((k, _struct_key(v)) for k, v in f.items()))
    if isinstance(f, (list, tuple)):
        return (type(f), tuple(_struct_key(x) for x in f))
    return f


class Session(BaseSession):
    """A class for running TensorFlow operations (TF1)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)

    @staticmethod
    def reset(target, containers=None, config=None):
        pass


class InteractiveSession(BaseSession):
    """A Session that installs itself as the default session (for shells and notebooks)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._explicitly_closed = False
        self._default_session_ctx = self.as_default()
        self._default_session_ctx.__enter__()
        self._default_graph_ctx = self.graph.as_default()
        self._default_graph_ctx.__enter__()

    def close(self):
        super().close()
        if self._default_graph_ctx is not None:
            try:
                self._default_graph_ctx.__exit__(None, None, None)
            except Exception:  # noqa: BLE001
                pass
            self._default_graph_ctx = None
        if self._default_session_ctx is not None:
            try:
                self._default_session_ctx.__exit__(None, None, None)
            except Exception:  # noqa: BLE001
                pass
            self._default_session_ctx = None
