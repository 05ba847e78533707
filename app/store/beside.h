// Work started on a thread beside the caller's: on a share the store's opens, reads and closes
// are network round trips, and those that need not wait for each other overlap (issue 30).
#pragma once

#include <future>
#include <system_error>
#include <utility>

namespace invoicing::store {

// `f` run on a thread of its own, or deferred to the future's get() when no thread is to be
// had. The future's end waits for the work however the caller goes on.
template <class F>
auto beside(F f) {
  try {
    return std::async(std::launch::async, f);
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, std::move(f));
  }
}

}  // namespace invoicing::store
