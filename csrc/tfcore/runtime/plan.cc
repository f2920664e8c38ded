#include "tfcore/runtime/plan.h"

#include <map>
#include <unordered_map>

namespace tfcore {

namespace {
inline int64_t Key(const Node* n, int idx) { return (static_cast<int64_t>(n->id()) << 20) | idx; }
}  // namespace

Status BuildPlan(const std::vector<NodeOut>& feeds, const std::vector<NodeOut>& fetches,
                 const std::vector<const Node*>& targets, const KernelGetter& get_kernel,
                 std::unique_ptr<ExecutionPlan>* out) {
  auto plan = std::make_unique<ExecutionPlan>();

  std::unordered_map<int64_t, int> fed;  // output key -> feed index
  for (size_t i = 0; i < feeds.size(); ++i) {
    if (!fed.emplace(Key(feeds[i].node, feeds[i].index), static_cast<int>(i)).second) {
      return errors::InvalidArgument("Tensor ", feeds[i].node->name(), ":", feeds[i].index,
                                     " is fed more than once");
    }
  }

  // As TF's feed rewriting: a fed Placeholder is replaced by its feed, control
  // edges included (an op ordered after a placeholder runs once it is fed).
  auto fed_placeholder = [&](const Node* c) {
    const std::string& t = c->type_string();
    return (t == "Placeholder" || t == "PlaceholderV2") && fed.count(Key(c, 0)) > 0;
  };
  // Backward reachability, not crossing fed edges.
  std::unordered_map<int, int> index_of;  // node id -> plan index (assigned later)
  std::vector<const Node*> needed;
  std::vector<const Node*> stack;
  auto visit = [&](const Node* n) {
    if (index_of.emplace(n->id(), -1).second) {
      needed.push_back(n);
      stack.push_back(n);
    }
  };
  for (const NodeOut& f : fetches)
    if (!fed.count(Key(f.node, f.index))) visit(f.node);
  for (const Node* t : targets) visit(t);
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    for (const NodeOut& in : n->inputs())
      if (!fed.count(Key(in.node, in.index))) visit(in.node);
    for (const Node* c : n->control_inputs())
      if (!fed_placeholder(c)) visit(c);
  }

  // Kahn's algorithm over the needed subgraph. Ties broken by node id, so the
  // order (and so single-threaded execution) is deterministic.
  std::unordered_map<int, int> pending;
  std::unordered_map<int, std::vector<const Node*>> succ;
  for (const Node* n : needed) {
    int p = 0;
    for (const NodeOut& in : n->inputs()) {
      if (fed.count(Key(in.node, in.index))) continue;
      ++p;
      succ[in.node->id()].push_back(n);
    }
    for (const Node* c : n->control_inputs()) {
      if (fed_placeholder(c)) continue;
      ++p;
      succ[c->id()].push_back(n);
    }
    pending[n->id()] = p;
  }
  std::map<int, const Node*> ready;
  for (const Node* n : needed)
    if (pending[n->id()] == 0) ready[n->id()] = n;
  std::vector<const Node*> order;
  while (!ready.empty()) {
    const Node* n = ready.begin()->second;
    ready.erase(ready.begin());
    order.push_back(n);
    for (const Node* s : succ[n->id()])
      if (--pending[s->id()] == 0) ready[s->id()] = s;
  }
  if (order.size() != needed.size()) {
    for (const Node* n : needed) {
      if (pending[n->id()] > 0) {
        return errors::InvalidArgument("Graph is not a DAG: node '", n->name(),
                                       "' is part of a cycle (through control dependencies)");
      }
    }
  }

  // Slots: node outputs first, then feeds.
  int slot = 0;
  plan->nodes.resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    index_of[order[i]->id()] = static_cast<int>(i);
    plan->nodes[i].node = order[i];
    plan->nodes[i].first_output_slot = slot;
    slot += order[i]->num_outputs();
  }
  for (size_t i = 0; i < feeds.size(); ++i) {
    plan->feed_slots.push_back(slot++);
    const Node* n = feeds[i].node;
    plan->feed_types.push_back(BaseType(n->output_type(feeds[i].index)));
    plan->feed_shapes.push_back(n->output_shape(feeds[i].index));
    plan->feed_names.push_back(n->name() + ":" + std::to_string(feeds[i].index));
  }
  plan->num_slots = slot;
  plan->slot_uses.assign(slot, 0);
  plan->slot_pinned.assign(slot, false);

  auto slot_of = [&](const NodeOut& o) -> int {
    auto f = fed.find(Key(o.node, o.index));
    if (f != fed.end()) return plan->feed_slots[f->second];
    return plan->nodes[index_of.at(o.node->id())].first_output_slot + o.index;
  };

  for (size_t i = 0; i < order.size(); ++i) {
    PlanNode& pn = plan->nodes[i];
    const Node* n = pn.node;
    for (int k = 0; k < n->num_inputs(); ++k) {
      const NodeOut& in = n->inputs()[k];
      if (IsRefType(n->input_type(k)) && fed.count(Key(in.node, in.index))) {
        // A fed value is not a variable: an op updating a variable cannot take it.
        return errors::InvalidArgument(
            "Input ", k, " of node ", n->name(), " was passed ",
            DataTypeName(BaseType(in.node->output_type(in.index))), " from ", in.node->name(), ":",
            in.index, " incompatible with expected ", DataTypeName(n->input_type(k)), ".");
      }
      int s = slot_of(in);
      pn.input_slots.push_back(s);
      plan->slot_uses[s]++;
      bool src_ref = IsRefType(in.node->output_type(in.index));
      pn.input_deref.push_back(src_ref && !IsRefType(n->input_type(k)));
      if (!fed.count(Key(in.node, in.index))) {
        plan->nodes[index_of.at(in.node->id())].consumers.push_back(static_cast<int>(i));
        pn.initial_pending++;
      }
    }
    for (const Node* c : n->control_inputs()) {
      if (fed_placeholder(c)) continue;
      plan->nodes[index_of.at(c->id())].consumers.push_back(static_cast<int>(i));
      pn.control_preds.push_back(index_of.at(c->id()));
      pn.initial_pending++;
    }
    pn.is_merge = n->type_string() == "Merge";
    TF_RETURN_IF_ERROR(get_kernel(n, &pn.kernel));
    pn.expensive = pn.kernel->IsExpensive();
    if (pn.initial_pending == 0) plan->roots.push_back(static_cast<int>(i));
  }
  for (const NodeOut& f : fetches) {
    int s = slot_of(f);
    plan->fetch_slots.push_back(s);
    plan->slot_pinned[s] = true;
  }
  *out = std::move(plan);
  return Status::OK();
}

}  // namespace tfcore
