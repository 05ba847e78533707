// A table's side of a transaction (table/table_tx.h): joining it, staging the files, and
// what is kept or read again when it ends.
#include "table/table_tx.h"

#include "table/table_impl.h"

namespace xbase {

journal::StagingFs& TxAccess::staging(Table& t) { return *t.impl_->staging; }
TxLink* TxAccess::owner(Table& t) { return t.impl_->tx; }

void TxAccess::join(Table& t, TxLink& tx, std::shared_ptr<journal::Journal> jnl,
                    std::function<void()> after_lock) {
  auto& im = *t.impl_;
  im.need_writable();
  // What the table still buffers from before (write-behind records, index pages) belongs to
  // no transaction: it is written now, so that a rollback cannot take it along.
  im.flush();
  im.tx = &tx;
  im.journal = std::move(jnl);
  im.locks.begin_transaction();
  im.staging->begin(std::move(after_lock));
}

void TxAccess::flush(Table& t) { t.impl_->flush(); }

void TxAccess::leave(Table& t, bool committed) {
  auto& im = *t.impl_;
  // Locks kept for the transaction go with it; those held before it and never given up in
  // it stay.
  auto& dbf = static_cast<journal::StagedFile&>(*im.dbf);
  auto released = [&](LockRange r) { return dbf.covered(r.offset, r.length); };
  im.locks.end_transaction(released);
  im.tx = nullptr;
  im.staging->end();  // staged bytes forgotten (applied when committed), locks released
  if (!committed) im.reload_after_rollback();
}

}  // namespace xbase
