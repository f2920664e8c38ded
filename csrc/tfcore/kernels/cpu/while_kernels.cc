// The TfcoreWhile kernel (see ops/while_ops.cc).
#include <cstring>
#include <mutex>

#include "tfcore/kernels/kernel.h"

namespace tfcore {
namespace {

class WhileOp : public OpKernel {
 public:
  explicit WhileOp(OpKernelConstruction& c) : OpKernel(c) {
    TF_CONSTRUCT_OK(c, c.GetAttr("loop_vars", &loop_vars_));
    TF_CONSTRUCT_OK(c, c.GetAttr("captures", &captures_));
    TF_CONSTRUCT_OK(c, c.GetAttr("cond", &cond_));
    TF_CONSTRUCT_OK(c, c.GetAttr("body", &body_));
    TF_CONSTRUCT_OK(c, c.GetAttr("maximum_iterations", &max_iters_));
    if (body_.size() != loop_vars_.size()) {
      construction_status_ = errors::InvalidArgument("TfcoreWhile: ", body_.size(),
                                                     " body outputs for ", loop_vars_.size(),
                                                     " loop variables");
    }
  }

  Status Compute(OpKernelContext* ctx) override {
    TF_RETURN_IF_ERROR(construction_status_);
    SubgraphRunner* runner = ctx->runner();
    if (runner == nullptr) {
      return errors::Unimplemented("a while loop can only run inside a Session");
    }
    const void* cond_h = nullptr;
    const void* body_h = nullptr;
    TF_RETURN_IF_ERROR(Prepare(runner, &cond_h, &body_h));
    const int n = static_cast<int>(loop_vars_.size());
    std::vector<Tensor> vars(n), caps(captures_.size());
    for (int i = 0; i < n; ++i) vars[i] = ctx->input(i);
    for (size_t i = 0; i < captures_.size(); ++i) caps[i] = ctx->input(n + static_cast<int>(i));
    for (int64_t iter = 0; max_iters_ < 0 || iter < max_iters_; ++iter) {
      // The loop values move into the body's feeds, so the body can update
      // them in place (a TensorArray write does not copy the whole array).
      std::vector<Tensor> feeds = std::move(vars);
      feeds.insert(feeds.end(), caps.begin(), caps.end());
      std::vector<Tensor> out;
      TF_RETURN_IF_ERROR(runner->RunSubgraph(cond_h, feeds, &out));
      const Tensor& c = out[0];
      if (c.dtype() != DT_BOOL || c.NumElements() != 1) {
        return errors::InvalidArgument("The loop condition must be a scalar bool, got ",
                                       c.DebugString());
      }
      if (!*c.data<bool>()) {
        feeds.resize(n);
        vars = std::move(feeds);
        break;
      }
      std::vector<Tensor> next;
      TF_RETURN_IF_ERROR(runner->RunSubgraph(body_h, std::move(feeds), &next));
      vars = std::move(next);
    }
    for (int i = 0; i < n; ++i) ctx->set_output(i, std::move(vars[i]));
    return Status::OK();
  }

 private:
  Status Prepare(SubgraphRunner* runner, const void** cond_h, const void** body_h) {
    std::lock_guard<std::mutex> l(mu_);
    if (runner != prepared_for_) {
      std::vector<std::string> feeds;
      for (const auto& v : loop_vars_) feeds.push_back(v + ":0");
      for (const auto& v : captures_) feeds.push_back(v + ":0");
      TF_RETURN_IF_ERROR(runner->PrepareSubgraph(feeds, {cond_}, &cond_handle_));
      TF_RETURN_IF_ERROR(runner->PrepareSubgraph(feeds, body_, &body_handle_));
      prepared_for_ = runner;
    }
    *cond_h = cond_handle_;
    *body_h = body_handle_;
    return Status::OK();
  }

  std::vector<std::string> loop_vars_, captures_, body_;
  std::string cond_;
  int64_t max_iters_ = -1;
  Status construction_status_;
  std::mutex mu_;
  SubgraphRunner* prepared_for_ = nullptr;
  const void* cond_handle_ = nullptr;
  const void* body_handle_ = nullptr;
};
TFCORE_REGISTER_KERNEL("TfcoreWhile", DEVICE_CPU, WhileOp);

Tensor ZerosLike(const Tensor& t) {
  Tensor z(t.dtype(), t.shape());
  if (z.NumElements() > 0 && t.dtype() != DT_STRING) std::memset(z.raw_data(), 0, z.TotalBytes());
  return z;
}

// acc += x (acc empty: acc = x).
Status Accumulate(Tensor* acc, const Tensor& x) {
  if (acc->dtype() == DT_INVALID) {
    *acc = x;
    return Status::OK();
  }
  if (acc->shape() != x.shape() || acc->dtype() != x.dtype()) {
    return errors::InvalidArgument("while loop gradient: shapes ", acc->shape().DebugString(),
                                   " and ", x.shape().DebugString(), " differ");
  }
  const bool in_place = acc->RefCountIsOne();
  Tensor sum = in_place ? *acc : Tensor(x.dtype(), x.shape());
  return DispatchFloat(x.dtype(), [&](auto zero) -> Status {
    using T = decltype(zero);
    const T* a = acc->data<T>();
    const T* b = x.data<T>();
    T* o = sum.data<T>();
    for (int64_t i = 0; i < x.NumElements(); ++i) o[i] = a[i] + b[i];
    if (!in_place) *acc = std::move(sum);
    return Status::OK();
  });
}

// Note [while gradient] in ops/while_ops.cc.
class WhileGradOp : public OpKernel {
 public:
  explicit WhileGradOp(OpKernelConstruction& c) : OpKernel(c) {
    TF_CONSTRUCT_OK(c, c.GetAttr("loop_vars", &loop_vars_));
    TF_CONSTRUCT_OK(c, c.GetAttr("captures", &captures_));
    TF_CONSTRUCT_OK(c, c.GetAttr("cond", &cond_));
    TF_CONSTRUCT_OK(c, c.GetAttr("body", &body_));
    TF_CONSTRUCT_OK(c, c.GetAttr("maximum_iterations", &max_iters_));
    TF_CONSTRUCT_OK(c, c.GetAttr("grad_feeds", &grad_feeds_));
    TF_CONSTRUCT_OK(c, c.GetAttr("grad_fetches", &grad_fetches_));
    TF_CONSTRUCT_OK(c, c.GetAttr("grad_vars", &grad_vars_));
    TF_CONSTRUCT_OK(c, c.GetAttr("x_inputs", &x_inputs_));
    std::vector<DataType> refs;
    TF_CONSTRUCT_OK(c, c.GetAttr("Trefs", &refs));
    num_refs_ = static_cast<int>(refs.size());
    for (size_t i = 0; i < grad_fetches_.size(); ++i) {
      if (!grad_fetches_[i].empty()) {
        fetch_pos_.push_back(static_cast<int>(i));
        fetches_.push_back(grad_fetches_[i]);
      }
    }
  }

  Status Compute(OpKernelContext* ctx) override {
    TF_RETURN_IF_ERROR(construction_status_);
    SubgraphRunner* runner = ctx->runner();
    if (runner == nullptr) {
      return errors::Unimplemented("a while loop can only run inside a Session");
    }
    TF_RETURN_IF_ERROR(Prepare(runner));
    const int n = static_cast<int>(loop_vars_.size());
    const int m = static_cast<int>(captures_.size());
    const int nd = static_cast<int>(grad_vars_.size());
    std::vector<Tensor> caps(m);
    for (int j = 0; j < m; ++j) caps[j] = ctx->input(n + j);
    // Forward again, keeping every iteration's loop values.
    std::vector<std::vector<Tensor>> states(1);
    for (int i = 0; i < n; ++i) states[0].push_back(ctx->input(i));
    for (int64_t iter = 0; max_iters_ < 0 || iter < max_iters_; ++iter) {
      std::vector<Tensor> feeds = states.back();
      feeds.insert(feeds.end(), caps.begin(), caps.end());
      std::vector<Tensor> out;
      TF_RETURN_IF_ERROR(runner->RunSubgraph(cond_h_, feeds, &out));
      if (out[0].dtype() != DT_BOOL || out[0].NumElements() != 1) {
        return errors::InvalidArgument("The loop condition must be a scalar bool");
      }
      if (!*out[0].data<bool>()) break;
      std::vector<Tensor> next;
      TF_RETURN_IF_ERROR(runner->RunSubgraph(body_h_, std::move(feeds), &next));
      states.push_back(std::move(next));
    }
    // Backwards through the iterations.
    const int first_in = n + m + num_refs_;
    std::vector<Tensor> gvars(nd);
    for (int k = 0; k < nd; ++k) gvars[k] = ctx->input(first_in + k);
    const size_t nx = x_inputs_.size();
    std::vector<Tensor> acc(nx);  // gradients of captures and refs
    for (int t = static_cast<int>(states.size()) - 2; t >= 0; --t) {
      std::vector<Tensor> feeds = std::move(states[t]);
      states[t + 1].clear();  // no longer needed
      feeds.insert(feeds.end(), caps.begin(), caps.end());
      // Moved in, so the gradient subgraph may update them in place.
      for (auto& gv : gvars) feeds.push_back(std::move(gv));
      std::vector<std::pair<DataType, TensorShape>> var_types(nd);
      for (int k = 0; k < nd; ++k) {
        var_types[k] = {feeds[grad_vars_[k]].dtype(), feeds[grad_vars_[k]].shape()};
      }
      std::vector<Tensor> out;
      if (!fetches_.empty()) {
        TF_RETURN_IF_ERROR(runner->RunSubgraph(grad_h_, std::move(feeds), &out));
      }
      std::vector<Tensor> got(nx);
      for (size_t f = 0; f < fetch_pos_.size(); ++f) got[fetch_pos_[f]] = std::move(out[f]);
      for (int k = 0; k < nd; ++k) {
        if (got[k].dtype() == DT_INVALID) {
          gvars[k] = Tensor(var_types[k].first, var_types[k].second);
          if (gvars[k].NumElements() > 0) std::memset(gvars[k].raw_data(), 0, gvars[k].TotalBytes());
        } else {
          gvars[k] = std::move(got[k]);
        }
      }
      for (size_t i = nd; i < nx; ++i) {
        if (got[i].dtype() != DT_INVALID) TF_RETURN_IF_ERROR(Accumulate(&acc[i], got[i]));
      }
    }
    for (int k = 0; k < nd; ++k) ctx->set_output(k, std::move(gvars[k]));
    for (size_t i = nd; i < nx; ++i) {
      if (acc[i].dtype() == DT_INVALID) acc[i] = ZerosLike(ctx->input(static_cast<int>(x_inputs_[i])));
      ctx->set_output(static_cast<int>(i), std::move(acc[i]));
    }
    return Status::OK();
  }

 private:
  Status Prepare(SubgraphRunner* runner) {
    std::lock_guard<std::mutex> l(mu_);
    if (runner != prepared_for_) {
      std::vector<std::string> feeds;
      for (const auto& v : loop_vars_) feeds.push_back(v + ":0");
      for (const auto& v : captures_) feeds.push_back(v + ":0");
      TF_RETURN_IF_ERROR(runner->PrepareSubgraph(feeds, {cond_}, &cond_h_));
      TF_RETURN_IF_ERROR(runner->PrepareSubgraph(feeds, body_, &body_h_));
      if (!fetches_.empty()) {
        TF_RETURN_IF_ERROR(runner->PrepareSubgraph(grad_feeds_, fetches_, &grad_h_));
      }
      prepared_for_ = runner;
    }
    return Status::OK();
  }

  std::vector<std::string> loop_vars_, captures_, body_, grad_feeds_, grad_fetches_, fetches_;
  std::vector<int64_t> grad_vars_, x_inputs_;
  std::vector<int> fetch_pos_;
  std::string cond_;
  int64_t max_iters_ = -1;
  int num_refs_ = 0;
  Status construction_status_;
  std::mutex mu_;
  SubgraphRunner* prepared_for_ = nullptr;
  const void* cond_h_ = nullptr;
  const void* body_h_ = nullptr;
  const void* grad_h_ = nullptr;
};
TFCORE_REGISTER_KERNEL("TfcoreWhileGrad", DEVICE_CPU, WhileGradOp);

}  // namespace
}  // namespace tfcore
