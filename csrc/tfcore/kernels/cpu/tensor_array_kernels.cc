// The TfcoreTensorArrayScatter kernel (see ops/tensor_array_ops.cc).
#include <algorithm>
#include <cstring>
#include <string>

#include "tfcore/kernels/kernel.h"

namespace tfcore {
namespace {

std::string ShapeStr(const TensorShape& s) { return s.DebugString(); }

// Copies `n` elements of dtype `dt` from src[src_off] to dst[dst_off].
void CopyElems(DataType dt, const Tensor& src, int64_t src_off, Tensor* dst, int64_t dst_off,
               int64_t n) {
  if (n <= 0) return;
  if (dt == DT_STRING) {
    const std::string* s = static_cast<const std::string*>(src.raw_data()) + src_off;
    std::string* d = static_cast<std::string*>(dst->raw_data()) + dst_off;
    std::copy(s, s + n, d);
    return;
  }
  const size_t sz = DataTypeSize(dt);
  std::memcpy(static_cast<char*>(dst->raw_data()) + dst_off * sz,
              static_cast<const char*>(src.raw_data()) + src_off * sz, n * sz);
}

void ZeroElems(DataType dt, Tensor* t) {
  if (dt == DT_STRING || t->NumElements() == 0) return;  // strings start empty
  std::memset(t->raw_data(), 0, t->TotalBytes());
}

class TensorArrayScatterOp : public OpKernel {
 public:
  explicit TensorArrayScatterOp(OpKernelConstruction& c) : OpKernel(c) {
    TF_CONSTRUCT_OK(c, c.GetAttr("dynamic_size", &dynamic_size_));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& flow = ctx->input(0);
    const Tensor& indices = ctx->input(1);
    const Tensor& value = ctx->input(2);
    const DataType dt = ctx->output_type(0);
    if (flow.shape().rank() < 1) {
      return errors::InvalidArgument("TensorArray flow must have rank >= 1, got shape ",
                                     ShapeStr(flow.shape()));
    }
    if (indices.shape().rank() > 1) {
      return errors::InvalidArgument("indices must be a scalar or a vector, got shape ",
                                     ShapeStr(indices.shape()));
    }
    const bool single = indices.shape().rank() == 0;
    const int64_t k = single ? 1 : indices.shape().dim(0);
    TensorShape elem;
    if (single) {
      elem = value.shape();
    } else {
      if (value.shape().rank() < 1 || value.shape().dim(0) != k) {
        return errors::InvalidArgument(
            "Expected len(indices) == values.shape[0], but saw: ", k, " vs. ",
            value.shape().rank() < 1 ? 0 : value.shape().dim(0));
      }
      elem = TensorShape(std::vector<int64_t>(value.shape().dims().begin() + 1,
                                              value.shape().dims().end()));
    }
    const int32_t* idx = indices.data<int32_t>();
    const int64_t n = flow.shape().dim(0);
    TensorShape flow_elem(std::vector<int64_t>(flow.shape().dims().begin() + 1,
                                               flow.shape().dims().end()));
    // Widen an untouched flow (a [size] vector) to [size] + element_shape.
    const bool widen = flow.shape().rank() == 1 && elem.rank() > 0;
    int64_t new_n = n;
    for (int64_t j = 0; j < k; ++j) {
      if (idx[j] < 0) {
        return errors::InvalidArgument("Tried to write to index ", idx[j],
                                       " but array is not resizeable and size is: ", n);
      }
      if (idx[j] >= n) {
        if (!dynamic_size_) {
          return errors::InvalidArgument("Tried to write to index ", idx[j],
                                         " but array is not resizeable and size is: ", n);
        }
        new_n = std::max<int64_t>(new_n, static_cast<int64_t>(idx[j]) + 1);
      }
    }
    if (!widen && flow_elem != elem) {
      return errors::InvalidArgument(
          "Could not write to TensorArray index ", k > 0 ? idx[0] : 0,
          " because the value shape is ", ShapeStr(elem),
          " which is incompatible with the TensorArray's inferred element shape: ",
          ShapeStr(flow_elem), " (consider setting infer_shape=False).");
    }
    const int64_t row = elem.num_elements();
    Tensor out;
    if (!widen && new_n == n && ctx->forward_input(0, &out)) {
      // Written in place below.
    } else {
      std::vector<int64_t> dims{new_n};
      dims.insert(dims.end(), elem.dims().begin(), elem.dims().end());
      TensorShape shape;
      TF_RETURN_IF_ERROR(TensorShape::FromDims(dims, &shape));
      out = Tensor(dt, shape);
      ZeroElems(dt, &out);
      if (!widen) CopyElems(dt, flow, 0, &out, 0, n * row);
    }
    for (int64_t j = 0; j < k; ++j) {
      CopyElems(dt, value, j * row, &out, static_cast<int64_t>(idx[j]) * row, row);
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool dynamic_size_ = false;
};

TFCORE_REGISTER_KERNEL("TfcoreTensorArrayScatter", DEVICE_CPU, TensorArrayScatterOp);

class TensorArrayScatterGradOp : public OpKernel {
 public:
  explicit TensorArrayScatterGradOp(OpKernelConstruction& c) : OpKernel(c) {}

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& grad = ctx->input(0);
    const Tensor& flow = ctx->input(1);
    const Tensor& indices = ctx->input(2);
    const DataType dt = ctx->output_type(0);
    const int32_t* idx = indices.data<int32_t>();
    Tensor out;
    if (grad.shape() == flow.shape() && dt != DT_STRING && ctx->forward_input(0, &out)) {
      const int64_t n = flow.shape().dim(0);
      const int64_t row = n > 0 ? flow.NumElements() / n : 0;
      const size_t sz = DataTypeSize(dt);
      for (int64_t j = 0; j < indices.NumElements(); ++j) {
        if (idx[j] >= 0 && idx[j] < n && row > 0) {
          std::memset(static_cast<char*>(out.raw_data()) + idx[j] * row * sz, 0, row * sz);
        }
      }
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    out = Tensor(dt, flow.shape());
    ZeroElems(dt, &out);
    if (flow.shape().rank() >= 1 && grad.shape().rank() == flow.shape().rank()) {
      const int64_t n = flow.shape().dim(0);
      const int64_t row = n > 0 ? flow.NumElements() / n : 0;
      if (grad.shape().dim(0) < n || (grad.shape().dim(0) > 0 &&
                                      grad.NumElements() / grad.shape().dim(0) != row)) {
        return errors::InvalidArgument("TensorArray gradient of shape ",
                                       ShapeStr(grad.shape()), " for a flow of shape ",
                                       ShapeStr(flow.shape()));
      }
      CopyElems(dt, grad, 0, &out, 0, n * row);
      for (int64_t j = 0; j < indices.NumElements(); ++j) {
        if (idx[j] >= 0 && idx[j] < n && row > 0 && dt != DT_STRING) {
          const size_t sz = DataTypeSize(dt);
          std::memset(static_cast<char*>(out.raw_data()) + idx[j] * row * sz, 0, row * sz);
        }
      }
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

TFCORE_REGISTER_KERNEL("TfcoreTensorArrayScatterGrad", DEVICE_CPU, TensorArrayScatterGradOp);

}  // namespace
}  // namespace tfcore
