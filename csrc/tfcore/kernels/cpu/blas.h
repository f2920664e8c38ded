// GEMM for the dense kernels (MatMul, BatchMatMul, convolutions), on top of
// OpenBLAS when the build found one, with a portable fallback for the types
// BLAS has no routine for (integers) and for sizes its 32-bit interface cannot
// express.
//
// Symbols. The Python build links the `scipy-openblas32` wheel, whose symbols
// carry a prefix (`scipy_cblas_sgemm`, `scipy_openblas_set_num_threads`);
// third_party/blas.cmake then defines TFCORE_BLAS_PREFIX=scipy_. A C++ build
// against a system OpenBLAS defines no prefix. TFCORE_BLAS(name) pastes the
// prefix, so this file is the only place that knows about it.
//
// Note [BLAS threading policy]
// tfcore owns all parallelism; OpenBLAS always runs single-threaded.
//  * The process has one thread pool (ThreadPool::Default(), as many threads
//    as cores). The executor runs independent expensive ops on it
//    concurrently and kernels split their work with ParallelFor, whose
//    calling thread does every shard nobody else picked up (see
//    threadpool.h). So work never exceeds the pool's threads, whatever runs
//    at the same time.
//  * OpenBLAS's own threads would break that: a threaded sgemm called from
//    two concurrent ops, or from inside a ParallelFor shard, puts 2x or 4x
//    as many busy threads on the cores, and OpenBLAS's spin-waiting workers
//    degrade badly when they do not own a core (measured on the 2-core dev
//    machine while another process was compiling: a 256^3 sgemm went from
//    0.2 ms to 32 ms with 2 OpenBLAS threads).
//  * Therefore BlasSingleThreaded() pins OpenBLAS to 1 thread (checked before
//    every BLAS call: a cheap global read; it is set again if something else
//    in the process, e.g. scipy or threadpoolctl sharing the same
//    libscipy_openblas, changed it), and
//  * ParallelGemm() splits one large GEMM into as many row (or column)
//    panels as the pool has threads, each a single-threaded BLAS call, via
//    ParallelFor. A kernel that already runs GEMMs inside its own
//    ParallelFor shards (convolution chunks, batches of small matrices)
//    calls Gemm(), never ParallelGemm(), from a shard.
// For a 1024^3 sgemm on an idle 2-core machine the panel split costs about
// 2-3% against OpenBLAS's own 2-thread run (each panel packs B itself), and
// it stays fast when the cores are contended.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "tfcore/core/threadpool.h"

#if defined(TFCORE_HAVE_BLAS) && TFCORE_HAVE_BLAS
#include <cblas.h>
#define TFCORE_USE_CBLAS 1
#else
#define TFCORE_USE_CBLAS 0
#endif

#ifndef TFCORE_BLAS_PREFIX
#define TFCORE_BLAS_PREFIX
#endif
#define TFCORE_BLAS_CAT_INNER(a, b) a##b
#define TFCORE_BLAS_CAT(a, b) TFCORE_BLAS_CAT_INNER(a, b)
// TFCORE_BLAS(cblas_sgemm) -> scipy_cblas_sgemm or cblas_sgemm.
#define TFCORE_BLAS(name) TFCORE_BLAS_CAT(TFCORE_BLAS_PREFIX, name)

namespace tfcore {
namespace blas {

// Makes sure OpenBLAS runs single-threaded (Note [BLAS threading policy]).
// Called by Gemm itself; cheap.
void BlasSingleThreaded();

// Whether T has a BLAS routine (float, double) in this build.
template <typename T>
constexpr bool HasBlas() {
  return TFCORE_USE_CBLAS && (std::is_same_v<T, float> || std::is_same_v<T, double>);
}

// Arithmetic type for integer products: unsigned so overflow wraps instead
// of being undefined (TF's integer matmul wraps too), wide enough that the
// promotion of uint16 * uint16 to int cannot overflow.
template <typename T, typename = void>
struct GemmAccum {
  using type = T;
};
template <typename T>
struct GemmAccum<T, std::enable_if_t<std::is_integral_v<T>>> {
  using type = std::make_unsigned_t<decltype(T() * T())>;
};

// Portable row-major GEMM: C = alpha * op(A) * op(B) + beta * C, on the
// calling thread. Integer types and oversized problems. Cache-blocked over
// columns, inner loop over contiguous columns of B (vectorisable). beta == 0
// never reads C (it may hold garbage).
template <typename T>
void ReferenceGemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha,
                   const T* a, int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  using U = typename GemmAccum<T>::type;
  constexpr int64_t kColBlock = 256;
  constexpr int64_t kDepthBlock = 128;
  U brow[kColBlock];
  U acc[kColBlock];
  for (int64_t j0 = 0; j0 < n; j0 += kColBlock) {
    const int64_t nb = std::min(kColBlock, n - j0);
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < nb; ++j) acc[j] = U(0);
      for (int64_t p0 = 0; p0 < k; p0 += kDepthBlock) {
        const int64_t pe = std::min(k, p0 + kDepthBlock);
        for (int64_t p = p0; p < pe; ++p) {
          const U av = static_cast<U>(trans_a ? a[p * lda + i] : a[i * lda + p]);
          if (trans_b) {
            for (int64_t j = 0; j < nb; ++j) brow[j] = static_cast<U>(b[(j0 + j) * ldb + p]);
            for (int64_t j = 0; j < nb; ++j) acc[j] += av * brow[j];
          } else {
            const T* br = b + p * ldb + j0;
            for (int64_t j = 0; j < nb; ++j) acc[j] += av * static_cast<U>(br[j]);
          }
        }
      }
      T* cr = c + i * ldc + j0;
      const U ua = static_cast<U>(alpha), ub = static_cast<U>(beta);
      if (beta == T(0)) {
        for (int64_t j = 0; j < nb; ++j) cr[j] = static_cast<T>(ua * acc[j]);
      } else {
        for (int64_t j = 0; j < nb; ++j) cr[j] = static_cast<T>(ua * acc[j] + ub * static_cast<U>(cr[j]));
      }
    }
  }
}

// C = beta * C for the k == 0 case (beta == 0 writes zeros).
template <typename T>
void ScaleC(int64_t m, int64_t n, T beta, T* c, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i) {
    T* cr = c + i * ldc;
    if (beta == T(0)) {
      std::fill(cr, cr + n, T(0));
    } else {
      for (int64_t j = 0; j < n; ++j) cr[j] *= beta;
    }
  }
}

#if TFCORE_USE_CBLAS
inline void CblasGemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda,
                      const float* b, int ldb, float beta, float* c, int ldc) {
  TFCORE_BLAS(cblas_sgemm)(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                           m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void CblasGemm(bool ta, bool tb, int m, int n, int k, double alpha, const double* a, int lda,
                      const double* b, int ldb, double beta, double* c, int ldc) {
  TFCORE_BLAS(cblas_dgemm)(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                           m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#endif

// Below this many multiply-adds a plain loop beats the BLAS call overhead
// (argument checks, packing); batches of tiny matrices hit this.
constexpr int64_t kTinyGemmWork = 8 * 8 * 8;

// Row-major C[m,n] = alpha * op(A) * op(B) + beta * C on the calling thread
// (single-threaded BLAS). op(A) is [m,k]: A is [m,k] (lda >= k) or, with
// trans_a, [k,m] (lda >= m); likewise op(B) is [k,n]. beta == 0 never reads C.
template <typename T>
void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
          int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    ScaleC(m, n, beta, c, ldc);
    return;
  }
  if constexpr (HasBlas<T>()) {
#if TFCORE_USE_CBLAS
    constexpr int64_t kMax = std::numeric_limits<int>::max();
    if (m * n * k > kTinyGemmWork && m <= kMax && n <= kMax && k <= kMax && lda <= kMax &&
        ldb <= kMax && ldc <= kMax) {
      BlasSingleThreaded();
      // BLAS insists on leading dimensions >= the row length even when it
      // never steps over them (one row).
      const int64_t la = std::max<int64_t>(lda, trans_a ? m : k);
      const int64_t lb = std::max<int64_t>(ldb, trans_b ? k : n);
      const int64_t lc = std::max<int64_t>(ldc, n);
      CblasGemm(trans_a, trans_b, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
                alpha, a, static_cast<int>(la), b, static_cast<int>(lb), beta, c,
                static_cast<int>(lc));
      return;
    }
#endif
  }
  ReferenceGemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Problems below this many multiply-adds run on the calling thread: waking a
// pool thread costs a few microseconds.
constexpr int64_t kMinParallelGemmWork = int64_t(1) << 20;
// The same when a pool thread is spinning for work (a 64^3 product splits).
constexpr int64_t kMinHotParallelGemmWork = int64_t(1) << 17;

// Multiply-adds one core does in the time a sleeping pool thread takes to
// wake up and claim a ParallelFor shard (measured on the 2-core dev machine:
// a median 12-13 us until the second shard starts, about 7 us more until a
// caller sleeping in the final wait is woken; at ~45 GMAC/s per core).
constexpr int64_t kWakeUpWork = int64_t(800) * 1024;

// Gemm split over the thread pool (Note [BLAS threading policy]): as many
// panels as the pool has threads, cut along the larger of m and n (rows on
// multiples of 4, columns on multiples of 16 so no two panels share a cache
// line of C). The calling thread starts panel 0 at once while the others
// wait for a pool thread to wake up, so panel 0 gets that much more work
// (kWakeUpWork / 2: then both halves of a 2-way split tend to finish
// together and the caller rarely sleeps in the final wait); it matters for
// mid-sized products (a 256^3 sgemm is ~8 us faster) and is nothing for
// large ones. Never call it from inside a ParallelFor shard of your own (use
// Gemm there): it would still be correct, only pointless.
template <typename T>
void ParallelGemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha,
                  const T* a, int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  ThreadPool* pool = ThreadPool::Default();
  const int threads = pool->num_threads();
  const int64_t work = m * n * std::max<int64_t>(k, 1);
  // A spinning worker (Note [spinning worker]) takes a panel within a
  // microsecond, so much smaller products are worth splitting then.
  const bool hot = pool->HotWorker();
  const int64_t min_work = hot ? kMinHotParallelGemmWork : kMinParallelGemmWork;
  if (threads <= 1 || work < min_work || (m < 32 && n < 32)) {
    // Worth splitting if a worker were awake: wake one for the next product
    // (a run of such products, e.g. a training loop, then splits them all).
    if (threads > 1 && !hot && work >= kMinHotParallelGemmWork && (m >= 32 || n >= 32)) {
      pool->Schedule([] {});
    }
    Gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const bool split_m = m >= n;
  const int64_t extent = split_m ? m : n;
  const int64_t align = split_m ? 4 : 16;
  const int64_t line_work = work / extent;  // multiply-adds per row (column) of the split
  int64_t panels = std::min<int64_t>(threads, (extent + align - 1) / align);
  // Panel 0 (the caller's): an equal share plus half the wake-up time's work,
  // at most twice an equal share; the others split the rest evenly.
  auto round_up = [&](int64_t v) { return (v + align - 1) / align * align; };
  const int64_t equal = extent / panels;
  const int64_t head_start = hot ? 0 : kWakeUpWork / 2 / std::max<int64_t>(line_work, 1);
  int64_t first = std::min(extent, round_up(equal + std::min(equal, head_start)));
  int64_t rest_per = panels > 1 ? round_up((extent - first + panels - 2) / (panels - 1)) : 0;
  if (rest_per == 0) panels = 1;
  auto bounds = [&](int64_t p, int64_t* s, int64_t* e) {
    *s = p == 0 ? 0 : std::min(extent, first + (p - 1) * rest_per);
    *e = p == 0 ? first : std::min(extent, first + p * rest_per);
  };
  pool->ParallelFor(panels, work / panels, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      int64_t s, e;
      bounds(p, &s, &e);
      if (s >= e) continue;
      if (split_m) {
        const T* ap = trans_a ? a + s : a + s * lda;
        Gemm(trans_a, trans_b, e - s, n, k, alpha, ap, lda, b, ldb, beta, c + s * ldc, ldc);
      } else {
        const T* bp = trans_b ? b + s * ldb : b + s;
        Gemm(trans_a, trans_b, m, e - s, k, alpha, a, lda, bp, ldb, beta, c + s, ldc);
      }
    }
  });
}

// A growable 64-byte aligned scratch buffer, one per thread: im2col panels
// and similar per-shard workspaces live here and are reused across calls
// (each thread keeps its largest request, a few hundred KB for convolutions).
// `slot` lets one shard hold two buffers at once.
void* ThreadScratch(size_t bytes, int slot = 0);

}  // namespace blas
}  // namespace tfcore
