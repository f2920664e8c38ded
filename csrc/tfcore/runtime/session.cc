#include "tfcore/runtime/session.h"

#include "tfcore/core/denormal.h"
#include "tfcore/runtime/executor.h"

namespace tfcore {

Session::Session(std::shared_ptr<Graph> graph, SessionOptions) : graph_(std::move(graph)) {}

Session::~Session() { Close(); }

void Session::Close() {
  closed_.store(true);
  std::unique_lock<std::shared_mutex> run_lock(run_mu_);
  std::lock_guard<std::mutex> l(mu_);
  // Callables stay allocated (Python may still hold them); they refuse to run
  // once closed_ is set, so their plans never touch the freed kernels.
  kernels_.clear();
  resources_.Clear();
}

Status Session::GetKernel(const Node* n, OpKernel** out) {
  // Called with mu_ held (from MakeCallable).
  auto it = kernels_.find(n->id());
  if (it != kernels_.end()) {
    *out = it->second.get();
    return Status::OK();
  }
  std::unique_ptr<OpKernel> k;
  Status s = KernelRegistry::Global()->Create(DEVICE_CPU, n, &resources_, &k);
  if (!s.ok()) return s.WithSuffix(n->ErrorSuffix()).WithNode(n->name());
  *out = k.get();
  kernels_[n->id()] = std::move(k);
  return Status::OK();
}

Status Session::MakeCallable(const std::vector<NodeOut>& feeds,
                             const std::vector<NodeOut>& fetches,
                             const std::vector<const Node*>& targets, Callable** out) {
  if (closed_.load()) return errors::FailedPrecondition("Attempted to use a closed Session.");
  Key key;
  for (const auto& f : feeds) std::get<0>(key).emplace_back(f.node->id(), f.index);
  for (const auto& f : fetches) std::get<1>(key).emplace_back(f.node->id(), f.index);
  for (const Node* t : targets) std::get<2>(key).push_back(t->id());
  for (const auto& f : feeds) {
    if (graph_->node(f.node->id()) != f.node) {
      return errors::InvalidArgument("Feed ", f.node->name(), " is not an element of this graph.");
    }
  }
  for (const auto& f : fetches) {
    if (graph_->node(f.node->id()) != f.node) {
      return errors::InvalidArgument("Fetch ", f.node->name(), " is not an element of this graph.");
    }
  }
  for (const Node* t : targets) {
    if (graph_->node(t->id()) != t) {
      return errors::InvalidArgument("Target ", t->name(), " is not an element of this graph.");
    }
  }

  std::lock_guard<std::mutex> l(mu_);
  auto it = callables_.find(key);
  if (it != callables_.end()) {
    *out = it->second.get();
    return Status::OK();
  }
  std::unique_ptr<ExecutionPlan> plan;
  TF_RETURN_IF_ERROR(BuildPlan(feeds, fetches, targets,
                               [this](const Node* n, OpKernel** k) { return GetKernel(n, k); },
                               &plan));
  std::unique_ptr<Callable> c(new Callable(this, std::move(plan)));
  *out = c.get();
  callables_[key] = std::move(c);
  return Status::OK();
}

namespace {
Status CheckFeeds(const ExecutionPlan& p, const std::vector<Tensor>& feeds) {
  if (feeds.size() != p.feed_slots.size()) {
    return errors::InvalidArgument("Expected ", p.feed_slots.size(), " feeds, got ", feeds.size());
  }
  for (size_t i = 0; i < feeds.size(); ++i) {
    if (feeds[i].dtype() != p.feed_types[i]) {
      return errors::InvalidArgument("Cannot feed a ", DataTypeName(feeds[i].dtype()),
                                     " tensor to '", p.feed_names[i], "', which has dtype ",
                                     DataTypeName(p.feed_types[i]));
    }
    if (!p.feed_shapes[i].IsCompatibleWith(feeds[i].shape())) {
      return errors::InvalidArgument("Cannot feed value of shape ", feeds[i].shape().DebugString(),
                                     " for Tensor '", p.feed_names[i], "', which has shape ",
                                     p.feed_shapes[i].DebugString());
    }
  }
  return Status::OK();
}
}  // namespace

Status Callable::Run(std::vector<Tensor> feeds, std::vector<Tensor>* outputs) {
  std::shared_lock<std::shared_mutex> run_lock(session_->run_mu_);
  if (session_->closed_.load()) {
    return errors::FailedPrecondition("Attempted to use a closed Session.");
  }
  const ExecutionPlan& p = *plan_;
  TF_RETURN_IF_ERROR(CheckFeeds(p, feeds));
  int64_t step = session_->next_step_.fetch_add(1);
  ScopedFlushDenormal ftz;  // as TF's executor
  return ExecutePlan(p, &session_->resources_, step, &feeds, outputs, session_);
}


Status Callable::RunNested(std::vector<Tensor> feeds, std::vector<Tensor>* outputs) {
  if (session_->closed_.load()) {
    return errors::FailedPrecondition("Attempted to use a closed Session.");
  }
  TF_RETURN_IF_ERROR(CheckFeeds(*plan_, feeds));
  int64_t step = session_->next_step_.fetch_add(1);
  return ExecutePlan(*plan_, &session_->resources_, step, &feeds, outputs, session_,
                     /*inline_only=*/true);
}

Status Session::PrepareSubgraph(const std::vector<std::string>& feeds,
                                const std::vector<std::string>& fetches, const void** handle) {
  std::vector<NodeOut> feed_outs, fetch_outs;
  for (const auto& f : feeds) {
    NodeOut o;
    TF_RETURN_IF_ERROR(graph_->FindOutput(f, &o));
    feed_outs.push_back(o);
  }
  for (const auto& f : fetches) {
    NodeOut o;
    TF_RETURN_IF_ERROR(graph_->FindOutput(f, &o));
    fetch_outs.push_back(o);
  }
  Callable* c;
  TF_RETURN_IF_ERROR(MakeCallable(feed_outs, fetch_outs, {}, &c));
  *handle = c;
  return Status::OK();
}

Status Session::RunSubgraph(const void* handle, std::vector<Tensor> feeds,
                            std::vector<Tensor>* outputs) {
  auto* c = const_cast<Callable*>(static_cast<const Callable*>(handle));
  return c->RunNested(std::move(feeds), outputs);
}

Status Session::Run(const std::vector<std::pair<std::string, Tensor>>& feeds,
                    const std::vector<std::string>& fetches,
                    const std::vector<std::string>& targets, std::vector<Tensor>* outputs) {
  std::vector<NodeOut> feed_outs, fetch_outs;
  std::vector<const Node*> target_nodes;
  std::vector<Tensor> feed_values;
  for (const auto& f : feeds) {
    NodeOut o;
    TF_RETURN_IF_ERROR(graph_->FindOutput(f.first, &o));
    feed_outs.push_back(o);
    feed_values.push_back(f.second);
  }
  for (const auto& f : fetches) {
    NodeOut o;
    TF_RETURN_IF_ERROR(graph_->FindOutput(f, &o));
    fetch_outs.push_back(o);
  }
  for (const auto& t : targets) {
    Node* n = graph_->FindNode(t);
    if (n == nullptr) return errors::NotFound("Target node '", t, "' does not exist.");
    target_nodes.push_back(n);
  }
  Callable* c;
  TF_RETURN_IF_ERROR(MakeCallable(feed_outs, fetch_outs, target_nodes, &c));
  return c->Run(std::move(feed_values), outputs);
}

}  // namespace tfcore
