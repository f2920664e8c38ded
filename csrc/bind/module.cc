// The pybind11 module tfcore._C: the only code that includes Python headers.
// It exposes the core's public C++ API (Graph, Session, Callable, the op and
// kernel registries) with numpy conversions; the TF1 API is built on top of
// it in python/tfcore.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <climits>
#include <cstring>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "convert.h"
#include "py_graph.h"
#include "tfcore/graph/graph.h"
#include "tfcore/kernels/kernel.h"
#include "tfcore/runtime/session.h"

namespace py = pybind11;

namespace tfcore {
namespace bind {

void RegisterExtensions(py::module_& m);  // extensions.cc: later layers add bindings there

py::tuple OutputSpec(const Node* n) {
  py::list outs;
  for (int i = 0; i < n->num_outputs(); ++i) {
    const PartialShape& s = n->output_shape(i);
    py::object shape = py::none();
    if (s.known_rank()) {
      py::list l;
      for (int64_t d : s.dims()) l.append(d < 0 ? py::object(py::none()) : py::object(py::int_(d)));
      shape = py::tuple(l);
    }
    outs.append(py::make_tuple(static_cast<int>(n->output_type(i)), shape));
  }
  return py::make_tuple(n->id(), outs);
}

namespace {

py::handle g_status_error;  // tfcore._C.StatusError (leaked: outlives interpreter teardown)

py::dict OpDefToPython(const OpDef& d) {
  auto args = [](const std::vector<ArgDef>& v) {
    py::list l;
    for (const auto& a : v) {
      l.append(py::dict(py::arg("name") = a.name, py::arg("type") = static_cast<int>(a.type),
                        py::arg("type_attr") = a.type_attr, py::arg("number_attr") = a.number_attr,
                        py::arg("type_list_attr") = a.type_list_attr, py::arg("is_ref") = a.is_ref));
    }
    return l;
  };
  py::list attrs;
  for (const auto& a : d.attrs) {
    py::list allowed;
    for (DataType t : a.allowed_types) allowed.append(static_cast<int>(t));
    attrs.append(py::dict(py::arg("name") = a.name, py::arg("type") = a.type,
                          py::arg("has_default") = a.has_default,
                          py::arg("default") = a.has_default ? AttrToPython(a.default_value) : py::none(),
                          py::arg("allowed_types") = allowed));
  }
  return py::dict(py::arg("name") = d.name, py::arg("inputs") = args(d.inputs),
                  py::arg("outputs") = args(d.outputs), py::arg("attrs") = attrs,
                  py::arg("is_stateful") = d.is_stateful,
                  py::arg("has_gradient") = static_cast<bool>(d.grad_fn),
                  py::arg("no_gradient") = d.no_gradient);
}

class PyCallable {
 public:
  PyCallable(std::shared_ptr<Session> s, Callable* c) : session_(std::move(s)), c_(c) {}

  py::list Run(const py::list& feeds) {
    std::vector<Tensor> in;
    in.reserve(feeds.size());
    for (py::handle f : feeds) {
      Tensor t;
      ThrowIfError(TensorFromNumpy(f, &t));
      in.push_back(std::move(t));
    }
    return RunTensors(std::move(in));
  }

  py::list RunTensors(std::vector<Tensor> in) {
    std::vector<Tensor> out;
    Status s;
    {
      py::gil_scoped_release nogil;
      s = c_->Run(std::move(in), &out);
      in.clear();
    }
    ThrowIfError(s);
    py::list result(out.size());
    for (size_t i = 0; i < out.size(); ++i) {
      Tensor t = std::move(out[i]);
      result[i] = TensorToNumpy(t);
    }
    return result;
  }

 private:
  std::shared_ptr<Session> session_;  // keeps the callable alive
  Callable* c_;
};

// Note [Session.run fast path]
// A training loop calls Session.run with the same fetch objects and feed keys
// every step. The Python layer resolves a (fetch structure, feed keys)
// signature once (python/tfcore/client/session.py, _Plan) and registers the
// result here, keyed by the identities of the fetch leaves and feed keys
// (kept alive by the entry, so an identity is never reused). A later run with
// the same objects is then one native call: look up the entry, wrap each fed
// ndarray that already has the placeholder's dtype and a compatible shape
// without copying (anything else goes back to _Plan.convert_feed, which
// converts like TF1 and raises TF1's errors), run, and hand the outputs back.
// Only flat signatures are cached: a Tensor/Operation/Variable, or a plain list or
// tuple of them; nested structures, dicts and names take the Python path.
struct CachedPlan {
  std::unique_ptr<PyCallable> callable;
  std::vector<int> np_types;                 // numpy type number per feed
  std::vector<std::vector<int64_t>> dims;    // per feed, -1 unknown
  std::vector<bool> known_rank;
  int single = 1;                            // 0: result[0]; -1: None; 1: builder(results)
  py::object plan;                           // _Plan: convert_feed, builder
  std::vector<py::object> keep;              // the objects whose identities make the key
};

struct KeyHash {
  size_t operator()(const std::vector<uintptr_t>& k) const {
    size_t h = k.size();
    for (uintptr_t v : k) h = h * 1000003u ^ (v >> 4) ^ (v << 17);
    return h;
  }
};

// The cache key of a run(fetches, feed_dict) call; false when the signature is
// not one the fast path caches. Collects the feed values in dict order.
bool RunKey(py::handle fetches, py::handle feed_dict, std::vector<uintptr_t>* key,
            std::vector<PyObject*>* keep, std::vector<PyObject*>* feed_values) {
  key->clear();
  PyObject* f = fetches.ptr();
  auto leaf_ok = [](PyObject* o) {
    return !(PyList_Check(o) || PyTuple_Check(o) || PyDict_Check(o) || PyUnicode_Check(o) ||
             PyBytes_Check(o) || o == Py_None);
  };
  if (PyList_CheckExact(f) || PyTuple_CheckExact(f)) {
    const bool is_list = PyList_CheckExact(f);
    const Py_ssize_t n = is_list ? PyList_GET_SIZE(f) : PyTuple_GET_SIZE(f);
    key->push_back(is_list ? 1 : 2);
    for (Py_ssize_t i = 0; i < n; ++i) {
      PyObject* o = is_list ? PyList_GET_ITEM(f, i) : PyTuple_GET_ITEM(f, i);
      if (!leaf_ok(o)) return false;
      key->push_back(reinterpret_cast<uintptr_t>(o));
      if (keep) keep->push_back(o);
    }
  } else {
    if (!leaf_ok(f)) return false;
    key->push_back(0);
    key->push_back(reinterpret_cast<uintptr_t>(f));
    if (keep) keep->push_back(f);
  }
  key->push_back(3);  // separator: the feed keys follow
  if (!feed_dict.is_none()) {
    if (!PyDict_CheckExact(feed_dict.ptr())) return false;
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(feed_dict.ptr(), &pos, &k, &v)) {
      if (!leaf_ok(k)) return false;
      key->push_back(reinterpret_cast<uintptr_t>(k));
      if (keep) keep->push_back(k);
      if (feed_values) feed_values->push_back(v);
    }
  }
  return true;
}

// A Python float or int fed to a scalar float/int placeholder, converted as
// np.asarray(v, dtype) would when that is exact (no overflow, no rounding of
// an int); false leaves the value to _Plan.convert_feed.
bool ScalarFeed(PyObject* v, int np_type, Tensor* out) {
  constexpr int kNpyBool = 0, kNpyInt32 = 5, kNpyInt64 = 7, kNpyFloat32 = 11, kNpyFloat64 = 12;
  // numpy scalars of the placeholder's own type (np.float32(3.0)...): their
  // value follows the object header (numpy's Py<Type>ScalarObject layout).
  struct NumpyScalarTypes {
    PyObject* t[13] = {};
    NumpyScalarTypes() {
      py::module_ np = py::module_::import("numpy");
      t[kNpyBool] = py::object(np.attr("bool_")).release().ptr();
      t[kNpyInt32] = py::object(np.attr("int32")).release().ptr();
      t[kNpyInt64] = py::object(np.attr("int64")).release().ptr();
      t[kNpyFloat32] = py::object(np.attr("float32")).release().ptr();
      t[kNpyFloat64] = py::object(np.attr("float64")).release().ptr();
    }
  };
  static const NumpyScalarTypes* scalar_types = new NumpyScalarTypes();  // leaked
  if (np_type >= 0 && np_type <= kNpyFloat64 && scalar_types->t[np_type] != nullptr &&
      reinterpret_cast<PyObject*>(Py_TYPE(v)) == scalar_types->t[np_type]) {
    const char* val = reinterpret_cast<const char*>(v) + sizeof(PyObject);
    switch (np_type) {
      case kNpyBool: *out = Tensor(DT_BOOL, TensorShape()); *out->data<bool>() = *val != 0; return true;
      case kNpyInt32: *out = Tensor(DT_INT32, TensorShape()); std::memcpy(out->data<int32_t>(), val, 4); return true;
      case kNpyInt64: *out = Tensor(DT_INT64, TensorShape()); std::memcpy(out->data<int64_t>(), val, 8); return true;
      case kNpyFloat32: *out = Tensor(DT_FLOAT, TensorShape()); std::memcpy(out->data<float>(), val, 4); return true;
      case kNpyFloat64: *out = Tensor(DT_DOUBLE, TensorShape()); std::memcpy(out->data<double>(), val, 8); return true;
    }
  }
  if (PyBool_Check(v)) {
    if (np_type != kNpyBool) return false;
    *out = Tensor(DT_BOOL, TensorShape());
    *out->data<bool>() = v == Py_True;
    return true;
  }
  if (PyFloat_CheckExact(v)) {
    const double d = PyFloat_AS_DOUBLE(v);
    if (np_type == kNpyFloat64) {
      *out = Tensor(DT_DOUBLE, TensorShape());
      *out->data<double>() = d;
      return true;
    }
    if (np_type == kNpyFloat32 && !(std::fabs(d) > 3.4028234663852886e38)) {  // no overflow
      *out = Tensor(DT_FLOAT, TensorShape());
      *out->data<float>() = static_cast<float>(d);
      return true;
    }
    return false;
  }
  if (PyLong_CheckExact(v)) {  // exact: bool is a subclass
    int overflow = 0;
    const long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow || (x == -1 && PyErr_Occurred())) {
      PyErr_Clear();
      return false;
    }
    switch (np_type) {
      case kNpyInt32:
        if (x < INT32_MIN || x > INT32_MAX) return false;
        *out = Tensor(DT_INT32, TensorShape());
        *out->data<int32_t>() = static_cast<int32_t>(x);
        return true;
      case kNpyInt64:
        *out = Tensor(DT_INT64, TensorShape());
        *out->data<int64_t>() = x;
        return true;
      case kNpyFloat32:
        *out = Tensor(DT_FLOAT, TensorShape());
        *out->data<float>() = static_cast<float>(x);
        return true;
      case kNpyFloat64:
        *out = Tensor(DT_DOUBLE, TensorShape());
        *out->data<double>() = static_cast<double>(x);
        return true;
      default:
        return false;
    }
  }
  return false;
}

// Converts the fed values of a cached plan: zero-copy for an ndarray of the
// right dtype and shape, _Plan.convert_feed for everything else.
std::vector<Tensor> ConvertFeeds(const CachedPlan& e, const std::vector<PyObject*>& values) {
  std::vector<Tensor> in;
  in.reserve(values.size());
  const auto& api = py::detail::npy_api::get();
  for (size_t i = 0; i < values.size(); ++i) {
    PyObject* v = values[i];
    bool fast = false;
    if (Py_TYPE(v) == api.PyArray_Type_) {
      auto* a = reinterpret_cast<py::detail::PyArray_Proxy*>(v);
      auto* d = reinterpret_cast<py::detail::PyArrayDescr_Proxy*>(a->descr);
      if (d->type_num == e.np_types[i] && (a->flags & py::detail::npy_api::NPY_ARRAY_C_CONTIGUOUS_) &&
          (a->flags & py::detail::npy_api::NPY_ARRAY_ALIGNED_) && d->type_num != 17 /* object */ &&
          (d->byteorder == '=' || d->byteorder == '|' || d->byteorder == '<')) {
        fast = true;
        if (e.known_rank[i]) {
          const auto& dims = e.dims[i];
          if (static_cast<size_t>(a->nd) != dims.size()) {
            fast = false;
          } else {
            for (int k = 0; k < a->nd; ++k) {
              if (dims[k] >= 0 && dims[k] != a->dimensions[k]) fast = false;
            }
          }
        }
      }
    }
    Tensor t;
    if (!fast && (!e.known_rank[i] || e.dims[i].empty()) && ScalarFeed(v, e.np_types[i], &t)) {
      in.push_back(std::move(t));
      continue;
    }
    if (fast) {
      ThrowIfError(TensorFromNumpy(v, &t));
    } else {
      py::object arr = e.plan.attr("convert_feed")(i, py::handle(v));
      ThrowIfError(TensorFromNumpy(arr, &t));
    }
    in.push_back(std::move(t));
  }
  return in;
}

class PySession {
 public:
  explicit PySession(const PyGraph& g) : s_(std::make_shared<Session>(g.graph())), g_(g.graph()) {}

  PyCallable MakeCallable(const std::vector<std::pair<int, int>>& feeds,
                          const std::vector<std::pair<int, int>>& fetches,
                          const std::vector<int>& targets) {
    auto out = [&](const std::pair<int, int>& p) {
      Node* n = g_->node(p.first);
      if (!n) ThrowIfError(errors::InvalidArgument("node id ", p.first, " is not in this graph"));
      return NodeOut{n, p.second};
    };
    std::vector<NodeOut> fe, fo;
    std::vector<const Node*> ta;
    for (const auto& f : feeds) fe.push_back(out(f));
    for (const auto& f : fetches) fo.push_back(out(f));
    for (int t : targets) ta.push_back(out({t, 0}).node);
    Callable* c = nullptr;
    Status s;
    {
      py::gil_scoped_release nogil;
      s = s_->MakeCallable(fe, fo, ta, &c);
    }
    ThrowIfError(s);
    return PyCallable(s_, c);
  }

  void Close() {
    cache_.clear();
    py::gil_scoped_release nogil;
    s_->Close();
  }

  // Note [Session.run fast path]. Returns `miss` when the signature is not cached.
  py::object RunCached(py::handle fetches, py::handle feed_dict, py::handle miss) {
    std::vector<PyObject*> values;
    if (!RunKey(fetches, feed_dict, &key_, nullptr, &values)) return py::reinterpret_borrow<py::object>(miss);
    auto it = cache_.find(key_);
    if (it == cache_.end()) return py::reinterpret_borrow<py::object>(miss);
    std::shared_ptr<CachedPlan> e = it->second;  // survives a callback clearing the cache
    if (values.size() != e->np_types.size()) return py::reinterpret_borrow<py::object>(miss);
    py::list results = e->callable->RunTensors(ConvertFeeds(*e, values));
    if (e->single == 0) return results[0];
    if (e->single < 0) return py::none();
    return e->plan.attr("builder")(results);
  }

  // Registers a resolved _Plan for run(fetches, feed_dict) (Note [Session.run fast path]).
  void CachePlan(py::handle fetches, py::handle feed_dict, py::object plan,
                 const std::vector<int>& np_types, const py::list& dims, int single) {
    std::vector<uintptr_t> key;
    std::vector<PyObject*> keep;
    if (!RunKey(fetches, feed_dict, &key, &keep, nullptr)) return;
    if (cache_.size() >= 4096) cache_.clear();  // bounded: signatures built on the fly
    auto e = std::make_shared<CachedPlan>();
    e->callable.reset(new PyCallable(plan.attr("callable").cast<PyCallable>()));
    e->np_types = np_types;
    for (py::handle d : dims) {
      if (d.is_none()) {
        e->known_rank.push_back(false);
        e->dims.emplace_back();
      } else {
        e->known_rank.push_back(true);
        e->dims.push_back(d.cast<std::vector<int64_t>>());
      }
    }
    if (e->dims.size() != e->np_types.size()) return;
    e->single = single;
    e->plan = std::move(plan);
    for (PyObject* o : keep) e->keep.push_back(py::reinterpret_borrow<py::object>(o));
    cache_[std::move(key)] = std::move(e);
  }

  const std::shared_ptr<Session>& session() const { return s_; }

 private:
  std::shared_ptr<Session> s_;
  std::shared_ptr<Graph> g_;
  std::unordered_map<std::vector<uintptr_t>, std::shared_ptr<CachedPlan>, KeyHash> cache_;
  std::vector<uintptr_t> key_;  // scratch for RunCached
};

}  // namespace

PYBIND11_MODULE(_C, m) {
  m.doc() = "tfcore native core";
  g_status_error = py::module_::import("builtins")
                       .attr("type")("StatusError", py::make_tuple(py::handle(PyExc_Exception)), py::dict())
                       .release();
  g_status_error.attr("__module__") = "tfcore._C";
  m.attr("StatusError") = g_status_error;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      py::object err = py::reinterpret_borrow<py::object>(g_status_error)(static_cast<int>(e.status.code()), e.status.message(),
                                      e.status.node());
      PyErr_SetObject(g_status_error.ptr(), err.ptr());
    }
  });

  py::class_<PyGraph>(m, "Graph")
      .def(py::init<>())
      .def("add_node", &PyGraph::AddNode)
      .def("attrs", &PyGraph::Attrs)
      .def("node_info", &PyGraph::NodeInfo)
      .def("find", &PyGraph::Find)
      .def("set_shape", &PyGraph::SetShape)
      .def("num_nodes", &PyGraph::num_nodes);

  py::class_<PyCallable>(m, "Callable").def("run", &PyCallable::Run);

  py::class_<PySession>(m, "Session")
      .def(py::init<const PyGraph&>())
      .def("make_callable", &PySession::MakeCallable)
      .def("run_cached", &PySession::RunCached)
      .def("cache_plan", &PySession::CachePlan)
      .def("close", &PySession::Close);

  m.def("op_def", [](const std::string& name) -> py::object {
    const OpDef* d = OpRegistry::Global()->Find(name);
    if (!d) return py::none();
    return OpDefToPython(*d);
  });
  m.def("list_ops", [] { return OpRegistry::Global()->ListOps(); });
  m.def("registration_errors", [] { return OpRegistry::Global()->registration_errors(); });
  m.def("list_kernels", [] { return KernelRegistry::Global()->List(); });
  m.def("num_threads", [] { return ThreadPool::Default()->num_threads(); });

  RegisterExtensions(m);
}

}  // namespace bind
}  // namespace tfcore
