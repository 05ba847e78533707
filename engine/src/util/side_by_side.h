// Work on several files at once: on a share every open, write, sync and close is a round trip
// to the server, and jobs on different files need not wait for each other. Used by a commit
// (its files written and synced, its locks given back), Table::open_all, Table::close_all and
// Table::read_each.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace xbase {

// Runs job(0) .. job(n - 1): side by side when `side_by_side` (one helper thread per job but
// the first, which runs on the caller), else in turn. A helper thread that cannot be had runs
// its job, and those after it, on the caller. Returns once every job is back, with the first
// failure in job order (null when none failed); a job's failure stops no other job.
template <class Job>
std::exception_ptr run_side_by_side(size_t n, bool side_by_side, Job&& job) {
  std::vector<std::exception_ptr> failed(n);
  auto run = [&](size_t i) {
    try {
      job(i);
    } catch (...) {
      failed[i] = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  if (side_by_side && n > 1) {
    try {
      helpers.reserve(n - 1);
      for (size_t i = 1; i < n; ++i) helpers.emplace_back(run, i);
    } catch (...) {
      // No thread (or no memory for one): the jobs not handed out run here, in turn.
    }
  }
  if (n > 0) run(0);
  for (size_t i = helpers.size() + 1; i < n; ++i) run(i);
  for (std::thread& h : helpers) h.join();
  for (const std::exception_ptr& e : failed)
    if (e) return e;
  return nullptr;
}

// run_side_by_side on at most `most` jobs for n items: job j does item(j), item(j + jobs), ...
// in turn (an item that fails ends the rest of its job's). For many small jobs on one file or
// one commit, where a thread each would cost more than it saves.
template <class Item>
std::exception_ptr run_spread(size_t n, size_t most, bool side_by_side, Item&& item) {
  const size_t jobs = std::min(n, most);
  return run_side_by_side(jobs, side_by_side, [&](size_t j) {
    for (size_t i = j; i < n; i += jobs) item(i);
  });
}

}  // namespace xbase
