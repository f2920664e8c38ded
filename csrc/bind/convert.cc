#include "convert.h"

#include <pybind11/stl.h>

#include <cstring>

#include <pybind11/stl.h>  // py::cast of the list(...) attr values

namespace tfcore {
namespace bind {

py::dtype NumpyDType(DataType dt) {
  // One descriptor per type, made once (parsing a dtype name costs more than
  // the rest of handing a small tensor to Python). Leaked: outlives teardown.
  static PyObject* cache[32] = {};
  const DataType base = BaseType(dt);
  const int slot = static_cast<int>(base) >= 0 && static_cast<int>(base) < 32 ? static_cast<int>(base) : 0;
  if (cache[slot] == nullptr) {
    const char* name;
    switch (base) {
      case DT_FLOAT: name = "float32"; break;
      case DT_DOUBLE: name = "float64"; break;
      case DT_INT32: name = "int32"; break;
      case DT_UINT8: name = "uint8"; break;
      case DT_INT16: name = "int16"; break;
      case DT_INT8: name = "int8"; break;
      case DT_INT64: name = "int64"; break;
      case DT_BOOL: name = "bool"; break;
      case DT_UINT16: name = "uint16"; break;
      case DT_UINT32: name = "uint32"; break;
      case DT_UINT64: name = "uint64"; break;
      default: name = "O"; break;
    }
    py::dtype d(name);
    if (slot == 0 && base != 0) return d;  // out of the table's range: no caching
    cache[slot] = d.release().ptr();
  }
  return py::reinterpret_borrow<py::dtype>(cache[slot]);
}

DataType FromNumpyDType(const py::dtype& d) {
  char kind = d.kind();
  size_t size = d.itemsize();
  switch (kind) {
    case 'f':
      if (size == 4) return DT_FLOAT;
      if (size == 8) return DT_DOUBLE;
      return DT_INVALID;
    case 'i':
      if (size == 1) return DT_INT8;
      if (size == 2) return DT_INT16;
      if (size == 4) return DT_INT32;
      if (size == 8) return DT_INT64;
      return DT_INVALID;
    case 'u':
      if (size == 1) return DT_UINT8;
      if (size == 2) return DT_UINT16;
      if (size == 4) return DT_UINT32;
      if (size == 8) return DT_UINT64;
      return DT_INVALID;
    case 'b': return DT_BOOL;
    case 'O': case 'S': case 'U': return DT_STRING;
    default: return DT_INVALID;
  }
}

Status TensorFromNumpy(py::handle obj, Tensor* out) {
  // An ndarray is taken as it is (ensure() would run numpy's full conversion).
  py::array arr = py::detail::npy_api::get().PyArray_Check_(obj.ptr())
                      ? py::reinterpret_borrow<py::array>(obj)
                      : py::array::ensure(obj);
  if (!arr) return errors::InvalidArgument("Cannot convert value to a numpy array");
  if (arr.dtype().byteorder() == '>') {  // non-native byte order: convert to native first
    arr = py::array::ensure(arr.attr("astype")(arr.dtype().attr("newbyteorder")("=")));
  }
  DataType dt = FromNumpyDType(arr.dtype());
  if (dt == DT_INVALID) {
    return errors::InvalidArgument("Unsupported numpy dtype ", std::string(py::str(arr.dtype())));
  }
  std::vector<int64_t> dims(arr.shape(), arr.shape() + arr.ndim());
  TensorShape shape(dims);
  if (dt == DT_STRING) {
    Tensor t(DT_STRING, shape);
    std::string* s = t.data<std::string>();
    py::object flat = arr.attr("ravel")();
    int64_t i = 0;
    for (py::handle item : flat) {
      if (PyBytes_Check(item.ptr())) {
        s[i++] = std::string(PyBytes_AS_STRING(item.ptr()), PyBytes_GET_SIZE(item.ptr()));
      } else if (PyUnicode_Check(item.ptr())) {
        Py_ssize_t len;
        const char* c = PyUnicode_AsUTF8AndSize(item.ptr(), &len);
        if (!c) throw py::error_already_set();
        s[i++] = std::string(c, len);
      } else if (py::isinstance<py::bytes>(item)) {
        s[i++] = item.cast<std::string>();
      } else {
        return errors::InvalidArgument("Expected bytes or str elements for a string tensor");
      }
    }
    *out = std::move(t);
    return Status::OK();
  }
  if (!(arr.flags() & py::array::c_style)) {
    arr = py::array::ensure(arr, py::array::c_style | py::array::forcecast);
  }
  size_t bytes = static_cast<size_t>(shape.num_elements()) * DataTypeSize(dt);
  void* data = const_cast<void*>(arr.data());
  PyObject* keep = arr.release().ptr();  // owned by the buffer now
  auto buf = Buffer::Wrap(data, bytes, [keep] {
    py::gil_scoped_acquire gil;
    Py_DECREF(keep);
  });
  *out = Tensor(dt, shape, std::move(buf));
  return Status::OK();
}

py::object TensorToNumpy(const Tensor& t) {
  std::vector<py::ssize_t> shape(t.shape().dims().begin(), t.shape().dims().end());
  if (t.dtype() == DT_STRING) {
    py::array out(py::dtype("O"), shape);
    auto** p = static_cast<PyObject**>(out.mutable_data());
    const std::string* s = t.data<std::string>();
    for (int64_t i = 0; i < t.NumElements(); ++i) {
      PyObject* b = PyBytes_FromStringAndSize(s[i].data(), static_cast<Py_ssize_t>(s[i].size()));
      if (!b) throw py::error_already_set();
      Py_XDECREF(p[i]);
      p[i] = b;
    }
    if (t.rank() == 0) return out[py::tuple()];
    return std::move(out);
  }
  py::dtype dt = NumpyDType(t.dtype());
  py::array out;
  if (t.RefCountIsOne() && t.buffer()->owns_memory() && t.NumElements() > 0) {
    auto* holder = new std::shared_ptr<Buffer>(t.buffer());
    py::capsule cap(holder, [](void* p) { delete static_cast<std::shared_ptr<Buffer>*>(p); });
    out = py::array(dt, shape, {}, t.raw_data(), cap);
  } else {
    out = py::array(dt, shape);
    if (t.NumElements() > 0) std::memcpy(out.mutable_data(), t.raw_data(), t.TotalBytes());
  }
  if (t.rank() == 0) return out[py::tuple()];
  return std::move(out);
}

namespace {

Status ShapeFromPython(py::handle v, PartialShape* out) {
  if (v.is_none()) {
    *out = PartialShape::Unknown();
    return Status::OK();
  }
  std::vector<int64_t> dims;
  for (py::handle d : v) {
    if (d.is_none()) dims.push_back(-1);
    else dims.push_back(d.cast<int64_t>());
  }
  *out = PartialShape(dims);
  return Status::OK();
}

py::object ShapeToPython(const PartialShape& s) {
  if (!s.known_rank()) return py::none();
  py::list l;
  for (int64_t d : s.dims()) {
    if (d < 0) l.append(py::none());
    else l.append(d);
  }
  return std::move(l);
}

std::string StringFromPython(py::handle v) {
  if (PyBytes_Check(v.ptr())) return v.cast<std::string>();
  return py::str(v).cast<std::string>();
}

}  // namespace

Status AttrFromPython(const std::string& type, py::handle v, AttrValue* out) {
  try {
    if (type == "int") *out = v.cast<int64_t>();
    else if (type == "float") *out = v.cast<float>();
    else if (type == "bool") *out = v.cast<bool>();
    else if (type == "string") *out = StringFromPython(v);
    else if (type == "type") *out = static_cast<DataType>(v.cast<int>());
    else if (type == "shape") {
      PartialShape s;
      TF_RETURN_IF_ERROR(ShapeFromPython(v, &s));
      *out = s;
    } else if (type == "tensor") {
      Tensor t;
      TF_RETURN_IF_ERROR(TensorFromNumpy(v, &t));
      // Attr tensors must not alias user memory: own a copy.
      *out = t.Copy();
    } else if (type == "list(int)") {
      std::vector<int64_t> l;
      for (py::handle x : v) l.push_back(x.cast<int64_t>());
      *out = l;
    } else if (type == "list(float)") {
      std::vector<float> l;
      for (py::handle x : v) l.push_back(x.cast<float>());
      *out = l;
    } else if (type == "list(bool)") {
      std::vector<bool> l;
      for (py::handle x : v) l.push_back(x.cast<bool>());
      *out = l;
    } else if (type == "list(string)") {
      std::vector<std::string> l;
      for (py::handle x : v) l.push_back(StringFromPython(x));
      *out = l;
    } else if (type == "list(type)") {
      std::vector<DataType> l;
      for (py::handle x : v) l.push_back(static_cast<DataType>(x.cast<int>()));
      *out = l;
    } else if (type == "list(shape)") {
      std::vector<PartialShape> l;
      for (py::handle x : v) {
        PartialShape s;
        TF_RETURN_IF_ERROR(ShapeFromPython(x, &s));
        l.push_back(s);
      }
      *out = l;
    } else {
      return errors::InvalidArgument("Unsupported attr type ", type);
    }
  } catch (const py::cast_error&) {
    return errors::InvalidArgument("Expected a value of attr type ", type, ", got ",
                                   std::string(py::repr(v)));
  }
  return Status::OK();
}

py::object AttrToPython(const AttrValue& v) {
  struct Visitor {
    py::object operator()(std::monostate) const { return py::none(); }
    py::object operator()(int64_t i) const { return py::int_(i); }
    py::object operator()(float f) const { return py::float_(f); }
    py::object operator()(bool b) const { return py::bool_(b); }
    py::object operator()(const std::string& s) const { return py::bytes(s); }
    py::object operator()(DataType t) const { return py::int_(static_cast<int>(t)); }
    py::object operator()(const PartialShape& s) const { return ShapeToPython(s); }
    py::object operator()(const Tensor& t) const { return TensorToNumpy(t.Copy()); }
    py::object operator()(const std::vector<int64_t>& l) const { return py::cast(l); }
    py::object operator()(const std::vector<float>& l) const { return py::cast(l); }
    py::object operator()(const std::vector<bool>& l) const { return py::cast(l); }
    py::object operator()(const std::vector<std::string>& l) const {
      py::list r;
      for (const auto& s : l) r.append(py::bytes(s));
      return std::move(r);
    }
    py::object operator()(const std::vector<DataType>& l) const {
      py::list r;
      for (DataType t : l) r.append(static_cast<int>(t));
      return std::move(r);
    }
    py::object operator()(const std::vector<PartialShape>& l) const {
      py::list r;
      for (const auto& s : l) r.append(ShapeToPython(s));
      return std::move(r);
    }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace bind
}  // namespace tfcore
