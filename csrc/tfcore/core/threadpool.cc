#include "tfcore/core/threadpool.h"

#include "tfcore/core/denormal.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>

namespace tfcore {

namespace {
thread_local bool tls_is_worker = false;
// Below this many "cheap operations" a ParallelFor runs on the caller only:
// waking a thread costs a few microseconds.
constexpr int64_t kMinCostPerShard = 32 * 1024;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}
}  // namespace

ThreadPool::ThreadPool(int num_threads) {
  num_threads = std::max(1, num_threads);
  threads_.reserve(num_threads);
  for (int i = 0; i < num_threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  stopping_.store(true);
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

ThreadPool* ThreadPool::Default() {
  static ThreadPool* pool = [] {
    int n = static_cast<int>(std::thread::hardware_concurrency());
    if (const char* env = std::getenv("TFCORE_NUM_THREADS")) {
      int v = std::atoi(env);
      if (v > 0) n = v;
    }
    return new ThreadPool(n > 0 ? n : 1);  // leaked on purpose: outlives static destructors
  }();
  return pool;
}

bool ThreadPool::OnWorkerThread() { return tls_is_worker; }

void ThreadPool::Schedule(std::function<void()> fn) {
  bool wake;
  {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(std::move(fn));
    const int queued = queued_.fetch_add(1, std::memory_order_release) + 1;
    // A spinning worker takes one task without being woken (Note [spinning
    // worker]); it always rechecks the queue under mu_ before sleeping.
    wake = sleeping_ > 0 && queued > spinning_.load(std::memory_order_acquire);
  }
  if (wake) cv_.notify_one();
}

void ThreadPool::Spin() {
  int expected = 0;
  if (!spinning_.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
  for (int i = 1;; ++i) {
    if (queued_.load(std::memory_order_acquire) > 0 || stopping_.load(std::memory_order_relaxed)) break;
    CpuRelax();
    if ((i & 31) == 0 && std::chrono::steady_clock::now() >= deadline) break;
  }
  spinning_.store(0, std::memory_order_release);
}

void ThreadPool::WorkerLoop() {
  tls_is_worker = true;
  ScopedFlushDenormal::SetForThisThread();
  for (;;) {
    if (queued_.load(std::memory_order_acquire) == 0) Spin();
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> l(mu_);
      if (!stop_ && queue_.empty()) {
        ++sleeping_;
        cv_.wait(l, [this] { return stop_ || !queue_.empty(); });
        --sleeping_;
      }
      if (stop_ && queue_.empty()) return;
      fn = std::move(queue_.front());
      queue_.pop_front();
      queued_.fetch_sub(1, std::memory_order_release);
    }
    fn();
  }
}

void ThreadPool::ParallelFor(int64_t n, int64_t cost_per_unit,
                             const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  const int64_t total = n * std::max<int64_t>(cost_per_unit, 1);
  int64_t max_shards = std::max<int64_t>(1, total / kMinCostPerShard);
  // A few shards per thread balance uneven work without much overhead.
  int64_t shards = std::min<int64_t>({max_shards, static_cast<int64_t>(num_threads()) * 4, n});
  if (shards <= 1 || num_threads() <= 1) {
    fn(0, n);
    return;
  }
  const int64_t block = (n + shards - 1) / shards;
  shards = (n + block - 1) / block;

  struct State {
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> done{0};
    std::mutex mu;
    std::condition_variable cv;
  };
  auto st = std::make_shared<State>();
  auto work = [st, shards, block, n, &fn]() {
    for (;;) {
      int64_t s = st->next.fetch_add(1);
      if (s >= shards) return;
      int64_t b = s * block, e = std::min(n, b + block);
      fn(b, e);
      if (st->done.fetch_add(1) + 1 == shards) {
        std::lock_guard<std::mutex> l(st->mu);
        st->cv.notify_all();
      }
    }
  };
  // Helpers: one fewer than threads, the caller is the last worker. A helper
  // scheduled after the caller finished finds no shard left and returns at
  // once; `fn` is only touched for claimed shards, all of which complete
  // before we return.
  int helpers = static_cast<int>(std::min<int64_t>(num_threads(), shards) - 1);
  for (int i = 0; i < helpers; ++i) Schedule(work);
  work();
  // The other shards are running (or about to): wait for them briefly
  // without sleeping, then block.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
  for (int i = 1; st->done.load(std::memory_order_acquire) != shards; ++i) {
    CpuRelax();
    if ((i & 31) == 0 && std::chrono::steady_clock::now() >= deadline) break;
  }
  if (st->done.load(std::memory_order_acquire) == shards) return;
  std::unique_lock<std::mutex> l(st->mu);
  st->cv.wait(l, [&] { return st->done.load() == shards; });
}

void ParallelFor(int64_t n, int64_t cost_per_unit,
                 const std::function<void(int64_t, int64_t)>& fn) {
  ThreadPool::Default()->ParallelFor(n, cost_per_unit, fn);
}

}  // namespace tfcore
