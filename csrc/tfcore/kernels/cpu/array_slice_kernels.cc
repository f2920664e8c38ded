// CPU kernels for Slice, StridedSlice and StridedSliceGrad.
//
// A (strided) slice is a box of the input: per input dim a start, a step and
// a count. StridedBox first folds it into as few dims as possible (size-1
// dims vanish, dims that continue each other in memory merge), so the common
// cases become one memcpy (a range of rows), a memcpy per row (a column
// range), or a strided gather in the innermost loop only. Slices that take
// whole rows from the outermost dim are zero-copy views when aligned, and
// slices covering the whole input forward it.
#include <algorithm>
#include <mutex>

#include "tfcore/kernels/cpu/array_util.h"
#include "tfcore/kernels/cpu/var_util.h"
#include "tfcore/kernels/kernel.h"
#include "tfcore/ops/strided_slice_spec.h"

namespace tfcore {
namespace {

using array::CopyN;

// A box of elements of a row-major tensor: element (i_0..i_k) of the box is
// at base + sum(i_j * step_j); the box itself is dense row-major.
struct StridedBox {
  int64_t base = 0;
  std::vector<int64_t> step, count;

  static StridedBox Make(const TensorShape& in, const std::vector<int64_t>& begin,
                         const std::vector<int64_t>& strides, const std::vector<int64_t>& box) {
    StridedBox b;
    const int n = in.rank();
    std::vector<int64_t> in_stride(n);
    int64_t s = 1;
    for (int k = n - 1; k >= 0; --k) {
      in_stride[k] = s;
      s *= in.dim(k);
    }
    for (int k = 0; k < n; ++k) {
      b.base += begin[k] * in_stride[k];
      if (box[k] == 1) continue;
      const int64_t step = strides[k] * in_stride[k];
      if (!b.count.empty() && b.step.back() == step * box[k]) {
        // This dim continues the previous one in memory: merge.
        b.count.back() *= box[k];
        b.step.back() = step;
      } else {
        b.step.push_back(step);
        b.count.push_back(box[k]);
      }
    }
    if (b.count.empty()) {  // a single element
      b.step.push_back(1);
      b.count.push_back(1);
    }
    return b;
  }

  // kGather: dense[...] = strided[...]; otherwise strided[...] = dense[...].
  template <typename T, bool kGather>
  void Copy(T* strided, T* dense) const {
    const int n = static_cast<int>(count.size());
    const int64_t inner = count[n - 1], inner_step = step[n - 1];
    int64_t rows = 1;
    for (int k = 0; k < n - 1; ++k) rows *= count[k];
    ParallelFor(rows, array::CopyCost<T>(inner) * (inner_step == 1 ? 1 : 4),
                [&](int64_t rb, int64_t re) {
      // Odometer over the outer dims.
      std::vector<int64_t> idx(std::max(n - 1, 0));
      int64_t off = base, lin = rb;
      for (int k = n - 2; k >= 0; --k) {
        idx[k] = lin % count[k];
        lin /= count[k];
        off += idx[k] * step[k];
      }
      for (int64_t r = rb; r < re; ++r) {
        T* s = strided + off;
        T* d = dense + r * inner;
        if (inner_step == 1) {
          if (kGather) CopyN(d, s, inner);
          else CopyN(s, d, inner);
        } else if (inner_step == -1) {  // reversed rows (x[..., ::-1]): vectorisable
          for (int64_t i = 0; i < inner; ++i) {
            if (kGather) d[i] = s[-i];
            else s[-i] = d[i];
          }
        } else {
          for (int64_t i = 0; i < inner; ++i) {
            if (kGather) d[i] = s[i * inner_step];
            else s[i * inner_step] = d[i];
          }
        }
        for (int k = n - 2; k >= 0; --k) {
          off += step[k];
          if (++idx[k] < count[k]) break;
          off -= step[k] * count[k];
          idx[k] = 0;
        }
      }
    });
  }
};

// Output = box of `in` (begin/strides/box per input dim), shaped `out_shape`.
Status SliceCopy(OpKernelContext* ctx, const Tensor& in, const std::vector<int64_t>& begin,
                 const std::vector<int64_t>& strides, const std::vector<int64_t>& box,
                 const TensorShape& out_shape) {
  int64_t n = 1;
  for (int64_t b : box) n *= b;
  // Whole rows of the outermost dim: a contiguous range, maybe a view.
  bool rows_only = in.rank() > 0 && (strides[0] == 1 || box[0] == 1);
  for (int k = 1; rows_only && k < in.rank(); ++k) {
    rows_only = begin[k] == 0 && strides[k] == 1 && box[k] == in.dim(k);
  }
  if (n > 0 && rows_only) {
    const int64_t start = in.NumElements() / std::max<int64_t>(in.dim(0), 1) * begin[0];
    Tensor view;
    if (array::MakeView(in, start, out_shape, &view)) {
      ctx->set_output(0, std::move(view));
      return Status::OK();
    }
  }
  Tensor* out;
  TF_RETURN_IF_ERROR(ctx->allocate_output(0, out_shape, &out));
  if (n == 0) return Status::OK();
  const StridedBox sb = StridedBox::Make(in.shape(), begin, strides, box);
  return array::DispatchByStorage(in.dtype(), [&](auto tag) -> Status {
    using T = decltype(tag);
    sb.Copy<T, true>(const_cast<T*>(in.data<T>()), out->data<T>());
    return Status::OK();
  });
}

// ---------------------------------------------------------------- Slice

class SliceOp : public OpKernel {
 public:
  explicit SliceOp(OpKernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& begin_t = ctx->input(1);
    const Tensor& size_t_ = ctx->input(2);
    const int r = in.rank();
    if (begin_t.rank() != 1 || size_t_.rank() != 1 || begin_t.NumElements() != r ||
        size_t_.NumElements() != r) {
      return errors::InvalidArgument("Expected begin and size arguments to be 1-D tensors of size ",
                                     r, ", but got shapes ", begin_t.shape().DebugString(), " and ",
                                     size_t_.shape().DebugString(), " instead.");
    }
    std::vector<int64_t> begin, size;
    TF_RETURN_IF_ERROR(array::IntsFromTensor(begin_t, &begin));
    TF_RETURN_IF_ERROR(array::IntsFromTensor(size_t_, &size));
    bool identity = true;
    for (int k = 0; k < r; ++k) {
      const int64_t d = in.dim(k), b = begin[k];
      int64_t s = size[k];
      if (s == -1) s = d - b;
      if (b < 0 || b > d) {
        return errors::InvalidArgument("Expected begin[", k, "] in [0, ", d, "], but got ", b);
      }
      if (s < 0 || b + s > d) {
        return errors::InvalidArgument("Expected size[", k, "] in [0, ", d - b, "], but got ", s);
      }
      size[k] = s;
      identity &= (b == 0 && s == d);
    }
    if (identity) {
      ctx->set_output(0, in);
      return Status::OK();
    }
    return SliceCopy(ctx, in, begin, std::vector<int64_t>(r, 1), size, TensorShape(size));
  }
};
TFCORE_REGISTER_KERNEL("Slice", DEVICE_CPU, SliceOp);

// ---------------------------------------------------------------- StridedSlice

Status ReadMasks(OpKernelConstruction& c, StridedSliceMasks* m) {
  TF_RETURN_IF_ERROR(c.GetAttr("begin_mask", &m->begin_mask));
  TF_RETURN_IF_ERROR(c.GetAttr("end_mask", &m->end_mask));
  TF_RETURN_IF_ERROR(c.GetAttr("ellipsis_mask", &m->ellipsis_mask));
  TF_RETURN_IF_ERROR(c.GetAttr("new_axis_mask", &m->new_axis_mask));
  TF_RETURN_IF_ERROR(c.GetAttr("shrink_axis_mask", &m->shrink_axis_mask));
  return Status::OK();
}

// Validates begin/end/strides against `shape` and fills the dense spec.
Status ComputeSpec(OpKernelContext* ctx, int first, const TensorShape& shape,
                   const StridedSliceMasks& masks, StridedSliceResult* r) {
  const Tensor& b = ctx->input(first);
  const Tensor& e = ctx->input(first + 1);
  const Tensor& s = ctx->input(first + 2);
  if (b.rank() != 1 || e.rank() != 1 || s.rank() != 1 || b.NumElements() != s.NumElements() ||
      e.NumElements() != s.NumElements()) {
    return errors::InvalidArgument(
        "Expected begin, end, and strides to be 1D equal size tensors, but got shapes ",
        b.shape().DebugString(), ", ", e.shape().DebugString(), ", and ", s.shape().DebugString(),
        " instead.");
  }
  std::vector<int64_t> begin, end, strides;
  TF_RETURN_IF_ERROR(array::IntsFromTensor(b, &begin));
  TF_RETURN_IF_ERROR(array::IntsFromTensor(e, &end));
  TF_RETURN_IF_ERROR(array::IntsFromTensor(s, &strides));
  return ValidateStridedSlice(&begin, &end, strides, PartialShape(shape), masks, r);
}

class StridedSliceOp : public OpKernel {
 public:
  explicit StridedSliceOp(OpKernelConstruction& c) : OpKernel(c) {
    TF_CONSTRUCT_OK(c, ReadMasks(c, &masks_));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& in = ctx->input(0);
    StridedSliceResult r;
    TF_RETURN_IF_ERROR(ComputeSpec(ctx, 1, in.shape(), masks_, &r));
    const TensorShape final_shape = r.final_shape.ToTensorShape();
    if (r.is_identity) {
      Tensor out;
      TF_RETURN_IF_ERROR(in.Reshaped(final_shape, &out));
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    return SliceCopy(ctx, in, r.begin, r.strides, r.processing_shape.dims(), final_shape);
  }

 private:
  StridedSliceMasks masks_;
};
TFCORE_REGISTER_KERNEL("StridedSlice", DEVICE_CPU, StridedSliceOp);

// The gradient of StridedSlice: dy scattered into zeros of the input's shape.
class StridedSliceGradOp : public OpKernel {
 public:
  explicit StridedSliceGradOp(OpKernelConstruction& c) : OpKernel(c) {
    TF_CONSTRUCT_OK(c, ReadMasks(c, &masks_));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& shape_t = ctx->input(0);
    const Tensor& dy = ctx->input(4);
    if (shape_t.rank() != 1) {
      return errors::InvalidArgument("shape must be 1-D, got ", shape_t.shape().DebugString());
    }
    std::vector<int64_t> dims;
    TF_RETURN_IF_ERROR(array::IntsFromTensor(shape_t, &dims));
    TensorShape shape;
    TF_RETURN_IF_ERROR(TensorShape::FromDims(dims, &shape));
    StridedSliceResult r;
    TF_RETURN_IF_ERROR(ComputeSpec(ctx, 1, shape, masks_, &r));
    const TensorShape final_shape = r.final_shape.ToTensorShape();
    if (dy.shape() != final_shape) {
      return errors::InvalidArgument("shape of dy was ", dy.shape().DebugString(), " instead of ",
                                     final_shape.DebugString());
    }
    if (r.is_identity) {
      Tensor out;
      TF_RETURN_IF_ERROR(dy.Reshaped(shape, &out));
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx->allocate_output(0, shape, &out));
    if (out->dtype() != DT_STRING) {
      ParallelFor(static_cast<int64_t>(out->TotalBytes()), 1, [&](int64_t b, int64_t e) {
        std::memset(static_cast<char*>(out->raw_data()) + b, 0, e - b);
      });
    }
    if (dy.NumElements() == 0) return Status::OK();
    const StridedBox sb = StridedBox::Make(shape, r.begin, r.strides, r.processing_shape.dims());
    return array::DispatchByStorage(dy.dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      sb.Copy<T, false>(out->data<T>(), const_cast<T*>(dy.data<T>()));
      return Status::OK();
    });
  }

 private:
  StridedSliceMasks masks_;
};
TFCORE_REGISTER_KERNEL("StridedSliceGrad", DEVICE_CPU, StridedSliceGradOp);

// ref[begin:end:strides] = value, in the variable's buffer (v[1].assign(x)).
class StridedSliceAssignOp : public OpKernel {
 public:
  explicit StridedSliceAssignOp(OpKernelConstruction& c) : OpKernel(c) {
    TF_CONSTRUCT_OK(c, ReadMasks(c, &masks_));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& value = ctx->input(4);
    Var* v = nullptr;
    std::unique_lock<std::mutex> lock;
    TF_RETURN_IF_ERROR(LockVarForUpdate(ctx, &v, &lock));
    Tensor& params = v->tensor;
    StridedSliceResult r;
    TF_RETURN_IF_ERROR(ComputeSpec(ctx, 1, params.shape(), masks_, &r));
    const TensorShape final_shape = r.final_shape.ToTensorShape();
    if (value.dtype() != params.dtype()) {
      return errors::InvalidArgument("value and ref have different dtypes");
    }
    // The value broadcasts to the slice's shape (numpy rules), as in TF 2.
    const int fr = final_shape.rank(), vr = value.rank();
    bool ok = vr <= fr;
    for (int k = 0; ok && k < vr; ++k) {
      const int64_t vd = value.shape().dim(vr - 1 - k), fd = final_shape.dim(fr - 1 - k);
      ok = vd == fd || vd == 1;
    }
    if (!ok) {
      return errors::InvalidArgument("Cannot broadcast input shape ",
                                     value.shape().DebugString(), " into final shape ",
                                     final_shape.DebugString());
    }
    const int64_t n = final_shape.num_elements();
    if (n > 0) {
      const StridedBox sb =
          StridedBox::Make(params.shape(), r.begin, r.strides, r.processing_shape.dims());
      TF_RETURN_IF_ERROR(array::DispatchByStorage(value.dtype(), [&](auto tag) -> Status {
        using T = decltype(tag);
        std::vector<T> dense;
        const T* src = value.data<T>();
        if (value.shape() != final_shape) {
          dense.resize(n);
          for (int64_t i = 0; i < n; ++i) {
            int64_t rem = i, vi = 0, vstride = 1;
            for (int k = 0; k < fr; ++k) {
              const int64_t fd = final_shape.dim(fr - 1 - k);
              const int64_t c = rem % fd;
              rem /= fd;
              if (k < vr) {
                const int64_t vd = value.shape().dim(vr - 1 - k);
                if (vd != 1) vi += c * vstride;
                vstride *= vd;
              }
            }
            dense[i] = src[vi];
          }
          src = dense.data();
        }
        sb.Copy<T, false>(params.data<T>(), const_cast<T*>(src));
        return Status::OK();
      }));
    }
    ctx->set_output_ref(0, v);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  StridedSliceMasks masks_;
};
TFCORE_REGISTER_KERNEL("StridedSliceAssign", DEVICE_CPU, StridedSliceAssignOp);

}  // namespace
}  // namespace tfcore
