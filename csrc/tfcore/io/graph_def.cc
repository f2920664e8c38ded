#include "tfcore/io/graph_def.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "tfcore/io/tensor_proto.h"

namespace tfcore {
namespace graphdef {

using proto::Field;
using proto::Reader;
using proto::Writer;

namespace {
// AttrValue
constexpr uint32_t kAvList = 1, kAvS = 2, kAvI = 3, kAvF = 4, kAvB = 5, kAvType = 6, kAvShape = 7,
                   kAvTensor = 8, kAvPlaceholder = 9, kAvFunc = 10;
// AttrValue.ListValue
constexpr uint32_t kLvS = 2, kLvI = 3, kLvF = 4, kLvB = 5, kLvType = 6, kLvShape = 7, kLvTensor = 8,
                   kLvFunc = 9;
// NodeDef
constexpr uint32_t kNdName = 1, kNdOp = 2, kNdInput = 3, kNdDevice = 4, kNdAttr = 5, kNdDebugInfo = 6;
// GraphDef
constexpr uint32_t kGdNode = 1, kGdLibrary = 2, kGdVersion = 3, kGdVersions = 4;
// map entries
constexpr uint32_t kMapKey = 1, kMapValue = 2;

Status Wrap(const Status& s, const std::string& what) {
  if (s.ok()) return s;
  return Status(s.code(), what + ": " + s.message());
}

// Iterates a map<string, bytes> entry.
Status DecodeMapEntry(std::string_view entry, std::string* key, std::string_view* value) {
  Reader r(entry);
  Field f;
  key->clear();
  *value = {};
  while (r.Next(&f)) {
    if (f.number == kMapKey) TF_RETURN_IF_ERROR(f.AsString(key));
    else if (f.number == kMapValue) TF_RETURN_IF_ERROR(f.AsBytes(value));
  }
  return r.status();
}

void EncodeMapEntry(Writer* w, uint32_t field, std::string_view key, std::string_view value) {
  w->Nested(field, [&](Writer& e) {
    e.String(kMapKey, key);
    e.Message(kMapValue, value);
  });
}
}  // namespace

bool DeterministicKeyLess::operator()(std::string_view a, std::string_view b) const {
  const size_t n = std::min(a.size(), b.size());
  const int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c < 0;
  return a.size() > b.size();
}

// ---------------------------------------------------------------- AttrValue

void EncodeAttrValue(const AttrValue& v, Writer* w) {
  std::visit(
      [&](const auto& x) {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) {
        } else if constexpr (std::is_same_v<X, int64_t>) {
          w->Int64(kAvI, x);
        } else if constexpr (std::is_same_v<X, float>) {
          w->Float(kAvF, x);
        } else if constexpr (std::is_same_v<X, bool>) {
          w->Bool(kAvB, x);
        } else if constexpr (std::is_same_v<X, std::string>) {
          w->Bytes(kAvS, x);
        } else if constexpr (std::is_same_v<X, DataType>) {
          w->Enum(kAvType, BaseType(x));
        } else if constexpr (std::is_same_v<X, PartialShape>) {
          w->Nested(kAvShape, [&](Writer& s) { proto::EncodeTensorShape(x, &s); });
        } else if constexpr (std::is_same_v<X, Tensor>) {
          w->Nested(kAvTensor, [&](Writer& s) { proto::EncodeTensorProto(x, &s); });
        } else {
          w->Nested(kAvList, [&](Writer& l) {
            if constexpr (std::is_same_v<X, std::vector<int64_t>>) {
              l.PackedVarint(kLvI, x);
            } else if constexpr (std::is_same_v<X, std::vector<float>>) {
              l.PackedFloat(kLvF, x);
            } else if constexpr (std::is_same_v<X, std::vector<bool>>) {
              std::vector<uint8_t> b(x.begin(), x.end());
              l.PackedVarint(kLvB, b);
            } else if constexpr (std::is_same_v<X, std::vector<std::string>>) {
              for (const auto& s : x) l.Bytes(kLvS, s);
            } else if constexpr (std::is_same_v<X, std::vector<DataType>>) {
              std::vector<int32_t> t;
              for (DataType d : x) t.push_back(BaseType(d));
              l.PackedVarint(kLvType, t);
            } else if constexpr (std::is_same_v<X, std::vector<PartialShape>>) {
              for (const auto& s : x) l.Nested(kLvShape, [&](Writer& sw) { proto::EncodeTensorShape(s, &sw); });
            }
          });
        }
      },
      v);
}

namespace {
Status DecodeList(std::string_view bytes, AttrValue* out) {
  Reader r(bytes);
  Field f;
  std::vector<std::string> s;
  std::vector<int64_t> i;
  std::vector<float> fl;
  std::vector<bool> b;
  std::vector<int32_t> types;
  std::vector<PartialShape> shapes;
  int tensors = 0, funcs = 0;
  while (r.Next(&f)) {
    switch (f.number) {
      case kLvS: {
        std::string v;
        TF_RETURN_IF_ERROR(f.AsString(&v));
        s.push_back(std::move(v));
        break;
      }
      case kLvI: TF_RETURN_IF_ERROR(f.AppendVarints(&i)); break;
      case kLvF: TF_RETURN_IF_ERROR(f.AppendFloats(&fl)); break;
      case kLvB: TF_RETURN_IF_ERROR(f.AppendBools(&b)); break;
      case kLvType: TF_RETURN_IF_ERROR(f.AppendInt32s(&types)); break;
      case kLvShape: {
        std::string_view sb;
        TF_RETURN_IF_ERROR(f.AsBytes(&sb));
        PartialShape p;
        TF_RETURN_IF_ERROR(proto::DecodeTensorShape(sb, &p));
        shapes.push_back(std::move(p));
        break;
      }
      case kLvTensor: ++tensors; break;
      case kLvFunc: ++funcs; break;
      default: break;
    }
  }
  TF_RETURN_IF_ERROR(r.status());
  if (tensors) return errors::Unimplemented("list(tensor) attrs are not supported");
  if (funcs) return errors::Unimplemented("list(func) attrs are not supported");
  if (!s.empty()) *out = std::move(s);
  else if (!i.empty()) *out = std::move(i);
  else if (!fl.empty()) *out = std::move(fl);
  else if (!b.empty()) *out = std::move(b);
  else if (!types.empty()) {
    std::vector<DataType> t;
    for (int32_t x : types) t.push_back(static_cast<DataType>(x));
    *out = std::move(t);
  } else if (!shapes.empty()) *out = std::move(shapes);
  else *out = std::vector<int64_t>{};  // empty list of any type
  return Status::OK();
}
}  // namespace

Status DecodeAttrValue(std::string_view bytes, AttrValue* out, std::string* kind) {
  Reader r(bytes);
  Field f;
  *out = std::monostate{};
  std::string k;
  Status pending;  // an unsupported kind (reported only if it is the final one)
  while (r.Next(&f)) {
    pending = Status::OK();
    switch (f.number) {
      case kAvList: {
        std::string_view lb;
        TF_RETURN_IF_ERROR(f.AsBytes(&lb));
        Status s = DecodeList(lb, out);
        if (s.code() == Code::UNIMPLEMENTED) pending = s;
        else TF_RETURN_IF_ERROR(s);
        k = "list";
        break;
      }
      case kAvS: {
        std::string v;
        TF_RETURN_IF_ERROR(f.AsString(&v));
        *out = std::move(v);
        k = "s";
        break;
      }
      case kAvI: {
        int64_t v;
        TF_RETURN_IF_ERROR(f.AsInt64(&v));
        *out = v;
        k = "i";
        break;
      }
      case kAvF: {
        float v;
        TF_RETURN_IF_ERROR(f.AsFloat(&v));
        *out = v;
        k = "f";
        break;
      }
      case kAvB: {
        bool v;
        TF_RETURN_IF_ERROR(f.AsBool(&v));
        *out = v;
        k = "b";
        break;
      }
      case kAvType: {
        int32_t v;
        TF_RETURN_IF_ERROR(f.AsInt32(&v));
        *out = static_cast<DataType>(v);
        k = "type";
        break;
      }
      case kAvShape: {
        std::string_view sb;
        TF_RETURN_IF_ERROR(f.AsBytes(&sb));
        PartialShape p;
        TF_RETURN_IF_ERROR(proto::DecodeTensorShape(sb, &p));
        *out = std::move(p);
        k = "shape";
        break;
      }
      case kAvTensor: {
        std::string_view tb;
        TF_RETURN_IF_ERROR(f.AsBytes(&tb));
        Tensor t;
        TF_RETURN_IF_ERROR(proto::DecodeTensorProto(tb, &t));
        *out = std::move(t);
        k = "tensor";
        break;
      }
      case kAvPlaceholder:
        pending = errors::Unimplemented("placeholder attrs (function bodies) are not supported");
        k = "placeholder";
        break;
      case kAvFunc:
        pending = errors::Unimplemented("func attrs (functions) are not supported");
        k = "func";
        break;
      default: break;
    }
  }
  TF_RETURN_IF_ERROR(r.status());
  if (kind) *kind = k;
  return pending;
}

// ---------------------------------------------------------------- VersionDef / NodeDef / GraphDef

void EncodeVersionDef(const VersionDefData& v, Writer* w) {
  w->Int32IfNonZero(1, v.producer);
  w->Int32IfNonZero(2, v.min_consumer);
  w->PackedVarint(3, v.bad_consumers);
}

Status DecodeVersionDef(std::string_view bytes, VersionDefData* v) {
  *v = VersionDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    if (f.number == 1) TF_RETURN_IF_ERROR(f.AsInt32(&v->producer));
    else if (f.number == 2) TF_RETURN_IF_ERROR(f.AsInt32(&v->min_consumer));
    else if (f.number == 3) TF_RETURN_IF_ERROR(f.AppendInt32s(&v->bad_consumers));
  }
  return r.status();
}

void EncodeNodeDef(const NodeDefData& n, Writer* w) {
  w->BytesIfNonEmpty(kNdName, n.name);
  w->BytesIfNonEmpty(kNdOp, n.op);
  for (const auto& in : n.inputs) w->String(kNdInput, in);
  w->BytesIfNonEmpty(kNdDevice, n.device);
  std::vector<const std::pair<const std::string, std::string>*> attrs;
  for (const auto& kv : n.attrs) attrs.push_back(&kv);
  std::sort(attrs.begin(), attrs.end(),
            [](const auto* a, const auto* b) { return DeterministicKeyLess()(a->first, b->first); });
  for (const auto* kv : attrs) EncodeMapEntry(w, kNdAttr, kv->first, kv->second);
  if (!n.experimental_debug_info.empty()) w->Message(kNdDebugInfo, n.experimental_debug_info);
}

Status DecodeNodeDef(std::string_view bytes, NodeDefData* n) {
  *n = NodeDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case kNdName: TF_RETURN_IF_ERROR(f.AsString(&n->name)); break;
      case kNdOp: TF_RETURN_IF_ERROR(f.AsString(&n->op)); break;
      case kNdInput: {
        std::string s;
        TF_RETURN_IF_ERROR(f.AsString(&s));
        n->inputs.push_back(std::move(s));
        break;
      }
      case kNdDevice: TF_RETURN_IF_ERROR(f.AsString(&n->device)); break;
      case kNdAttr: {
        std::string_view entry, value;
        TF_RETURN_IF_ERROR(f.AsBytes(&entry));
        std::string key;
        TF_RETURN_IF_ERROR(DecodeMapEntry(entry, &key, &value));
        n->attrs[key] = std::string(value);
        break;
      }
      case kNdDebugInfo: TF_RETURN_IF_ERROR(f.AsString(&n->experimental_debug_info)); break;
      default: break;
    }
  }
  return r.status();
}

std::string EncodeGraphDef(const GraphDefData& g) {
  Writer w;
  for (const auto& n : g.nodes) w.Nested(kGdNode, [&](Writer& nw) { EncodeNodeDef(n, &nw); });
  if (g.has_library) w.Message(kGdLibrary, g.library);
  w.Int32IfNonZero(kGdVersion, g.deprecated_version);
  if (g.has_versions) w.Nested(kGdVersions, [&](Writer& vw) { EncodeVersionDef(g.versions, &vw); });
  return w.Release();
}

Status DecodeGraphDef(std::string_view bytes, GraphDefData* g) {
  *g = GraphDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case kGdNode: {
        std::string_view nb;
        TF_RETURN_IF_ERROR(f.AsBytes(&nb));
        NodeDefData n;
        TF_RETURN_IF_ERROR(Wrap(DecodeNodeDef(nb, &n), "node " + std::to_string(g->nodes.size())));
        g->nodes.push_back(std::move(n));
        break;
      }
      case kGdLibrary:
        TF_RETURN_IF_ERROR(f.AsString(&g->library));
        g->has_library = true;
        break;
      case kGdVersion: TF_RETURN_IF_ERROR(f.AsInt32(&g->deprecated_version)); break;
      case kGdVersions: {
        std::string_view vb;
        TF_RETURN_IF_ERROR(f.AsBytes(&vb));
        TF_RETURN_IF_ERROR(DecodeVersionDef(vb, &g->versions));
        g->has_versions = true;
        break;
      }
      default: break;
    }
  }
  return r.status();
}

// ---------------------------------------------------------------- Graph -> GraphDef

NodeDefData NodeToNodeDef(const Node& n, bool add_shapes) {
  NodeDefData d;
  d.name = n.name();
  d.op = n.type_string();
  for (const NodeOut& in : n.inputs()) {
    d.inputs.push_back(in.index == 0 ? in.node->name() : in.node->name() + ":" + std::to_string(in.index));
  }
  for (const Node* c : n.control_inputs()) d.inputs.push_back("^" + c->name());
  d.device = n.device();
  for (const auto& kv : n.attrs()) {
    Writer w;
    EncodeAttrValue(kv.second, &w);
    d.attrs[kv.first] = w.Release();
  }
  if (add_shapes) {
    std::vector<PartialShape> shapes;
    for (int i = 0; i < n.num_outputs(); ++i) shapes.push_back(n.output_shape(i));
    Writer w;
    EncodeAttrValue(AttrValue(shapes), &w);
    d.attrs["_output_shapes"] = w.Release();
  }
  return d;
}

Status GraphToGraphDef(const Graph& g, const ExportOptions& opts, GraphDefData* out) {
  *out = GraphDefData();
  const int n = g.num_nodes();
  const int end = opts.end_node < 0 ? n : std::min(n, opts.end_node);
  for (int i = std::max(0, opts.first_node); i < end; ++i) {
    const Node* node = g.node(i);
    if (node) out->nodes.push_back(NodeToNodeDef(*node, opts.add_shapes));
  }
  out->has_versions = true;
  out->versions.producer = kGraphDefProducer;
  // No `library`: TF leaves it unset when the graph has no functions.
  return Status::OK();
}

namespace {

// Serialized size of a length-delimited field with a one-byte tag.
inline size_t LenField(size_t payload) { return 1 + proto::VarintLength(payload) + payload; }

// One attr map entry, with the bulky Const payload (tensor_content) kept
// apart so it is copied only once, into the final buffer.
struct EncodedAttr {
  std::string prefix;       // everything before the payload bytes
  std::string_view payload; // raw tensor bytes (may be empty)
  std::string suffix;       // nothing today; kept for symmetry
  size_t size() const { return prefix.size() + payload.size() + suffix.size(); }
};

void EncodeAttrEntry(const std::string& key, const AttrValue& v, EncodedAttr* out) {
  out->prefix.clear();
  out->payload = {};
  out->suffix.clear();
  const Tensor* t = std::get_if<Tensor>(&v);
  if (t == nullptr || !proto::IsRawDataType(t->dtype()) || t->NumElements() <= 1) {
    Writer av;
    EncodeAttrValue(v, &av);
    Writer e(&out->prefix);
    e.String(kMapKey, key);
    e.Message(kMapValue, av.data());
    return;
  }
  // TensorProto = dtype, shape, tensor_content (numeric, > 1 element).
  Writer head;
  head.Enum(1, BaseType(t->dtype()));
  head.Nested(2, [&](Writer& s) { proto::EncodeTensorShape(PartialShape(t->shape()), &s); });
  const size_t content = t->TotalBytes();
  const size_t tp_len = head.size() + LenField(content);
  const size_t av_len = LenField(tp_len);
  Writer e(&out->prefix);
  e.String(kMapKey, key);
  e.Tag(kMapValue, proto::kLengthDelimited);
  proto::PutVarint(&out->prefix, av_len);
  e.Tag(kAvTensor, proto::kLengthDelimited);
  proto::PutVarint(&out->prefix, tp_len);
  out->prefix += head.data();
  e.Tag(4, proto::kLengthDelimited);
  proto::PutVarint(&out->prefix, content);
  out->payload = std::string_view(static_cast<const char*>(t->raw_data()), content);
}

}  // namespace

void AppendGraphDefFromGraph(const Graph& g, const ExportOptions& opts, std::string* out) {
  const int n = g.num_nodes();
  const int end = opts.end_node < 0 ? n : std::min(n, opts.end_node);
  std::vector<EncodedAttr> attrs;
  std::string head;
  for (int i = std::max(0, opts.first_node); i < end; ++i) {
    const Node* node = g.node(i);
    if (!node) continue;
    head.clear();
    Writer h(&head);
    h.BytesIfNonEmpty(kNdName, node->name());
    h.BytesIfNonEmpty(kNdOp, node->type_string());
    for (const NodeOut& in : node->inputs()) {
      h.String(kNdInput, in.index == 0 ? in.node->name()
                                       : in.node->name() + ":" + std::to_string(in.index));
    }
    for (const Node* c : node->control_inputs()) h.String(kNdInput, "^" + c->name());
    h.BytesIfNonEmpty(kNdDevice, node->device());
    // Attrs sorted by key (TF's deterministic order), `_output_shapes` included.
    std::map<std::string, const AttrValue*, DeterministicKeyLess> sorted;
    for (const auto& kv : node->attrs()) sorted[kv.first] = &kv.second;
    AttrValue shapes;
    if (opts.add_shapes) {
      std::vector<PartialShape> s;
      for (int k = 0; k < node->num_outputs(); ++k) s.push_back(node->output_shape(k));
      shapes = s;
      sorted["_output_shapes"] = &shapes;
    }
    attrs.resize(sorted.size());
    size_t node_len = head.size();
    size_t k = 0;
    for (const auto& kv : sorted) {
      EncodeAttrEntry(kv.first, *kv.second, &attrs[k]);
      node_len += LenField(attrs[k].size());
      ++k;
    }
    proto::PutVarint(out, (uint64_t{kGdNode} << 3) | proto::kLengthDelimited);
    proto::PutVarint(out, node_len);
    out->append(head);
    for (const auto& a : attrs) {
      proto::PutVarint(out, (uint64_t{kNdAttr} << 3) | proto::kLengthDelimited);
      proto::PutVarint(out, a.size());
      out->append(a.prefix);
      out->append(a.payload.data(), a.payload.size());
      out->append(a.suffix);
    }
  }
  // versions {producer} (no `library`: TF leaves it unset without functions).
  Writer w(out);
  w.Nested(kGdVersions, [](Writer& v) { v.Int32(1, kGraphDefProducer); });
}

// ---------------------------------------------------------------- GraphDef -> Graph

namespace {

struct InputRef {
  std::string node;
  int index = 0;
  bool control = false;
};

Status ParseInput(const std::string& s, InputRef* r) {
  r->control = !s.empty() && s[0] == '^';
  std::string body = r->control ? s.substr(1) : s;
  r->index = 0;
  size_t colon = body.rfind(':');
  if (!r->control && colon != std::string::npos) {
    const std::string idx = body.substr(colon + 1);
    if (idx.empty() || idx.size() > 9 || !std::all_of(idx.begin(), idx.end(), ::isdigit)) {
      return errors::InvalidArgument("Malformed input '", s, "'");
    }
    r->index = std::stoi(idx);
    body = body.substr(0, colon);
  }
  if (body.empty()) return errors::InvalidArgument("Malformed input '", s, "'");
  r->node = body;
  return Status::OK();
}

bool DefaultLike(const AttrValue& v) {
  return std::visit(
      [](const auto& x) -> bool {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) return true;
        else if constexpr (std::is_same_v<X, int64_t>) return x == 0;
        else if constexpr (std::is_same_v<X, float>) return x == 0.f;
        else if constexpr (std::is_same_v<X, bool>) return !x;
        else if constexpr (std::is_same_v<X, std::string>) return x.empty();
        else if constexpr (std::is_same_v<X, DataType>) return x == DT_INVALID;
        else if constexpr (std::is_same_v<X, PartialShape> || std::is_same_v<X, Tensor>) return false;
        else return x.empty();
      },
      v);
}

}  // namespace

Status ImportGraphDef(const GraphDefData& def, const ImportOptions& opts, Graph* g,
                      ImportResult* result) {
  *result = ImportResult();
  const size_t n = def.nodes.size();
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) {
    if (def.nodes[i].name.empty()) return errors::InvalidArgument("Node ", i, " of the GraphDef has no name");
    if (!index.emplace(def.nodes[i].name, i).second) {
      return errors::InvalidArgument("Node '", def.nodes[i].name, "' is not unique");
    }
  }
  // Parse inputs; record which input_map keys are used.
  std::vector<std::vector<InputRef>> inputs(n);
  std::set<std::string> used_map_keys;
  std::vector<std::vector<size_t>> users(n);
  std::vector<int> pending(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (const std::string& s : def.nodes[i].inputs) {
      InputRef r;
      TF_RETURN_IF_ERROR(Wrap(ParseInput(s, &r), "Node '" + def.nodes[i].name + "'"));
      inputs[i].push_back(r);
      const std::string key = r.control ? "^" + r.node : r.node + ":" + std::to_string(r.index);
      const bool mapped = r.control ? opts.control_input_map.count(key) > 0
                                    : opts.input_map.count(key) > 0;
      if (mapped) {
        used_map_keys.insert(key);
        continue;
      }
      auto it = index.find(r.node);
      if (it == index.end()) {
        return errors::InvalidArgument("Node '", def.nodes[i].name, "': Unknown input node '", s, "'");
      }
      users[it->second].push_back(i);
      ++pending[i];
    }
  }
  std::vector<std::string> unused;
  for (const auto& kv : opts.input_map)
    if (!used_map_keys.count(kv.first)) unused.push_back(kv.first);
  for (const auto& kv : opts.control_input_map)
    if (!used_map_keys.count(kv.first)) unused.push_back(kv.first);
  if (!unused.empty()) {
    std::string l;
    for (const auto& u : unused) l += (l.empty() ? "" : ", ") + u;
    return errors::InvalidArgument("Attempted to map inputs that were not found in graph_def: [", l, "]");
  }
  // Dependency order; among ready nodes the lowest GraphDef index first, as
  // TF's importer creates them (so imported ops list in TF's order).
  std::vector<size_t> order;
  order.reserve(n);
  std::set<size_t> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0) ready.insert(i);
  std::vector<int> left = pending;
  while (!ready.empty()) {
    size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (size_t u : users[i]) {
      if (--left[u] == 0) ready.insert(u);
    }
  }
  if (order.size() != n) {
    for (size_t i = 0; i < n; ++i) {
      if (left[i] > 0) {
        return errors::InvalidArgument("GraphDef contains a cycle (node '", def.nodes[i].name,
                                       "'); control-flow loops are not supported");
      }
    }
  }
  // Final names.
  std::vector<std::string> final_name(n);
  std::unordered_set<std::string> taken;
  const std::string pfx = opts.prefix.empty() ? "" : opts.prefix + "/";
  for (size_t i = 0; i < n; ++i) {
    std::string name = pfx + def.nodes[i].name;
    if (g->FindNode(name) || taken.count(name)) {
      if (!opts.uniquify_names) {
        return errors::InvalidArgument("Node name '", name, "' already exists in the Graph");
      }
      std::string base = name;
      for (int k = 1;; ++k) {
        name = base + "_" + std::to_string(k);
        if (!g->FindNode(name) && !taken.count(name) && !index.count(name)) break;
      }
      result->renamed[def.nodes[i].name] = name;
    }
    taken.insert(name);
    final_name[i] = name;
  }
  // Add nodes.
  std::vector<Node*> added(n, nullptr);
  for (size_t i : order) {
    const NodeDefData& nd = def.nodes[i];
    const OpDef* op = OpRegistry::Global()->Find(nd.op);
    if (!op) {
      return errors::NotFound("Op type not registered '", nd.op, "' in binary (node '", nd.name,
                              "' of the imported graph)");
    }
    NodeSpec spec;
    spec.name = final_name[i];
    spec.op = nd.op;
    spec.device = opts.clear_devices ? "" : nd.device;
    for (const InputRef& r : inputs[i]) {
      const std::string key = r.control ? "^" + r.node : r.node + ":" + std::to_string(r.index);
      if (r.control) {
        auto m = opts.control_input_map.find(key);
        if (m != opts.control_input_map.end()) {
          spec.control_inputs.push_back(m->second);
        } else {
          spec.control_inputs.push_back(added[index[r.node]]);
        }
        continue;
      }
      auto m = opts.input_map.find(key);
      if (m != opts.input_map.end()) {
        spec.inputs.push_back(m->second);
        continue;
      }
      Node* src = added[index[r.node]];
      if (r.index >= src->num_outputs()) {
        return errors::InvalidArgument("Node '", nd.name, "': Connecting to invalid output ", r.index,
                                       " of source node ", r.node, " which has ",
                                       src->num_outputs(), " outputs");
      }
      spec.inputs.push_back(NodeOut{src, r.index});
    }
    for (const auto& kv : nd.attrs) {
      AttrValue v;
      const AttrDef* ad = op->FindAttr(kv.first);
      Status s = DecodeAttrValue(kv.second, &v);
      if (!ad && kv.first == "_class" && s.ok()) {
        // Colocation groups, kept as TF keeps them, naming the imported nodes.
        if (auto* l = std::get_if<std::vector<std::string>>(&v)) {
          for (std::string& loc : *l) {
            if (loc.rfind("loc:@", 0) != 0) continue;
            auto it = index.find(loc.substr(5));
            if (it != index.end()) loc = "loc:@" + final_name[it->second];
          }
          spec.attrs[kv.first] = std::move(v);
        }
        continue;
      }
      if (!ad) {
        // Not an attr of tfcore's op: internal ("_output_shapes"...)
        // or added by a newer TF with a backward-compatible default.
        if (kv.first[0] == '_' || opts.drop_unknown_attrs || (s.ok() && DefaultLike(v))) continue;
        if (!s.ok() && s.code() != Code::UNIMPLEMENTED) return Wrap(s, "Node '" + nd.name + "' attr '" + kv.first + "'");
        return errors::InvalidArgument("NodeDef mentions attr '", kv.first, "' not in Op<name=",
                                       nd.op, ">; NodeDef: ", nd.name,
                                       ". (Check whether your GraphDef-interpreting binary is up to "
                                       "date with your GraphDef-generating binary.)");
      }
      TF_RETURN_IF_ERROR(Wrap(s, "Node '" + nd.name + "' attr '" + kv.first + "'"));
      // An empty `list {}` carries no element kind on the wire: take the
      // op's (PyFunc's Tin = [], an iterator's empty output_shapes...).
      if (auto* l = std::get_if<std::vector<int64_t>>(&v); l && l->empty()) {
        if (ad->type == "list(type)") v = std::vector<DataType>{};
        else if (ad->type == "list(shape)") v = std::vector<PartialShape>{};
        else if (ad->type == "list(string)") v = std::vector<std::string>{};
        else if (ad->type == "list(float)") v = std::vector<float>{};
        else if (ad->type == "list(bool)") v = std::vector<bool>{};
      }
      spec.attrs[kv.first] = std::move(v);
    }
    Node* node = nullptr;
    Status s = g->AddNode(std::move(spec), &node);
    if (!s.ok()) {
      return Status(s.code(), "Error importing node '" + nd.name + "' (" + nd.op + "): " + s.message());
    }
    added[i] = node;
    result->nodes.push_back(node);
  }
  // Return elements, named as in the GraphDef.
  for (const std::string& e : opts.return_elements) {
    InputRef r;
    const bool is_tensor = e.find(':') != std::string::npos;
    TF_RETURN_IF_ERROR(ParseInput(e, &r));
    auto it = index.find(r.node);
    if (it == index.end()) {
      return errors::InvalidArgument("Requested return ", is_tensor ? "tensor '" : "node '", e,
                                     "' not found in graph def");
    }
    Node* node = added[it->second];
    result->return_is_tensor.push_back(is_tensor);
    if (is_tensor) {
      if (r.index >= node->num_outputs()) {
        return errors::InvalidArgument("Invalid return output ", r.index, " of node '", r.node,
                                       "', which has ", node->num_outputs(), " output(s)");
      }
      result->return_tensors.push_back(NodeOut{node, r.index});
      result->return_nodes.push_back(nullptr);
    } else {
      result->return_tensors.push_back(NodeOut{});
      result->return_nodes.push_back(node);
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------- SaverDef / CollectionDef / VariableDef

void EncodeSaverDef(const SaverDefData& s, Writer* w) {
  w->BytesIfNonEmpty(1, s.filename_tensor_name);
  w->BytesIfNonEmpty(2, s.save_tensor_name);
  w->BytesIfNonEmpty(3, s.restore_op_name);
  w->Int32IfNonZero(4, s.max_to_keep);
  w->BoolIfTrue(5, s.sharded);
  w->FloatIfNonZero(6, s.keep_checkpoint_every_n_hours);
  w->Int32IfNonZero(7, s.version);
}

Status DecodeSaverDef(std::string_view bytes, SaverDefData* s) {
  *s = SaverDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case 1: TF_RETURN_IF_ERROR(f.AsString(&s->filename_tensor_name)); break;
      case 2: TF_RETURN_IF_ERROR(f.AsString(&s->save_tensor_name)); break;
      case 3: TF_RETURN_IF_ERROR(f.AsString(&s->restore_op_name)); break;
      case 4: TF_RETURN_IF_ERROR(f.AsInt32(&s->max_to_keep)); break;
      case 5: TF_RETURN_IF_ERROR(f.AsBool(&s->sharded)); break;
      case 6: TF_RETURN_IF_ERROR(f.AsFloat(&s->keep_checkpoint_every_n_hours)); break;
      case 7: TF_RETURN_IF_ERROR(f.AsInt32(&s->version)); break;
      default: break;
    }
  }
  return r.status();
}

void EncodeCollectionDef(const CollectionDefData& c, Writer* w) {
  switch (c.kind) {
    case CollectionDefData::kNone: break;
    case CollectionDefData::kNodeList:
    case CollectionDefData::kBytesList:
    case CollectionDefData::kAnyList: {
      const uint32_t field = c.kind == CollectionDefData::kNodeList ? 1 : c.kind == CollectionDefData::kBytesList ? 2 : 5;
      w->Nested(field, [&](Writer& l) {
        for (const auto& s : c.strings) l.Bytes(1, s);
      });
      break;
    }
    case CollectionDefData::kInt64List:
      w->Nested(3, [&](Writer& l) { l.PackedVarint(1, c.ints); });
      break;
    case CollectionDefData::kFloatList:
      w->Nested(4, [&](Writer& l) { l.PackedFloat(1, c.floats); });
      break;
  }
}

Status DecodeCollectionDef(std::string_view bytes, CollectionDefData* c) {
  *c = CollectionDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    if (f.number < 1 || f.number > 5) continue;
    std::string_view lb;
    TF_RETURN_IF_ERROR(f.AsBytes(&lb));
    *c = CollectionDefData();
    c->kind = static_cast<CollectionDefData::Kind>(f.number);
    Reader lr(lb);
    Field lf;
    while (lr.Next(&lf)) {
      if (lf.number != 1) continue;
      switch (c->kind) {
        case CollectionDefData::kInt64List: TF_RETURN_IF_ERROR(lf.AppendVarints(&c->ints)); break;
        case CollectionDefData::kFloatList: TF_RETURN_IF_ERROR(lf.AppendFloats(&c->floats)); break;
        default: {
          std::string s;
          TF_RETURN_IF_ERROR(lf.AsString(&s));
          c->strings.push_back(std::move(s));
        }
      }
    }
    TF_RETURN_IF_ERROR(lr.status());
  }
  return r.status();
}

std::string EncodeVariableDef(const VariableDefData& v) {
  Writer w;
  w.BytesIfNonEmpty(1, v.variable_name);
  w.BytesIfNonEmpty(2, v.initializer_name);
  w.BytesIfNonEmpty(3, v.snapshot_name);
  if (!v.save_slice_info_def.empty()) w.Message(4, v.save_slice_info_def);
  w.BoolIfTrue(5, v.is_resource);
  w.BytesIfNonEmpty(6, v.initial_value_name);
  w.BoolIfTrue(7, v.trainable);
  w.Int32IfNonZero(8, v.synchronization);
  w.Int32IfNonZero(9, v.aggregation);
  return w.Release();
}

Status DecodeVariableDef(std::string_view bytes, VariableDefData* v) {
  *v = VariableDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case 1: TF_RETURN_IF_ERROR(f.AsString(&v->variable_name)); break;
      case 2: TF_RETURN_IF_ERROR(f.AsString(&v->initializer_name)); break;
      case 3: TF_RETURN_IF_ERROR(f.AsString(&v->snapshot_name)); break;
      case 4: TF_RETURN_IF_ERROR(f.AsString(&v->save_slice_info_def)); break;
      case 5: TF_RETURN_IF_ERROR(f.AsBool(&v->is_resource)); break;
      case 6: TF_RETURN_IF_ERROR(f.AsString(&v->initial_value_name)); break;
      case 7: TF_RETURN_IF_ERROR(f.AsBool(&v->trainable)); break;
      case 8: TF_RETURN_IF_ERROR(f.AsInt32(&v->synchronization)); break;
      case 9: TF_RETURN_IF_ERROR(f.AsInt32(&v->aggregation)); break;
      default: break;
    }
  }
  return r.status();
}

// ---------------------------------------------------------------- MetaGraphDef

namespace {
void EncodeMetaInfoDef(const MetaInfoDefData& m, Writer* w) {
  w->BytesIfNonEmpty(1, m.meta_graph_version);
  w->Message(2, m.stripped_op_list);  // always present (possibly empty), as TF writes
  if (!m.any_info.empty()) w->Message(3, m.any_info);
  for (const auto& t : m.tags) w->String(4, t);
  w->BytesIfNonEmpty(5, m.tensorflow_version);
  w->BytesIfNonEmpty(6, m.tensorflow_git_version);
  w->BoolIfTrue(7, m.stripped_default_attrs);
  for (const auto& kv : m.function_aliases) {
    w->Nested(8, [&](Writer& e) {
      e.String(kMapKey, kv.first);
      e.String(kMapValue, kv.second);
    });
  }
}

Status DecodeMetaInfoDef(std::string_view bytes, MetaInfoDefData* m) {
  *m = MetaInfoDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case 1: TF_RETURN_IF_ERROR(f.AsString(&m->meta_graph_version)); break;
      case 2: TF_RETURN_IF_ERROR(f.AsString(&m->stripped_op_list)); break;
      case 3: TF_RETURN_IF_ERROR(f.AsString(&m->any_info)); break;
      case 4: {
        std::string s;
        TF_RETURN_IF_ERROR(f.AsString(&s));
        m->tags.push_back(std::move(s));
        break;
      }
      case 5: TF_RETURN_IF_ERROR(f.AsString(&m->tensorflow_version)); break;
      case 6: TF_RETURN_IF_ERROR(f.AsString(&m->tensorflow_git_version)); break;
      case 7: TF_RETURN_IF_ERROR(f.AsBool(&m->stripped_default_attrs)); break;
      case 8: {
        std::string_view e, v;
        TF_RETURN_IF_ERROR(f.AsBytes(&e));
        std::string k;
        TF_RETURN_IF_ERROR(DecodeMapEntry(e, &k, &v));
        m->function_aliases[k] = std::string(v);
        break;
      }
      default: break;
    }
  }
  return r.status();
}
}  // namespace

std::string EncodeMetaGraphDef(const MetaGraphDefData& m) {
  Writer w;
  if (m.has_meta_info_def) w.Nested(1, [&](Writer& s) { EncodeMetaInfoDef(m.meta_info_def, &s); });
  if (m.has_graph_def) w.Message(2, EncodeGraphDef(m.graph_def));
  if (m.has_saver_def) w.Nested(3, [&](Writer& s) { EncodeSaverDef(m.saver_def, &s); });
  for (const auto& kv : m.collection_def) {
    Writer c;
    EncodeCollectionDef(kv.second, &c);
    EncodeMapEntry(&w, 4, kv.first, c.data());
  }
  for (const auto& kv : m.signature_def) EncodeMapEntry(&w, 5, kv.first, kv.second);
  for (const auto& a : m.asset_file_def) w.Message(6, a);
  if (!m.object_graph_def.empty()) w.Message(7, m.object_graph_def);
  return w.Release();
}

Status DecodeMetaGraphDef(std::string_view bytes, MetaGraphDefData* m) {
  *m = MetaGraphDefData();
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    std::string_view b;
    if (f.number >= 1 && f.number <= 7) TF_RETURN_IF_ERROR(f.AsBytes(&b));
    switch (f.number) {
      case 1:
        TF_RETURN_IF_ERROR(Wrap(DecodeMetaInfoDef(b, &m->meta_info_def), "meta_info_def"));
        m->has_meta_info_def = true;
        break;
      case 2:
        TF_RETURN_IF_ERROR(Wrap(DecodeGraphDef(b, &m->graph_def), "graph_def"));
        m->has_graph_def = true;
        break;
      case 3:
        TF_RETURN_IF_ERROR(Wrap(DecodeSaverDef(b, &m->saver_def), "saver_def"));
        m->has_saver_def = true;
        break;
      case 4: {
        std::string k;
        std::string_view v;
        TF_RETURN_IF_ERROR(DecodeMapEntry(b, &k, &v));
        CollectionDefData c;
        TF_RETURN_IF_ERROR(Wrap(DecodeCollectionDef(v, &c), "collection_def '" + k + "'"));
        m->collection_def[k] = std::move(c);
        break;
      }
      case 5: {
        std::string k;
        std::string_view v;
        TF_RETURN_IF_ERROR(DecodeMapEntry(b, &k, &v));
        m->signature_def[k] = std::string(v);
        break;
      }
      case 6: m->asset_file_def.emplace_back(b); break;
      case 7: m->object_graph_def = std::string(b); break;
      default: break;
    }
  }
  return r.status();
}

}  // namespace graphdef
}  // namespace tfcore
