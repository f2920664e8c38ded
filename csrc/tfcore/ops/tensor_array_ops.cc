// TfcoreTensorArrayScatter: the one native op behind tf.TensorArray
// (python/tfcore/ops/tensor_array_ops.py).
//
// A TensorArray's state is a plain value tensor, its "flow": the elements
// stacked along a new leading dimension, shape [size] + element_shape. While
// the element shape is still unknown the flow is a zero-filled vector of
// shape [size]; the first write of a non-scalar element widens it to
// [size] + element_shape. Because the state is a value, a TensorArray passes
// through the functional TfcoreWhile loop like any other loop variable.
// Writing element `indices` (a scalar index and one element) or elements
// `indices[k]` (a vector of indices and a value with a leading dimension k)
// returns the new flow; `dynamic_size` lets writes past the end grow it.
#include "tfcore/autodiff/gradients.h"
#include "tfcore/graph/graph.h"
#include "tfcore/graph/op_registry.h"

namespace tfcore {

TFCORE_REGISTER_OP("TfcoreTensorArrayScatter")
    .Input("flow: T")
    .Input("indices: int32")
    .Input("value: T")
    .Output("flow_out: T")
    .Attr("T: type")
    .Attr("dynamic_size: bool = false")
    .SetShapeFn([](InferenceContext& c) {
      const PartialShape& idx = c.input(1);
      if (idx.known_rank() && idx.rank() > 1) {
        return errors::InvalidArgument("Shape must be at most rank 1 but is rank ", idx.rank(),
                                       " for 'indices'");
      }
      c.set_output(0, PartialShape::Unknown());
      return Status::OK();
    })
    .SetGradient([](GradContext& c) {
      // value: the written rows of the gradient; flow: the rest.
      NodeOut g = c.grad(0);
      NodeOut value_grad = c.Op("GatherV2", {g, c.input(1), c.Scalar(DT_INT32, 0, "axis")});
      if (value_grad.node == nullptr) return c.status();
      // After the gather, so that it can zero the rows of `g` in place.
      Node* flow_grad = c.AddNode("TfcoreTensorArrayScatterGrad", {g, c.input(0), c.input(1)},
                                  {}, "", {value_grad.node});
      if (flow_grad == nullptr) return c.status();
      c.SetInputGrad(0, NodeOut{flow_grad, 0});
      c.SetInputGrad(2, value_grad);
      return c.status();
    });

// The gradient of the flow input of TfcoreTensorArrayScatter: `grad` cut to
// the flow's length with the written rows zeroed (zeros when the write
// widened an untouched flow).
TFCORE_REGISTER_OP("TfcoreTensorArrayScatterGrad")
    .Input("grad: T")
    .Input("flow: T")
    .Input("indices: int32")
    .Output("flow_grad: T")
    .Attr("T: type")
    .SetShapeFn([](InferenceContext& c) {
      c.set_output(0, c.input(1));
      return Status::OK();
    })
    .SetNoGradient();

}  // namespace tfcore
