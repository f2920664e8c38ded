// Shared by kernels that update part of a TF1 variable in place (Scatter*,
// StridedSliceAssign): lock it, check it is initialised, and make sure its
// buffer is the variable's own before writing into it.
#pragma once

#include <mutex>

#include "tfcore/kernels/kernel.h"

namespace tfcore {

// Locks the variable of ref input 0 (held by `lock` on return), fails with
// TF's FailedPrecondition when it is uninitialised, and copies a borrowed
// buffer (e.g. a fed or constant value it was assigned from) so writes stay private.
inline Status LockVarForUpdate(OpKernelContext* ctx, Var** v, std::unique_lock<std::mutex>* lock) {
  *v = ctx->input_ref(0);
  *lock = std::unique_lock<std::mutex>((*v)->mu);
  if (!(*v)->initialized) {
    return errors::FailedPrecondition("Attempting to use uninitialized value ", (*v)->name);
  }
  if (!(*v)->tensor.buffer()->owns_memory()) (*v)->tensor = (*v)->tensor.Copy();
  return Status::OK();
}

}  // namespace tfcore
