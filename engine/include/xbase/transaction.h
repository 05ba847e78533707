// xbase::Transaction: changes to several tables (records, memos, every open tag) that reach
// the files all together or not at all, even when the process dies or the connection drops
// halfway. Until commit() the changes stay in this process (its own reads see them); the
// locks the changes took (record, header, index, memo) are held until commit() or
// rollback(). commit() writes the changes into a journal in the tables' folder and syncs it,
// then writes them into the tables; whoever opens a table after a crash finishes the commit
// from the journal first. docs/transactions.md has the protocol and the recovery rule.
//
//   xbase::Transaction tx{&invoices, &lines, &stock};
//   invoices.append(...); lines.append(...); stock.update(...);
//   tx.commit();   // or rollback(); destroying an uncommitted transaction rolls it back
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>

namespace xbase {

class Table;

class Transaction {
 public:
  Transaction();
  // Begins with these tables joined.
  Transaction(std::initializer_list<Table*> tables);
  ~Transaction();  // rolls back when still active
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Joins a table (before changing it). All tables of a transaction lie in one folder (the
  // journal's), are open read-write, and belong to no other active transaction. Pack, zap,
  // reindex and tag creation/removal are refused while a table is in a transaction.
  void add(Table& table);
  // Makes every change durable in the tables, or throws and changes nothing (rolled back).
  // When the files fail after the journal was synced, the commit is completed from the
  // journal (by this process if it can, else by the next one that opens a table) and the
  // Error says so.
  void commit();
  // Forgets every change; the tables read as before begin.
  void rollback();
  bool active() const;
  // For a process that closes the tables right after the commit (a one-shot command): a
  // successful commit then leaves its locks to the tables' closes instead of unlocking each,
  // where a close drops them in the same call (POSIX descriptors; on a share one round trip
  // fewer per lock). Until the close they stay held and other processes wait for them, so
  // close soon, or call Table::release_left_locks() before using the table again for long (the
  // table's next transaction does it first, and so does the next lock or unlock of a file that
  // holds some, so that a lock taken again is the table's own). Windows handles (whose locks go
  // only "eventually" after a close) and test file systems unlock as always.
  void leave_locks_to_close();
  // A release of the caller's own (a lock held around the commit: the invoicing program's commit
  // gate) that commit() makes once the commit went through whole, beside the unlocks of its
  // tables (on a share each is a round trip). Not made when commit() throws or the transaction
  // rolls back: the caller releases it then (it must not throw).
  void release_beside(std::function<void()> release);

  // Where the tables stand once the transaction is over, above all after commit() threw: the
  // caller can then tell the user "nothing was changed" only when that is true.
  enum class Outcome {
    active,       // not over yet
    committed,    // the changes are in the tables (also: completed from the journal after a failure)
    rolled_back,  // the tables read as before begin; the journal says nothing
    in_journal,   // the changes are in the journal only; the next program to open a table completes them
    uncertain,    // the journal could not be reset after a failed write: it may or may not hold them
  };
  Outcome outcome() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace xbase
