// Read batches (xbase/table.h, docs/multi-user.md "Read batches"): a table's shared index
// lock held across a short stretch of reads, under which records are read once.
#include <fmt/format.h>

#include "table/table_impl.h"
#include "io/path_text.h"
#include "xbase/table.h"

namespace xbase {

namespace {
// The table whose batch this thread holds: one at a time, and no other table is read
// meanwhile (a read that waits for another table's lock while this one is held could wait on
// a writer that waits for us).
thread_local const Table::Impl* batch_here = nullptr;
}  // namespace

bool Table::Impl::begin_batch(ReadBatch& handle) {
  need_no_batch("a read batch", true);
  if (!shared || tx || locks.index_held() || !yielded.empty() || dead_yielded) return false;
  settle_for_read();
  forget_indexes_after_recovery();
  // Writers lock the structural index (every writer opens it); an index only this process
  // opened with open_index would keep none of them out.
  if (!index) return false;
  std::unique_ptr<IndexGuard> g;
  try {
    g = std::make_unique<IndexGuard>(*this, false);
  } catch (const Error& e) {
    // The structural index read now (its first use) and found damaged: set aside, as a read
    // would find it; no batch then.
    if (e.code() == Errc::not_found && !index) return false;
    throw;
  }
  if (!g->owns()) return false;
  batch = std::move(g);
  batch_handle = &handle;
  batch_here = this;
  return true;
}

void Table::Impl::end_batch() noexcept {
  if (!batch) return;
  if (batch_here == this) batch_here = nullptr;
  if (batch_handle) {
    batch_handle->t_ = nullptr;
    batch_handle->active_ = false;
    batch_handle = nullptr;
  }
  auto g = std::move(batch);
  try {
    g->done();
  } catch (...) {
    // An unlock refused (a dropped connection): the lock goes with the connection or when
    // the file is closed; the batch is over either way.
  }
}

void Table::Impl::need_no_batch(std::string_view what, bool change) const {
  if (batch && change)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("{} is not possible while a read batch of the table is open", what));
  // Only shared use takes locks that could wait.
  if (batch_here && batch_here != this && shared)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("{} is not possible while a read batch of {} is open on this thread", what,
                            path_utf8(batch_here->path.filename())));
}

ReadBatch::ReadBatch(Table& t) : t_(&t) {
  active_ = t.impl_->begin_batch(*this);
  if (!active_) t_ = nullptr;
}

ReadBatch::~ReadBatch() { end(); }

void ReadBatch::end() {
  if (t_ && t_->impl_) t_->impl_->end_batch();  // clears t_ and active_
  t_ = nullptr;
  active_ = false;
}

bool ReadBatch::active() const { return active_; }

}  // namespace xbase
