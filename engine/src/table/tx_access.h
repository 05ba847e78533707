// What a Transaction needs from a Table's insides (journal/transaction.cc).
#pragma once

#include <functional>
#include <memory>

#include "journal/journal.h"
#include "journal/staged_file.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

namespace xbase {

struct TxAccess {
  static journal::StagingFs& staging(Table& t);
  static Transaction::Impl* owner(Table& t);
  // Starts staging the table's files; `after_lock` runs after every lock taken meanwhile.
  static void join(Table& t, Transaction::Impl* tx, std::shared_ptr<journal::Journal> jnl,
                   std::function<void()> after_lock);
  // Writes what the table still buffers (records, header, memo header, index pages) into
  // the staged files.
  static void flush(Table& t);
  // Ends the table's part; after a rollback its state is read again from the files.
  static void leave(Table& t, bool committed);
  // The table is being closed inside the transaction: the transaction is rolled back.
  static void closing(Table& t);
};

}  // namespace xbase
