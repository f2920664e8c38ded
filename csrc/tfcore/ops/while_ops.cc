// TfcoreWhile: tf.while_loop as one functional node.
//
// The condition and the body are ordinary nodes of the same graph, built over
// placeholders that stand for the loop variables ("loop_vars") and for the
// tensors the loop reads from outside ("captures"). At run time the kernel
// feeds the current loop values (and the captured values, fixed at loop entry,
// as TF1's Enter makes them) into those placeholders and runs the condition,
// then the body, through the session (SubgraphRunner), until the condition is
// false or maximum_iterations is reached. Unlike TF1's Enter/Merge/Switch/Exit
// frames, iterations run one after another.
//
// "refs" are the variables the loop reads by reference: the kernel ignores
// them (the body reads the live variables), they only connect the loop to
// those variables for tf.gradients.
//
// Gradient (Note [while gradient]): the body's gradient is added to the graph
// once, by AddSymbolicGradients from the body outputs back to the loop-variable
// placeholders, the captured placeholders and the refs, over new placeholders
// holding the gradients of the body outputs. TfcoreWhileGrad re-runs the
// forward iterations (recording every iteration's loop values), then runs that
// gradient subgraph once per iteration in reverse, carrying the loop-variable
// gradients back and summing the gradients of captured tensors and variables.
// The re-run repeats the body's side effects and random draws, so a body that
// assigns variables or draws random numbers gets wrong gradients.
#include <unordered_set>

#include "tfcore/autodiff/gradients.h"
#include "tfcore/graph/graph.h"
#include "tfcore/graph/op_registry.h"

namespace tfcore {
namespace {

Status FindTensor(const Graph* g, const std::string& name, NodeOut* out) {
  std::string node = name;
  int index = 0;
  size_t colon = name.rfind(':');
  if (colon != std::string::npos) {
    node = name.substr(0, colon);
    index = std::stoi(name.substr(colon + 1));
  }
  Node* n = g->FindNode(node);
  if (n == nullptr) return errors::Internal("TfcoreWhile gradient: no node ", node);
  *out = NodeOut{n, index};
  return Status::OK();
}

std::string TensorName(const NodeOut& t) { return t.node->name() + ":" + std::to_string(t.index); }

Status WhileGrad(GradContext& c) {
  const Node& w = c.op();
  std::vector<std::string> loop_vars, captures, body;
  std::string cond;
  int64_t max_iters = -1;
  TF_RETURN_IF_ERROR(w.GetAttr("loop_vars", &loop_vars));
  TF_RETURN_IF_ERROR(w.GetAttr("captures", &captures));
  TF_RETURN_IF_ERROR(w.GetAttr("body", &body));
  TF_RETURN_IF_ERROR(w.GetAttr("cond", &cond));
  TF_RETURN_IF_ERROR(w.GetAttr("maximum_iterations", &max_iters));
  Graph* g = c.graph();
  const int n = static_cast<int>(loop_vars.size());
  const int m = static_cast<int>(captures.size());
  const int nr = c.num_inputs() - n - m;
  std::vector<int64_t> dvars;   // differentiable loop variables
  std::vector<NodeOut> ys, xs, gys;
  std::vector<int> x_input;     // forward input index of each x
  std::string grad_scope;
  std::vector<std::string> grad_vars;
  // The loop variables a gradient flows through: those whose outputs get a
  // gradient, and those the body computes them from (a fixed point).
  std::vector<NodeOut> body_out(n), var_ph(n);
  std::vector<bool> live(n, false);
  for (int k = 0; k < n; ++k) {
    TF_RETURN_IF_ERROR(FindTensor(g, body[k], &body_out[k]));
    TF_RETURN_IF_ERROR(FindTensor(g, loop_vars[k] + ":0", &var_ph[k]));
    live[k] = DataTypeIsFloating(c.output_dtype(k)) && c.has_grad(k);
  }
  std::unordered_set<int> seen;
  std::vector<const Node*> stack;
  for (bool grew = true; grew;) {
    grew = false;
    for (int k = 0; k < n; ++k) {
      if (live[k] && seen.insert(body_out[k].node->id()).second) {
        stack.push_back(body_out[k].node);
      }
    }
    while (!stack.empty()) {
      const Node* nd = stack.back();
      stack.pop_back();
      for (const auto& in : nd->inputs()) {
        if (seen.insert(in.node->id()).second) stack.push_back(in.node);
      }
    }
    for (int k = 0; k < n; ++k) {
      if (!live[k] && DataTypeIsFloating(c.output_dtype(k)) &&
          seen.count(var_ph[k].node->id())) {
        live[k] = true;
        grew = true;
      }
    }
  }
  for (int k = 0; k < n; ++k) {
    DataType dt = c.output_dtype(k);
    if (!live[k]) continue;
    NodeOut y = body_out[k], p = var_ph[k];
    Node* ph = c.AddNode("Placeholder", {},
                         {{"dtype", dt}, {"shape", PartialShape::Unknown()}}, "body_grad_in");
    if (ph == nullptr) return c.status();
    if (grad_scope.empty()) {
      grad_scope = ph->name().substr(0, ph->name().rfind('/') + 1) + "body/";
    }
    dvars.push_back(k);
    ys.push_back(y);
    gys.push_back(NodeOut{ph, 0});
    grad_vars.push_back(ph->name());
    xs.push_back(p);
    x_input.push_back(k);
  }
  if (dvars.empty()) return c.status();  // nothing differentiable flows through
  for (int j = 0; j < m; ++j) {
    if (!DataTypeIsFloating(c.input_dtype(n + j))) continue;
    NodeOut p;
    TF_RETURN_IF_ERROR(FindTensor(g, captures[j] + ":0", &p));
    xs.push_back(p);
    x_input.push_back(n + j);
  }
  for (int r = 0; r < nr; ++r) {
    if (!DataTypeIsFloating(c.input_dtype(n + m + r))) continue;
    xs.push_back(c.input(n + m + r));
    x_input.push_back(n + m + r);
  }
  GradientOptions opts;
  opts.scope = grad_scope;
  std::vector<NodeOut> dxs;
  Status s = AddSymbolicGradients(g, ys, xs, gys, {}, opts, &dxs);
  if (!s.ok()) return s;
  std::vector<std::string> fetches;
  std::vector<DataType> out_types;
  for (size_t i = 0; i < xs.size(); ++i) {
    fetches.push_back(dxs[i].node == nullptr ? std::string() : TensorName(dxs[i]));
    out_types.push_back(c.input_dtype(x_input[i]));
  }
  std::vector<NodeOut> inputs;
  for (int i = 0; i < c.num_inputs(); ++i) inputs.push_back(c.input(i));
  for (int64_t k : dvars) inputs.push_back(c.grad(static_cast<int>(k)));
  std::vector<DataType> tin, tcap, tref, tgrad;
  for (int i = 0; i < n; ++i) tin.push_back(c.input_dtype(i));
  for (int j = 0; j < m; ++j) tcap.push_back(c.input_dtype(n + j));
  for (int r = 0; r < nr; ++r) tref.push_back(c.input_dtype(n + m + r));
  for (int64_t k : dvars) tgrad.push_back(c.output_dtype(static_cast<int>(k)));
  std::vector<std::string> feeds;
  for (const auto& v : loop_vars) feeds.push_back(v + ":0");
  for (const auto& v : captures) feeds.push_back(v + ":0");
  for (const auto& v : grad_vars) feeds.push_back(v + ":0");
  Node* gn = c.AddNode("TfcoreWhileGrad", inputs,
                       {{"T", tin}, {"Tcaptured", tcap}, {"Trefs", tref}, {"Tgrad", tgrad},
                        {"Tout", out_types}, {"loop_vars", loop_vars}, {"captures", captures},
                        {"cond", cond}, {"body", body}, {"maximum_iterations", max_iters},
                        {"grad_feeds", feeds}, {"grad_fetches", fetches}, {"grad_vars", dvars},
                        {"x_inputs", std::vector<int64_t>(x_input.begin(), x_input.end())}},
                       "TfcoreWhileGrad");
  if (gn == nullptr) return c.status();
  for (size_t i = 0; i < xs.size(); ++i) {
    // Captured tensors and variables the gradient never reaches get none (None).
    if (x_input[i] >= n && dxs[i].node == nullptr) continue;
    c.SetInputGrad(x_input[i], NodeOut{gn, static_cast<int>(i)});
  }
  return c.status();
}

}  // namespace

TFCORE_REGISTER_OP("TfcoreWhile")
    .Input("loop_inputs: T")
    .Input("captured: Tcaptured")
    .Input("refs: Trefs")
    .Output("outputs: T")
    .Attr("T: list(type) >= 1")
    .Attr("Tcaptured: list(type) >= 0")
    .Attr("Trefs: list(type) >= 0 = []")
    .Attr("loop_vars: list(string)")
    .Attr("captures: list(string)")
    .Attr("cond: string")
    .Attr("body: list(string)")
    .Attr("output_shapes: list(shape)")
    .Attr("maximum_iterations: int = -1")
    .SetIsStateful()
    .SetShapeFn([](InferenceContext& c) {
      std::vector<PartialShape> shapes;
      TF_RETURN_IF_ERROR(c.GetAttr("output_shapes", &shapes));
      if (static_cast<int>(shapes.size()) != c.num_outputs()) {
        return errors::InvalidArgument("TfcoreWhile: ", shapes.size(), " output shapes for ",
                                       c.num_outputs(), " outputs");
      }
      for (int i = 0; i < c.num_outputs(); ++i) c.set_output(i, shapes[i]);
      return Status::OK();
    })
    .SetGradient(WhileGrad);

// Outputs the gradients of the forward inputs listed in x_inputs (loop
// inputs, captured tensors, refs), given the gradients of the outputs
// grad_vars; see Note [while gradient] above.
TFCORE_REGISTER_OP("TfcoreWhileGrad")
    .Input("loop_inputs: T")
    .Input("captured: Tcaptured")
    .Input("refs: Trefs")
    .Input("output_grads: Tgrad")
    .Output("grads: Tout")
    .Attr("T: list(type) >= 1")
    .Attr("Tcaptured: list(type) >= 0")
    .Attr("Trefs: list(type) >= 0")
    .Attr("Tgrad: list(type) >= 1")
    .Attr("Tout: list(type) >= 1")
    .Attr("loop_vars: list(string)")
    .Attr("captures: list(string)")
    .Attr("cond: string")
    .Attr("body: list(string)")
    .Attr("maximum_iterations: int = -1")
    .Attr("grad_feeds: list(string)")
    .Attr("grad_fetches: list(string)")
    .Attr("grad_vars: list(int)")
    .Attr("x_inputs: list(int)")
    .SetIsStateful()
    .SetShapeFn([](InferenceContext& c) {
      std::vector<int64_t> x_inputs;
      TF_RETURN_IF_ERROR(c.GetAttr("x_inputs", &x_inputs));
      for (int i = 0; i < c.num_outputs() && i < static_cast<int>(x_inputs.size()); ++i) {
        c.set_output(i, c.input(static_cast<int>(x_inputs[i])));
      }
      return Status::OK();
    })
    .SetNoGradient();

}  // namespace tfcore
