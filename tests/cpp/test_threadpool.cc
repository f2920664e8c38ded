// ThreadPool: every scheduled task and every ParallelFor shard runs exactly
// once, whether the workers are asleep, spinning (Note [spinning worker]) or
// busy, and nested ParallelFor from a worker never deadlocks.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "test_harness.h"
#include "tfcore/core/threadpool.h"

using tfcore::ThreadPool;

TEST(ThreadPool, ParallelForCoversEveryIndexOnce) {
  ThreadPool pool(2);
  for (int round = 0; round < 2000; ++round) {
    const int64_t n = 1 + round % 97;
    std::vector<std::atomic<int>> hits(n);
    for (auto& h : hits) h.store(0);
    pool.ParallelFor(n, 1 << 20, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) hits[i].fetch_add(1);
    });
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1);
    // Alternate quick bursts (a spinning worker) with pauses (sleeping ones).
    if (round % 100 == 99) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

TEST(ThreadPool, ScheduledTasksAllRunFromManyThreads) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(2);
    std::vector<std::thread> producers;
    for (int t = 0; t < 4; ++t) {
      producers.emplace_back([&] {
        for (int i = 0; i < 5000; ++i) pool.Schedule([&] { done.fetch_add(1); });
      });
    }
    for (auto& p : producers) p.join();
    for (int i = 0; i < 2000 && done.load() < 20000; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(done.load(), 20000);
  }  // the destructor joins idle (spinning or sleeping) workers
}

TEST(ThreadPool, LateTaskAfterSpinEndsStillRuns) {
  ThreadPool pool(2);
  for (int i = 0; i < 50; ++i) {
    std::atomic<bool> ran{false};
    // Long enough for the spinner to give up and sleep.
    std::this_thread::sleep_for(std::chrono::microseconds(ThreadPool::kSpinMicros * 3));
    pool.Schedule([&] { ran.store(true); });
    for (int k = 0; k < 2000 && !ran.load(); ++k) {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    ASSERT_TRUE(ran.load());
  }
}

TEST(ThreadPool, NestedParallelForFromWorkers) {
  ThreadPool pool(2);
  std::atomic<int64_t> sum{0};
  pool.ParallelFor(8, 1 << 20, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      pool.ParallelFor(100, 1 << 20, [&](int64_t b2, int64_t e2) {
        for (int64_t j = b2; j < e2; ++j) sum.fetch_add(j);
      });
    }
  });
  EXPECT_EQ(sum.load(), 8 * 4950);
}

int main(int argc, char** argv) { return tfcore_test::RunAll(argc, argv); }
