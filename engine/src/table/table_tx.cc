// A table's side of a transaction (table/table_tx.h): joining it, staging the files, and
// what is kept or read again when it ends.
#include "table/table_tx.h"

#include "table/table_impl.h"
#include "xbase/error.h"

namespace xbase {

journal::StagingFs& TxAccess::staging(Table& t) { return *t.impl_->staging; }
TxLink* TxAccess::owner(Table& t) { return t.impl_->tx; }

void TxAccess::join(Table& t, TxLink& tx, std::shared_ptr<journal::Journal> jnl, journal::AfterLock& after) {
  auto& im = *t.impl_;
  im.need_writable();
  im.staging->release_left();  // an earlier transaction's locks left to a close that did not come
  // What the table still buffers from before (write-behind records, index pages) belongs to
  // no transaction: it is written now, so that a rollback cannot take it along.
  im.flush();
  // Record or file locks held from before the transaction are not new inside it, so no look
  // at the folder follows them, and its start looks at most once a second: it looks now,
  // before anything is read under them (found by a second reader: a dead process's commit on
  // such a record was completed only by a later lock, after the record was read for a change).
  // Before the table counts as joined: a look that fails leaves it out of the transaction.
  if (im.locks.holds_any()) after.look(after.mark());
  // What can throw (a set copied, a function stored) comes before the table names the
  // transaction, which lists it only once this returns.
  im.locks.begin_transaction();
  im.locks.before_record_wait = [&im] { im.yield_index_locks(); };
  im.tx = &tx;
  ++im.tx_epoch;
  im.journal = std::move(jnl);
  im.yielded.clear();
  im.dead_yielded = false;
  im.tx_before.clear();
  im.tx_broken.clear();
  im.staging->begin(&after);
}

void TxAccess::flush(Table& t) {
  auto& im = *t.impl_;
  if (!im.tx_broken.empty())
    throw Error(im.tx_broken_code, {im.path.string(), {}, {}, {}},
                "the transaction cannot commit: " + im.tx_broken);
  im.flush();  // the header (its date stamp) under the header lock
  // An index lock given up meanwhile is taken again (every record lock and the header lock
  // are held by now): the staged pages are applied under it.
  if (!im.yielded.empty() || im.dead_yielded) {
    Table::Impl::IndexGuard g(im, true);
    g.done();
  }
}

void TxAccess::leave(Table& t, bool committed, bool to_close, journal::Unlocks* later) {
  auto& im = *t.impl_;
  // Locks kept for the transaction go with it; those held before it and never given up in
  // it stay.
  auto& dbf = static_cast<journal::StagedFile&>(*im.dbf);
  auto released = [&](LockRange r) { return dbf.covered(r.offset, r.length); };
  im.locks.end_transaction(released);
  im.locks.before_record_wait = nullptr;
  im.yielded.clear();
  im.dead_yielded = false;
  im.tx_before.clear();
  im.tx_broken.clear();
  im.tx = nullptr;
  ++im.tx_epoch;  // what its locks kept unchanged may change from now on
  // Staged bytes forgotten (applied when committed), locks released. A rollback's reload reads
  // (and may lock) the files again: its locks go now, not later.
  im.staging->end(to_close, committed ? later : nullptr);
  if (!committed) im.reload_after_rollback();
}

}  // namespace xbase
