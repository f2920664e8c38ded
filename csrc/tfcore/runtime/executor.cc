#include "tfcore/runtime/executor.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

namespace tfcore {

// Note [dead tensors]
// tf.cond is built from Switch and Merge, as in TF1. Switch forwards its input
// to one output and marks the other dead. A node with a dead data input, or
// whose control input ran dead, does not compute: all its outputs are dead
// too. Merge is the exception: it runs when any data input is live and
// forwards the first live one. So the untaken branch of a cond costs nothing,
// and fetching a dead tensor is an error.

namespace {

// Reads a variable's current value for a value consumer or a fetch.
Status Deref(const Entry& e, Tensor* out) {
  Var* v = e.ref;
  std::lock_guard<std::mutex> l(v->mu);
  if (!v->initialized) {
    return errors::FailedPrecondition("Attempting to use uninitialized value ", v->name);
  }
  *out = v->tensor;
  return Status::OK();
}

struct RunState {
  RunState(const ExecutionPlan& p, ResourceMgr* r, int64_t step, SubgraphRunner* run,
           bool inl)
      : plan(p), rm(r), step_id(step), runner(run), inline_only(inl), slots(p.num_slots),
        pending(new std::atomic<int>[p.nodes.size()]),
        node_dead(new std::atomic<bool>[p.nodes.size()]),
        uses(new std::atomic<int>[p.num_slots]),
        remaining(static_cast<int>(p.nodes.size())) {
    for (size_t i = 0; i < p.nodes.size(); ++i) {
      pending[i].store(p.nodes[i].initial_pending, std::memory_order_relaxed);
      node_dead[i].store(false, std::memory_order_relaxed);
    }
    for (int i = 0; i < p.num_slots; ++i) uses[i].store(p.slot_uses[i], std::memory_order_relaxed);
  }

  const ExecutionPlan& plan;
  ResourceMgr* rm;
  int64_t step_id;
  SubgraphRunner* runner;
  bool inline_only;
  std::vector<Entry> slots;
  std::unique_ptr<std::atomic<int>[]> pending;
  std::unique_ptr<std::atomic<bool>[]> node_dead;
  std::unique_ptr<std::atomic<int>[]> uses;
  std::atomic<int> remaining;
  std::atomic<bool> failed{false};

  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  Status status;  // first error, guarded by mu

  void RecordError(const Status& s) {
    std::lock_guard<std::mutex> l(mu);
    if (status.ok()) status = s;
    failed.store(true);
  }

  void RunNode(int i) {
    const PlanNode& pn = plan.nodes[i];
    const Node* node = pn.node;
    const int n_in = static_cast<int>(pn.input_slots.size());
    Entry small[8];
    std::vector<Entry> big;
    Entry* inputs = small;
    if (n_in > 8) {
      big.resize(n_in);
      inputs = big.data();
    }
    bool any_dead = false, all_dead = n_in > 0, ctrl_dead = false;
    for (int c : pn.control_preds) {
      if (node_dead[c].load(std::memory_order_acquire)) ctrl_dead = true;
    }
    for (int k = 0; k < n_in; ++k) {
      int s = pn.input_slots[k];
      if (!plan.slot_pinned[s] && plan.slot_uses[s] == 1) {
        // The only reader: take the value (the kernel may reuse its buffer).
        inputs[k] = std::move(slots[s]);
        slots[s] = Entry();
      } else {
        // Every reader copies, then gives up its claim; the last one to do so
        // releases the slot, so its copy may be the only reference left (and
        // the kernel can reuse the buffer). Copying before decrementing means
        // the slot is never written while another reader still copies it.
        inputs[k] = slots[s];
        if (!plan.slot_pinned[s] && uses[s].fetch_sub(1, std::memory_order_acq_rel) == 1) {
          slots[s] = Entry();
        }
      }
      if (inputs[k].dead) {
        any_dead = true;
        continue;
      }
      all_dead = false;
      if (pn.input_deref[k] && inputs[k].ref != nullptr) {  // (a fed ref edge holds a value)
        Tensor t;
        Status st = Deref(inputs[k], &t);
        if (!st.ok()) {
          RecordError(st.WithSuffix(node->ErrorSuffix()).WithNode(node->name()));
          return;
        }
        inputs[k].tensor = std::move(t);
        inputs[k].ref = nullptr;
      } else if (inputs[k].ref == nullptr && !inputs[k].tensor.IsInitialized() &&
                 !IsRefType(node->input_type(k))) {
        RecordError(errors::Internal("Input ", k, " of node ", node->name(), " was not produced")
                        .WithNode(node->name()));
        return;
      }
    }
    if (ctrl_dead || (pn.is_merge ? all_dead : any_dead)) {
      node_dead[i].store(true, std::memory_order_release);
      for (int o = 0; o < node->num_outputs(); ++o) slots[pn.first_output_slot + o].dead = true;
      return;
    }
    OpKernelContext ctx(node, inputs, &slots[pn.first_output_slot], rm, step_id);
    ctx.set_runner(runner);
    Status st = pn.kernel->Compute(&ctx);
    if (!st.ok()) {
      RecordError(st.WithSuffix(node->ErrorSuffix()).WithNode(node->name()));
    }
  }

  // A FIFO of plan indices; small runs never touch the heap.
  class ReadyQueue {
   public:
    bool empty() const { return head_ == size_; }
    int front() const { return at(head_); }
    void pop_front() { ++head_; }
    void push_back(int v) {
      if (size_ < kInline) {
        inline_[size_] = v;
      } else {
        more_.push_back(v);
      }
      ++size_;
    }

   private:
    static constexpr size_t kInline = 16;
    int at(size_t i) const { return i < kInline ? inline_[i] : more_[i - kInline]; }
    int inline_[kInline];
    std::vector<int> more_;
    size_t head_ = 0, size_ = 0;
  };

  // Runs `first` and whatever it makes ready, inline where possible.
  void Process(std::shared_ptr<RunState> self, int first) {
    ReadyQueue q;
    q.push_back(first);
    Process(self, q);
  }

  // Note [ready order]
  // Ready nodes run in the order they became ready (first in, first out), as
  // TF's executor runs its inline-ready queue, except that a node updating a
  // variable (a ref input: Assign*, Apply*...) waits while other nodes are
  // ready. Reads are not ordered against unrelated updates in TF1 either;
  // this runs them the way TF1 programs observe: reads made ready early see
  // the value before an update the graph does not order them after.
  static bool UpdatesVariable(const Node* n) {
    for (int k = 0; k < n->num_inputs(); ++k)
      if (IsRefType(n->input_type(k))) return true;
    return false;
  }

  void Process(const std::shared_ptr<RunState>& self, ReadyQueue& ready) {
    ReadyQueue updates;
    while (!ready.empty() || !updates.empty()) {
      ReadyQueue& q = ready.empty() ? updates : ready;
      int i = q.front();
      q.pop_front();
      if (!failed.load(std::memory_order_relaxed)) RunNode(i);
      const PlanNode& pn = plan.nodes[i];
      int kept_expensive = -1;
      for (int c : pn.consumers) {
        if (pending[c].fetch_sub(1, std::memory_order_acq_rel) != 1) continue;
        if (plan.nodes[c].expensive && !inline_only &&
            ThreadPool::Default()->num_threads() > 1) {
          if (kept_expensive < 0) {
            kept_expensive = c;
          } else {
            ThreadPool::Default()->Schedule([self, c] { self->Process(self, c); });
          }
        } else {
          (UpdatesVariable(plan.nodes[c].node) ? updates : ready).push_back(c);
        }
      }
      if (kept_expensive >= 0) {
        (UpdatesVariable(plan.nodes[kept_expensive].node) ? updates : ready)
            .push_back(kept_expensive);
      }
      if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> l(mu);
        done = true;
        cv.notify_all();
      }
    }
  }
};

}  // namespace

Status ExecutePlan(const ExecutionPlan& plan, ResourceMgr* rm, int64_t step_id,
                   std::vector<Tensor>* feeds, std::vector<Tensor>* outputs,
                   SubgraphRunner* runner, bool inline_only) {
  // A run started from a pool thread (a kernel running a session: py_func, a
  // while loop) never waits for pool work, which could be stuck behind it.
  if (ThreadPool::OnWorkerThread()) inline_only = true;
  auto st = std::make_shared<RunState>(plan, rm, step_id, runner, inline_only);
  for (size_t i = 0; i < plan.feed_slots.size(); ++i) {
    st->slots[plan.feed_slots[i]].tensor = std::move((*feeds)[i]);
  }
  if (!plan.nodes.empty()) {
    // Roots beyond the first expensive one start on the pool.
    std::vector<int> inline_roots;
    inline_roots.reserve(plan.roots.size());
    bool kept = false;
    for (int r : plan.roots) {
      if (plan.nodes[r].expensive && kept && !inline_only &&
          ThreadPool::Default()->num_threads() > 1) {
        ThreadPool::Default()->Schedule([st, r] { st->Process(st, r); });
      } else {
        kept |= plan.nodes[r].expensive;
        inline_roots.push_back(r);
      }
    }
    RunState::ReadyQueue q;
    for (int r : inline_roots) q.push_back(r);
    st->Process(st, q);
    std::unique_lock<std::mutex> l(st->mu);
    st->cv.wait(l, [&] { return st->done; });
    if (!st->status.ok()) return st->status;
  }
  outputs->clear();
  outputs->reserve(plan.fetch_slots.size());
  const size_t n_fetch = plan.fetch_slots.size();
  for (size_t i = 0; i < n_fetch; ++i) {
    const int s = plan.fetch_slots[i];
    Entry& e = st->slots[s];
    if (e.dead) {
      return errors::InvalidArgument(
          "A fetched tensor was not computed: it lies on the untaken branch of a tf.cond");
    }
    if (e.ref != nullptr) {
      Tensor t;
      TF_RETURN_IF_ERROR(Deref(e, &t));
      outputs->push_back(std::move(t));
    } else {
      // Hand the value over unless the same tensor is fetched again: the
      // caller then holds the only reference (Python wraps it without a copy).
      bool again = false;
      for (size_t j = i + 1; j < n_fetch && !again; ++j) again = plan.fetch_slots[j] == s;
      if (again) {
        outputs->push_back(e.tensor);
      } else {
        outputs->push_back(std::move(e.tensor));
      }
    }
  }
  return Status::OK();
}

}  // namespace tfcore
