// ThreadPool: one pool per process, sized to the machine, shared by the
// executor (independent ops in parallel) and by kernels (ParallelFor).
//
// Note [no nested deadlock]
// ParallelFor splits work into shards claimed through an atomic counter; the
// calling thread claims shards too and only waits for shards another thread
// has already started. So a kernel running on a pool thread can call
// ParallelFor even when every other pool thread is busy: it simply does all
// the work itself.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tfcore {

class ThreadPool {
 public:
  explicit ThreadPool(int num_threads);
  ~ThreadPool();

  // The process-wide pool: hardware_concurrency() threads, or TFCORE_NUM_THREADS.
  static ThreadPool* Default();

  int num_threads() const { return static_cast<int>(threads_.size()); }
  void Schedule(std::function<void()> fn);

  // Runs fn(begin, end) over [0, n) in shards. `cost_per_unit` is a rough
  // number of cheap operations per element; small totals run inline so tiny
  // tensors never pay for threading.
  void ParallelFor(int64_t n, int64_t cost_per_unit,
                   const std::function<void(int64_t, int64_t)>& fn);

  // True on one of this pool's worker threads.
  static bool OnWorkerThread();

  // True while a worker is spinning for work (Note [spinning worker]): a task
  // scheduled now starts within about a microsecond.
  bool HotWorker() const { return spinning_.load(std::memory_order_relaxed) != 0; }

  static constexpr int kSpinMicros = 40;

 private:
  void WorkerLoop();
  void Spin();
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  int sleeping_ = 0;                // workers blocked in cv_ (guarded by mu_)
  std::atomic<int> queued_{0};      // queue_.size(), readable without mu_
  std::atomic<int> spinning_{0};    // 0 or 1
  std::atomic<bool> stopping_{false};
};

// Convenience: ThreadPool::Default()->ParallelFor(...).
void ParallelFor(int64_t n, int64_t cost_per_unit,
                 const std::function<void(int64_t, int64_t)>& fn);

}  // namespace tfcore
