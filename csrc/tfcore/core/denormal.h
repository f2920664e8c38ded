// Flush-to-zero for subnormal floats while tfcore computes, as TensorFlow's
// executor and thread pool do: a result below FLT_MIN is 0 (not 1e-40), an
// input below it counts as 0. Programs print what TF prints (softmax of large
// logits gives exact zeros), and no kernel hits the 100x slow path of
// subnormal arithmetic. The caller's own mode is restored on scope exit.
#pragma once

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define TFCORE_HAVE_MXCSR 1
#else
#define TFCORE_HAVE_MXCSR 0
#endif

namespace tfcore {

class ScopedFlushDenormal {
 public:
  ScopedFlushDenormal() {
#if TFCORE_HAVE_MXCSR
    saved_ = _mm_getcsr();
    const unsigned want = saved_ | kFtz | kDaz;
    if (want != saved_) _mm_setcsr(want);
#endif
  }
  ~ScopedFlushDenormal() {
#if TFCORE_HAVE_MXCSR
    if (_mm_getcsr() != saved_) _mm_setcsr(saved_);
#endif
  }
  ScopedFlushDenormal(const ScopedFlushDenormal&) = delete;
  ScopedFlushDenormal& operator=(const ScopedFlushDenormal&) = delete;

  // For threads that only ever run tfcore work (the pool's workers).
  static void SetForThisThread() {
#if TFCORE_HAVE_MXCSR
    _mm_setcsr(_mm_getcsr() | kFtz | kDaz);
#endif
  }

 private:
#if TFCORE_HAVE_MXCSR
  static constexpr unsigned kFtz = 0x8000;  // flush-to-zero (results)
  static constexpr unsigned kDaz = 0x0040;  // denormals-are-zero (inputs)
  unsigned saved_ = 0;
#endif
};

}  // namespace tfcore
