// Sparse updates of TF1 reference variables: ScatterUpdate, ScatterAdd,
// ScatterSub, ScatterMul, ScatterDiv, ScatterMin, ScatterMax (rows of the
// variable picked by `indices`) and ScatterNdUpdate, ScatterNdAdd,
// ScatterNdSub (slices picked by index tuples).
#include "tfcore/graph/graph.h"
#include "tfcore/graph/op_registry.h"

namespace tfcore {
namespace {

// TF's InferenceContext::Merge messages for incompatible shapes.
Status MergeLikeTF(const PartialShape& a, const PartialShape& b) {
  if (!a.known_rank() || !b.known_rank()) return Status::OK();
  if (a.rank() != b.rank()) {
    return errors::InvalidArgument("Shapes must be equal rank, but are ", a.rank(), " and ",
                                   b.rank());
  }
  for (int i = 0; i < a.rank(); ++i) {
    if (a.dim(i) >= 0 && b.dim(i) >= 0 && a.dim(i) != b.dim(i)) {
      return errors::InvalidArgument("Dimension ", i, " in both shapes must be equal, but are ",
                                     a.dim(i), " and ", b.dim(i), ". Shapes are ",
                                     a.DebugString(), " and ", b.DebugString(), ".");
    }
  }
  return Status::OK();
}

// updates: indices.shape + ref.shape[1:], or a scalar; output: ref's shape.
Status ScatterShape(InferenceContext& c) {
  const PartialShape& var = c.input(0);
  const PartialShape& idx = c.input(1);
  const PartialShape& upd = c.input(2);
  if (var.known_rank() && var.rank() == 0) {
    return errors::InvalidArgument("Shape must be at least rank 1 but is rank 0");
  }
  if (upd.known_rank() && upd.rank() == 0) {  // a scalar update
    c.set_output(0, var);
    return Status::OK();
  }
  if (var.known_rank() && idx.known_rank()) {
    std::vector<int64_t> want(idx.dims());
    want.insert(want.end(), var.dims().begin() + 1, var.dims().end());
    TF_RETURN_IF_ERROR(MergeLikeTF(upd, PartialShape(want)));
  }
  c.set_output(0, var);
  return Status::OK();
}

// indices [..., k] index the first k dims of ref; updates: indices.shape[:-1]
// + ref.shape[k:].
Status ScatterNdShape(InferenceContext& c) {
  const PartialShape& var = c.input(0);
  const PartialShape& idx = c.input(1);
  const PartialShape& upd = c.input(2);
  if (idx.known_rank() && idx.rank() < 1) {
    return errors::InvalidArgument("Shape must be at least rank 1 but is rank 0");
  }
  if (var.known_rank() && idx.known_rank() && upd.known_rank() && idx.dim(idx.rank() - 1) >= 0) {
    const int64_t k = idx.dim(idx.rank() - 1);
    if (k > var.rank()) {
      return errors::InvalidArgument("Dimension ", k, " out of range for ref of rank ",
                                     var.rank());
    }
    std::vector<int64_t> want(idx.dims().begin(), idx.dims().end() - 1);
    want.insert(want.end(), var.dims().begin() + k, var.dims().end());
    TF_RETURN_IF_ERROR(MergeLikeTF(upd, PartialShape(want)));
  }
  c.set_output(0, var);
  return Status::OK();
}

#define TFCORE_SCATTER_OP(NAME, TYPES, LOCKING, SHAPE_FN)  \
  TFCORE_REGISTER_OP(NAME)                                 \
      .Input("ref: Ref(T)")                                \
      .Input("indices: Tindices")                          \
      .Input("updates: T")                                 \
      .Output("output_ref: Ref(T)")                        \
      .Attr(TYPES)                                         \
      .Attr("Tindices: {int32, int64}")                    \
      .Attr("use_locking: bool = " LOCKING)                \
      .SetShapeFn(SHAPE_FN)                                \
      .SetNoGradient()

#define TFCORE_SCATTER_NUMBER "T: {float, double, int32, int64, uint8, int16, int8, uint16, " \
                              "uint32, uint64}"
#define TFCORE_SCATTER_REAL "T: {float, double, int32, int64, uint8, int16, int8, uint16, " \
                            "uint32, uint64}"

TFCORE_SCATTER_OP("ScatterUpdate", "T: type", "true", ScatterShape);
TFCORE_SCATTER_OP("ScatterAdd", TFCORE_SCATTER_NUMBER, "false", ScatterShape);
TFCORE_SCATTER_OP("ScatterSub", TFCORE_SCATTER_NUMBER, "false", ScatterShape);
TFCORE_SCATTER_OP("ScatterMul", TFCORE_SCATTER_NUMBER, "false", ScatterShape);
TFCORE_SCATTER_OP("ScatterDiv", TFCORE_SCATTER_NUMBER, "false", ScatterShape);
TFCORE_SCATTER_OP("ScatterMin", TFCORE_SCATTER_REAL, "false", ScatterShape);
TFCORE_SCATTER_OP("ScatterMax", TFCORE_SCATTER_REAL, "false", ScatterShape);
TFCORE_SCATTER_OP("ScatterNdUpdate", "T: type", "true", ScatterNdShape);
TFCORE_SCATTER_OP("ScatterNdAdd", TFCORE_SCATTER_NUMBER, "false", ScatterNdShape);
TFCORE_SCATTER_OP("ScatterNdSub", TFCORE_SCATTER_NUMBER, "false", ScatterNdShape);

// ref[begin:end:strides] = value (Variable.__getitem__(...).assign).
TFCORE_REGISTER_OP("StridedSliceAssign")
    .Input("ref: Ref(T)")
    .Input("begin: Index")
    .Input("end: Index")
    .Input("strides: Index")
    .Input("value: T")
    .Output("output_ref: Ref(T)")
    .Attr("T: type")
    .Attr("Index: {int32, int64}")
    .Attr("begin_mask: int = 0")
    .Attr("end_mask: int = 0")
    .Attr("ellipsis_mask: int = 0")
    .Attr("new_axis_mask: int = 0")
    .Attr("shrink_axis_mask: int = 0")
    .SetShapeFn([](InferenceContext& c) {
      c.set_output(0, c.input(0));
      return Status::OK();
    })
    .SetNoGradient();

}  // namespace
}  // namespace tfcore
