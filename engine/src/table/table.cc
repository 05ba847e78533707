// The rest of xbase::Table: flushing and closing, fields, warnings, and the locks (through
// lock::TableLocks).
#include "xbase/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>

#include "table/table_impl.h"
#include "table/table_tx.h"
#include "util/clock.h"
#include "util/side_by_side.h"

namespace xbase {

namespace fs = std::filesystem;

void Table::Impl::warn(Warning w) {
  if (on_warning) on_warning(w);
  warnings.push_back(std::move(w));
}

void Table::Impl::need_writable() const {
  if (read_only)
    throw Error(Errc::usage, {path.string(), {}, {}, {}}, "the table is open read-only");
  need_no_batch("a change", true);
}

void Table::Impl::database_code(std::string_view what) {
  if (!info.database_triggers && !info.database_rules) return;
  const std::string kinds = info.database_triggers && info.database_rules ? "triggers and rules"
                            : info.database_triggers                      ? "triggers"
                                                                          : "rules";
  if (options.refuse_database_code)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("{} refused: database {} defines {} for table {}, which this engine "
                            "cannot run",
                            what, info.database_path, kinds, info.database_table));
  if (database_code_warned) return;
  database_code_warned = true;
  warn({WarnCode::database_code_not_run, {path.string(), {}, {}, {}},
        fmt::format("the {} database {} defines for table {} were not run (FoxPro code); "
                    "the data may not meet them",
                    kinds, info.database_path, info.database_table)});
}

void Table::Impl::need_no_tx(std::string_view what) const {
  if (tx)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("{} is not possible inside a transaction", what));
}

void Table::Impl::need_exclusive(std::string_view what) const {
  need_no_tx(what);
  if (shared)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("{} needs exclusive use of the table", what));
}

void Table::Impl::build_fields() {
  fields.clear();
  nullflags = nullptr;
  for (const auto& f : hdr.fields)
    if (f.type != FieldType::nullflags) fields.push_back(f);
  if (hdr.nullflags >= 0) nullflags = &hdr.fields[size_t(hdr.nullflags)];
}

Date Table::Impl::today() const { return util::today(*fs); }

Table::Table(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Table::~Table() {
  try {
    // A transaction cannot commit without this table: all of it is rolled back.
    if (impl_) impl_->end_batch();
    if (impl_ && impl_->tx) impl_->tx->table_closing(*this);
    if (impl_) impl_->flush();
  } catch (...) {
    // Destructors must not throw; close() reports the same failure.
  }
}

void Table::flush() { impl_->flush(); }

void Table::sync() {
  impl_->flush();
  if (impl_->read_only) return;
  if (impl_->memo) impl_->memo->file().sync();
  for (IndexSet* set : impl_->indexes()) set->file().file().sync();
  impl_->dbf->sync();
}

void Table::close() {
  if (!impl_) return;
  impl_->end_batch();
  if (impl_->tx) impl_->tx->table_closing(*this);
  impl_->flush();
  impl_.reset();
}

void Table::close_all(std::vector<std::unique_ptr<Table>>& tables) noexcept {
  bool side_by_side = true;
  for (const auto& t : tables) {
    if (!t || !t->impl_) continue;
    if (t->impl_->tx || !t->impl_->options.fs->parallel_files()) side_by_side = false;
    t->impl_->end_batch();  // here: a read batch is marked in its own thread's state
  }
  if (!side_by_side) {
    for (auto& t : tables) t.reset();
    tables.clear();
    return;
  }
  // The folder's journal and watch end beside the tables' closes, not after the last of them,
  // when these tables hold the last references to them: their files (the journal, its slot in
  // the marker, the watch's marker) each hold a lock or are one more close, about 5 round trips
  // after a command's last table on a share (issue 30). Each table lets go of them once it is
  // written out, as its close would be, then closes its files; the two jobs after the tables'
  // let go of them in turn once every table has.
  std::vector<std::shared_ptr<journal::Journal>> journals;
  std::vector<std::shared_ptr<journal::FolderWatch>> watches;
  for (const auto& t : tables) {
    if (!t || !t->impl_) continue;
    auto& im = *t->impl_;
    if (im.journal && std::find(journals.begin(), journals.end(), im.journal) == journals.end())
      journals.push_back(im.journal);
    if (im.watch && std::find(watches.begin(), watches.end(), im.watch) == watches.end()) watches.push_back(im.watch);
  }
  std::mutex mu;
  std::condition_variable all_let_go;
  size_t let_go = 0;
  const size_t n = tables.size();
  auto wait_for_tables = [&] {
    std::unique_lock<std::mutex> g(mu);
    all_let_go.wait(g, [&] { return let_go == n; });
  };
  run_side_by_side(n + 2, true, [&](size_t i) {
    if (i == n) {
      wait_for_tables();
      journals.clear();
      return;
    }
    if (i == n + 1) {
      wait_for_tables();
      watches.clear();
      return;
    }
    if (tables[i] && tables[i]->impl_) {
      auto& im = *tables[i]->impl_;
      try {
        im.flush();
        im.journal.reset();
        im.watch.reset();
      } catch (...) {
        // Its close tries again (and says nothing either, ~Table), with the watch it needs to look
        // at the folder first: the journal and watch then end with this table, after its close.
      }
    }
    {
      std::lock_guard<std::mutex> g(mu);
      ++let_go;
    }
    all_let_go.notify_all();
    tables[i].reset();
  });
  tables.clear();
}

const TableInfo& Table::info() const { return impl_->info; }

const fs::path& Table::path() const { return impl_->path; }

const std::vector<Field>& Table::fields() const { return impl_->fields; }

const std::vector<Field>& Table::descriptors() const { return impl_->hdr.fields; }

uint32_t Table::record_count() const {
  if (impl_->shared && !impl_->header_ours()) impl_->refresh_count();
  return impl_->count;
}

// In shared use the structural index is read at its first use, and its warnings (damaged,
// tags that cannot be maintained) come then: asking for the warnings reads it first, so that
// callers of warnings() right after the open (xbase check, the tools) see them all.
const std::vector<Warning>& Table::warnings() const {
  impl_->ready_indexes();
  return impl_->warnings;
}

std::optional<size_t> Table::field_index(std::string_view name) const {
  auto same = [&](const std::string& n) {
    return n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
             return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
           });
  };
  // Long names first: a DBC may give one field a long name that is another field's short name.
  for (size_t i = 0; i < impl_->fields.size(); ++i)
    if (!impl_->fields[i].long_name.empty() && same(impl_->fields[i].long_name)) return i;
  for (size_t i = 0; i < impl_->fields.size(); ++i)
    if (same(impl_->fields[i].name)) return i;
  return std::nullopt;
}

size_t Table::field_index_or_throw(std::string_view name) const {
  auto i = field_index(name);
  if (!i)
    throw Error(Errc::usage, {impl_->path.string(), {}, {}, {}},
                fmt::format("no field named {}", name));
  return *i;
}

// ------------------------------------------------------------------ multi-user

bool Table::exclusive() const { return !impl_->shared; }

LockScheme Table::lock_scheme() const { return impl_->locks.layout().scheme(); }

void Table::lock_record(uint32_t recno) { lock_records(std::span<const uint32_t>(&recno, 1)); }

void Table::lock_records(std::span<const uint32_t> recnos) {
  auto& im = *impl_;
  im.need_no_batch("a record lock", true);
  boost::container::small_vector<uint32_t, 8> fresh;
  for (uint32_t r : recnos)
    if (!im.locks.holds(r)) {
      im.check_recno(r);
      fresh.push_back(r);
    }
  // In a transaction the folder is settled once after the batch, not after each record's lock
  // (docs/transactions.md, "Why the check after every new lock"): nothing is read under the
  // batch's locks before the last one.
  journal::StagingFs::DeferredCheck check(*im.staging);
  // The records' locks are named with their reads, made beside the look.
  journal::ReadForLock read(*im.dbf);
  for (uint32_t r : fresh) read.add(im.record_offset(r), im.hdr.record_len);
  im.locks.lock_records(recnos);  // a refused lock: the taken ones are let go, check gives them back
  try {
    check.done();
  } catch (...) {
    // Not held then, as when a single lock's check fails: let go here (the staging layer
    // keeps them for the transaction), and given back by the check's end.
    for (uint32_t r : fresh) im.locks.unlock_record(r);
    throw;
  }
}

void Table::lock_file() {
  impl_->need_no_batch("a file lock", true);
  impl_->locks.lock_file();
}

void Table::unlock_record(uint32_t recno) { impl_->locks.unlock_record(recno); }

void Table::unlock_all() { impl_->locks.unlock_all(); }

bool Table::holds_lock(uint32_t recno) const { return impl_->locks.holds(recno); }

void Table::release_left_locks() noexcept { impl_->staging->release_left(); }

bool Table::holds_file_lock() const { return impl_->locks.holds_file(); }

}  // namespace xbase
