// How a table and the transaction it belongs to talk, declared on the table's side: the
// transaction (engine/src/transaction/) lies above the table and includes this; the table
// knows its transaction only as a TxLink.
#pragma once

#include <memory>

#include "journal/journal.h"
#include "journal/staged_file.h"
#include "xbase/table.h"

namespace xbase {

// What a table tells the transaction it belongs to.
class TxLink {
 public:
  // The table is being closed inside the transaction, which cannot commit without it: the
  // transaction rolls back.
  virtual void table_closing(Table& t) = 0;

 protected:
  ~TxLink() = default;
};

// What a transaction does with a table's insides (transaction/transaction.cc).
struct TxAccess {
  static journal::StagingFs& staging(Table& t);
  static TxLink* owner(Table& t);
  // Starts staging the table's files; `after` looks after every lock taken meanwhile.
  static void join(Table& t, TxLink& tx, std::shared_ptr<journal::Journal> jnl, journal::AfterLock& after);
  // Writes what the table still buffers (records, header, memo header, index pages) into
  // the staged files.
  static void flush(Table& t);
  // Ends the table's part; after a rollback its state is read again from the files.
  // `to_close`: the transaction's locks are left to the table's close where that drops them
  // (journal::StagedFile::end).
  // `later`: a committed transaction's unlocks go there, to be made beside other tables'.
  static void leave(Table& t, bool committed, bool to_close = false, journal::Unlocks* later = nullptr);
};

}  // namespace xbase
