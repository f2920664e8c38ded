// CPU kernels of the variable scatter ops (ops/scatter_ops.cc). They update
// the variable's buffer in place under its lock (see Note [variable buffers]
// in state_kernels.cc); duplicate indices all apply, in order.
#include <algorithm>
#include <mutex>
#include <sstream>

#include "tfcore/kernels/cpu/var_util.h"
#include "tfcore/kernels/kernel.h"

namespace tfcore {
namespace {

enum class ScatterKind { kUpdate, kAdd, kSub, kMul, kDiv, kMin, kMax };

template <ScatterKind K, typename T>
inline Status Apply(T* dst, const T& v) {
  if constexpr (K == ScatterKind::kUpdate) {
    *dst = v;
  } else if constexpr (K == ScatterKind::kAdd) {
    *dst = T(*dst + v);
  } else if constexpr (K == ScatterKind::kSub) {
    *dst = T(*dst - v);
  } else if constexpr (K == ScatterKind::kMul) {
    *dst = T(*dst * v);
  } else if constexpr (K == ScatterKind::kDiv) {
    if constexpr (std::is_integral_v<T>) {
      if (v == 0) return errors::InvalidArgument("Integer division by zero");
    }
    *dst = T(*dst / v);
  } else if constexpr (K == ScatterKind::kMin) {
    *dst = std::min(*dst, v);
  } else {
    *dst = std::max(*dst, v);
  }
  return Status::OK();
}

int64_t IndexAt(const Tensor& t, int64_t i) {
  return t.dtype() == DT_INT64 ? t.data<int64_t>()[i] : t.data<int32_t>()[i];
}

// Numbers for every kind; strings and bools too for plain updates.
template <ScatterKind K, typename F>
Status DispatchScatter(DataType dt, F&& f) {
  if constexpr (K == ScatterKind::kUpdate) {
    if (dt == DT_STRING) return f(std::string{});
    if (dt == DT_BOOL) return f(bool{});
  }
  return DispatchNumeric(dt, std::forward<F>(f));
}

template <ScatterKind K>
class ScatterOp : public OpKernel {
 public:
  explicit ScatterOp(OpKernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& indices = ctx->input(1);
    const Tensor& updates = ctx->input(2);
    Var* v = nullptr;
    std::unique_lock<std::mutex> lock;
    TF_RETURN_IF_ERROR(LockVarForUpdate(ctx, &v, &lock));
    Tensor& params = v->tensor;
    if (params.rank() < 1) {
      return errors::InvalidArgument("params must be at least 1-D, got ",
                                     params.shape().DebugString());
    }
    const int64_t n = indices.NumElements();
    const int64_t first = params.shape().dim(0);
    const int64_t slice = first == 0 ? 0 : params.NumElements() / first;
    const bool scalar = updates.rank() == 0;
    if (!scalar) {
      std::vector<int64_t> want(indices.shape().dims());
      for (int d = 1; d < params.rank(); ++d) want.push_back(params.shape().dim(d));
      if (updates.shape() != TensorShape(want)) {
        return errors::InvalidArgument(
            "Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], "
            "got updates.shape ", updates.shape().DebugString(), ", indices.shape ",
            indices.shape().DebugString(), ", params.shape ", params.shape().DebugString());
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      const int64_t ix = IndexAt(indices, i);
      if (ix < 0 || ix >= first) {
        return errors::InvalidArgument("indices[", i, "] = ", ix, " is not in [0, ", first, ")");
      }
    }
    if (params.dtype() != updates.dtype()) {
      return errors::InvalidArgument("params and updates have different dtypes");
    }
    TF_RETURN_IF_ERROR(DispatchScatter<K>(params.dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      T* p = params.data<T>();
      const T* u = updates.data<T>();
      for (int64_t i = 0; i < n; ++i) {
        T* row = p + IndexAt(indices, i) * slice;
        for (int64_t j = 0; j < slice; ++j) {
          TF_RETURN_IF_ERROR((Apply<K, T>(row + j, scalar ? u[0] : u[i * slice + j])));
        }
      }
      return Status::OK();
    }));
    ctx->set_output_ref(0, v);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

template <ScatterKind K>
class ScatterNdOp : public OpKernel {
 public:
  explicit ScatterNdOp(OpKernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& indices = ctx->input(1);
    const Tensor& updates = ctx->input(2);
    Var* v = nullptr;
    std::unique_lock<std::mutex> lock;
    TF_RETURN_IF_ERROR(LockVarForUpdate(ctx, &v, &lock));
    Tensor& params = v->tensor;
    if (indices.rank() < 1) {
      return errors::InvalidArgument("Index tensor must have at least one dimension");
    }
    const int k = static_cast<int>(indices.shape().dim(indices.rank() - 1));
    if (k > params.rank()) {
      return errors::InvalidArgument("Dimensions [0,", k, ") of indices[shape=",
                                     indices.shape().DebugString(),
                                     "] = must match dimensions [0,", k, ") of ref[shape=",
                                     params.shape().DebugString(), "]");
    }
    const int64_t n = k == 0 ? 0 : indices.NumElements() / k;
    int64_t slice = 1;
    for (int d = k; d < params.rank(); ++d) slice *= params.shape().dim(d);
    std::vector<int64_t> want(indices.shape().dims().begin(), indices.shape().dims().end() - 1);
    for (int d = k; d < params.rank(); ++d) want.push_back(params.shape().dim(d));
    if (updates.shape() != TensorShape(want)) {
      return errors::InvalidArgument("Must have updates.shape = indices.shape[:batch_dim] + "
                                     "params_shape[slice_dim:], got updates.shape: ",
                                     updates.shape().DebugString(), ", indices.shape: ",
                                     indices.shape().DebugString(), ", params_shape: ",
                                     params.shape().DebugString());
    }
    std::vector<int64_t> offsets(n);
    for (int64_t i = 0; i < n; ++i) {
      int64_t off = 0;
      for (int d = 0; d < k; ++d) {
        const int64_t ix = IndexAt(indices, i * k + d);
        if (ix < 0 || ix >= params.shape().dim(d)) {
          std::ostringstream where;
          for (int e = 0; e < k; ++e) where << (e ? ", " : "") << IndexAt(indices, i * k + e);
          return errors::InvalidArgument("indices[", i, "] = [", where.str(),
                                         "] does not index into shape ",
                                         params.shape().DebugString());
        }
        off = off * params.shape().dim(d) + ix;
      }
      offsets[i] = off * slice;
    }
    TF_RETURN_IF_ERROR(DispatchScatter<K>(params.dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      T* p = params.data<T>();
      const T* u = updates.data<T>();
      for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < slice; ++j) {
          TF_RETURN_IF_ERROR((Apply<K, T>(p + offsets[i] + j, u[i * slice + j])));
        }
      }
      return Status::OK();
    }));
    ctx->set_output_ref(0, v);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

}  // namespace

TFCORE_REGISTER_KERNEL("ScatterUpdate", DEVICE_CPU, ScatterOp<ScatterKind::kUpdate>);
TFCORE_REGISTER_KERNEL("ScatterAdd", DEVICE_CPU, ScatterOp<ScatterKind::kAdd>);
TFCORE_REGISTER_KERNEL("ScatterSub", DEVICE_CPU, ScatterOp<ScatterKind::kSub>);
TFCORE_REGISTER_KERNEL("ScatterMul", DEVICE_CPU, ScatterOp<ScatterKind::kMul>);
TFCORE_REGISTER_KERNEL("ScatterDiv", DEVICE_CPU, ScatterOp<ScatterKind::kDiv>);
TFCORE_REGISTER_KERNEL("ScatterMin", DEVICE_CPU, ScatterOp<ScatterKind::kMin>);
TFCORE_REGISTER_KERNEL("ScatterMax", DEVICE_CPU, ScatterOp<ScatterKind::kMax>);
TFCORE_REGISTER_KERNEL("ScatterNdUpdate", DEVICE_CPU, ScatterNdOp<ScatterKind::kUpdate>);
TFCORE_REGISTER_KERNEL("ScatterNdAdd", DEVICE_CPU, ScatterNdOp<ScatterKind::kAdd>);
TFCORE_REGISTER_KERNEL("ScatterNdSub", DEVICE_CPU, ScatterNdOp<ScatterKind::kSub>);

}  // namespace tfcore
