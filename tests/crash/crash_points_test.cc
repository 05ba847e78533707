// Crash safety of a 14-file commit (6 tables: DBF + CDX each, two with FPT memos), as an
// invoice made from a quote changes them: the process "dies" (every write from then on is
// lost) at each mutating operation in turn, or tears that write (only its first k bytes
// arrive); then recovery runs as the next program opens the tables. Every table, memo and
// tag must then be exactly as before the change or exactly as after it, byte for byte.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "testing/fault_fs.h"
#include "journal/journal.h"
#include "test_util.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::TempDir;

namespace {

const std::vector<std::string> kTables = {"DOCS", "LINES", "STOCK", "NUMBERS", "CUST", "MOVES"};

Value I(int64_t v) { return Value::integer(v); }
Value T(std::string s) { return Value::text(std::move(s)); }

void make_company(const fs::path& dir) {
  auto mk = [&](const std::string& name, const char* fields, std::vector<TagSpec> tags,
                std::vector<std::vector<Value>> rows) {
    auto t = Table::create(dir / (name + ".DBF"), parse_field_list(fields));
    for (auto& r : rows) t->append(r);
    for (auto& s : tags) t->create_tag(s);
    t->close();
  };
  std::vector<std::vector<Value>> stock, docs, lines, cust;
  for (int i = 1; i <= 10; ++i) stock.push_back({T(fmt::format("ART{:03}", i)), I(100 + i)});
  for (int i = 1; i <= 5; ++i) cust.push_back({I(i), I(0)});
  for (int i = 1; i <= 4; ++i) {
    docs.push_back({I(i), I(1 + i % 5), I(100 * i), T(fmt::format("quote {} with a longer text to be rewritten", i))});
    lines.push_back({I(i), T("ART001"), I(1), T("line note")});
  }
  mk("DOCS", "NO N(8), CUST N(6), TOTAL N(12), TEXT M",
     {{"NO", "NO", "", false, true, false}, {"CUST", "CUST", "", false, false, false}}, docs);
  mk("LINES", "DOC N(8), ART C(10), QTY N(6), NOTE M",
     {{"DOC", "DOC", "", false, false, false}, {"ART", "ART", "", false, false, false}}, lines);
  mk("STOCK", "ART C(10), QTY N(8)",
     {{"ART", "ART", "", false, true, false}, {"QTY", "QTY", "", false, false, false}}, stock);
  mk("NUMBERS", "YEAR N(4), NEXT N(8)",
     {{"YEAR", "YEAR", "", false, false, false}, {"NEXT", "NEXT", "", false, false, false}},
     {{I(2026), I(101)}});
  mk("CUST", "ID N(6), BAL N(12)",
     {{"ID", "ID", "", false, false, false}, {"BAL", "BAL", "", false, false, false}}, cust);
  mk("MOVES", "ART C(10), QTY N(6), DOC N(8)", {{"ART", "ART", "", false, false, false}}, {});
}

std::map<std::string, std::unique_ptr<Table>> open_all(const fs::path& dir, FileSystem* fsys) {
  std::map<std::string, std::unique_ptr<Table>> m;
  OpenOptions o;
  o.fs = fsys;
  o.internal_lock_timeout = std::chrono::milliseconds(2000);
  for (const auto& n : kTables) m[n] = Table::open(dir / (n + ".DBF"), o);
  return m;
}

int64_t num(Table& t, uint32_t r, size_t f) { return int64_t(t.read(r).get(f).as_real()); }

// The quote becomes invoice number NEXT: numbering, document with a memo, three lines with
// memos, stock of three articles, three stock moves, the customer's balance, and the old
// quote's memo rewritten in place.
void invoice_from_quote(std::map<std::string, std::unique_ptr<Table>>& t) {
  Transaction tx;
  for (const auto& n : kTables) tx.add(*t[n]);
  auto& numbers = *t["NUMBERS"];
  int64_t no = num(numbers, 1, 1);
  numbers.update(1, 1, I(no + 1));
  int64_t total = 0;
  for (int i = 1; i <= 3; ++i) {
    std::string art = fmt::format("ART{:03}", 2 * i);
    auto r = t["STOCK"]->seek("ART", T(art));
    REQUIRE(r);
    t["STOCK"]->update(*r, 1, I(num(*t["STOCK"], *r, 1) - i));
    t["LINES"]->append(std::vector<Value>{I(no), T(art), I(i), T(std::string(90 * i, char('a' + i)))});
    t["MOVES"]->append(std::vector<Value>{T(art), I(-i), I(no)});
    total += 10 * i;
  }
  t["DOCS"]->append(std::vector<Value>{I(no), I(3), I(total), T(std::string(700, 'i'))});
  t["DOCS"]->update(2, 3, T("converted"));
  t["CUST"]->update(3, 1, I(num(*t["CUST"], 3, 1) + total));
  tx.commit();
}

std::map<std::string, std::string> raw_files(const fs::path& dir) {
  std::map<std::string, std::string> m;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().string().find(".xbj") == std::string::npos)
      m[e.path().filename().string()] = test::read_file(e.path());
  return m;
}

// Opens every table (recovery runs first), checks every tag against its records, and returns
// the files' bytes.
std::map<std::string, std::string> recovered(const fs::path& dir) {
  {
    auto t = open_all(dir, nullptr);
    for (auto& [name, table] : t)
      for (const auto& tag : table->tags()) {
        auto problems = table->verify_tag(tag.name);
        INFO(name << " tag " << tag.name);
        CHECK(problems.empty());
      }
  }
  CHECK(test::journals_holding_commits(dir) == 0);  // every journal finished (removed, or a spare)
  return raw_files(dir);
}

void copy_folder(const fs::path& from, const fs::path& to) {
  for (const auto& e : fs::directory_iterator(from)) fs::copy_file(e.path(), to / e.path().filename());
}

enum class Outcome { before, after, neither };

struct Run {
  FaultPlan plan;
  Outcome outcome;
};

}  // namespace

TEST_CASE("a 14-file commit is all or nothing at every crash point and torn write", "[crash]") {
  TempDir tmpl, ref;
  make_company(tmpl.path());
  copy_folder(tmpl.path(), ref.path());
  const auto before = raw_files(tmpl.path());
  REQUIRE(before.size() == 14);
  {
    auto t = open_all(ref.path(), nullptr);
    invoice_from_quote(t);
  }
  const auto after = recovered(ref.path());
  REQUIRE(after != before);
  size_t changed = 0;
  for (const auto& [name, bytes] : after) changed += before.at(name) != bytes;
  CHECK(changed == 14);

  // Mutating operations of the whole change, tables closed included.
  uint64_t total = 0;
  {
    TempDir d;
    copy_folder(tmpl.path(), d.path());
    FaultFileSystem faults(FileSystem::os());
    auto t = open_all(d.path(), &faults);
    faults.reset_count();
    invoice_from_quote(t);
    t.clear();
    total = faults.ops();
  }
  INFO("operations in the change: " << total);
  REQUIRE(total > 30);

  std::vector<Run> runs;
  for (uint64_t at = 1; at <= total + 1; ++at)
    for (size_t torn : {size_t(0), size_t(1), size_t(29), size_t(700)}) {
      FaultPlan plan;
      plan.at = at;
      plan.kind = torn ? FaultPlan::Kind::tear : FaultPlan::Kind::fail;
      plan.torn_bytes = torn;
      TempDir d;
      copy_folder(tmpl.path(), d.path());
      {
        FaultFileSystem faults(FileSystem::os());
        auto t = open_all(d.path(), &faults);
        faults.reset_count();
        faults.plan(plan);
        try {
          invoice_from_quote(t);
        } catch (const Error&) {
        }
        t.clear();  // the process is gone: its descriptors (and locks) with it
      }
      auto got = recovered(d.path());
      Outcome o = got == before ? Outcome::before : got == after ? Outcome::after : Outcome::neither;
      INFO("crash at operation " << at << ", torn after " << torn << " bytes");
      CHECK(o != Outcome::neither);
      runs.push_back({plan, o});
    }
  // Before the commit point every crash leaves the tables as they were; from it on, as after.
  size_t first_after = runs.size();
  for (size_t i = 0; i < runs.size(); ++i)
    if (runs[i].outcome == Outcome::after) {
      first_after = i;
      break;
    }
  REQUIRE(first_after < runs.size());
  for (size_t i = first_after; i < runs.size(); ++i) {
    INFO("crash at operation " << runs[i].plan.at << ", torn " << runs[i].plan.torn_bytes);
    // A torn write at the commit point itself (the journal) may still count as before.
    if (runs[i].plan.at == runs[first_after].plan.at) continue;
    CHECK(runs[i].outcome == Outcome::after);
  }
  size_t n_before = size_t(std::count_if(runs.begin(), runs.end(), [](const Run& r) { return r.outcome == Outcome::before; }));
  WARN(fmt::format("{} crash points ({} operations x 4), {} left the tables as before, {} as after",
                   runs.size(), total + 1, n_before, runs.size() - n_before));
  CHECK(n_before > 8);
  CHECK(runs.size() - n_before > 30);

  SECTION("recovery itself survives a crash at each of its operations") {
    // Crash points inside the apply phase: the journal is committed, the tables part written.
    const uint64_t commit_point = runs[first_after].plan.at;
    for (uint64_t at : {commit_point + 1, commit_point + 6, commit_point + 15}) {
      TempDir d;
      copy_folder(tmpl.path(), d.path());
      {
        FaultFileSystem faults(FileSystem::os());
        auto t = open_all(d.path(), &faults);
        faults.reset_count();
        faults.plan({at, FaultPlan::Kind::fail, 0, true});
        try {
          invoice_from_quote(t);
        } catch (const Error&) {
        }
      }
      // Recovery dies at its first, second, ... operation, each time from where the last left.
      for (uint64_t rat = 1;; ++rat) {
        FaultFileSystem faults(FileSystem::os());
        faults.plan({rat, FaultPlan::Kind::tear, 3, true});
        bool crashed = false;
        try {
          OpenOptions o;
          o.fs = &faults;
          Table::open(d / "DOCS.DBF", o);
        } catch (const Error&) {
          crashed = true;
        }
        if (!crashed) {
          CHECK(rat > 5);  // it had several operations to crash in
          break;
        }
        REQUIRE(rat < 200);
      }
      INFO("crash at operation " << at << ", recovery crashed at each of its operations");
      CHECK(recovered(d.path()) == after);
    }
  }
}

TEST_CASE("a live owner's committed journal is waited for, a dead owner's is completed", "[crash]") {
  TempDir d;
  make_company(d.path());
  const auto before = raw_files(d.path());
  // Another "process": its own file system object, so its own descriptors and locks.
  auto other_fs = std::make_unique<FaultFileSystem>(FileSystem::os());
  {
    auto t = open_all(d.path(), other_fs.get());
    other_fs->reset_count();
    // Operations: the journal's creation (3), the journal marker's (4: a new file written,
    // synced and renamed into place), the journal's header naming its commit flag (1), the
    // marker's bytes for the new journal (2: written and synced), the commit flag's write and
    // sync, the journal's write and sync, then the first write into a table, where the process
    // dies: the journal is committed, the tables half written.
    other_fs->plan({15, FaultPlan::Kind::fail, 0, true});
    try {
      invoice_from_quote(t);
    } catch (const Error&) {
    }
  }
  // The failed commit gave its journal up (unlocked): the next open completes it.
  {
    auto t = open_all(d.path(), nullptr);
    CHECK(raw_files(d.path()) != before);
    CHECK(num(*t["NUMBERS"], 1, 1) == 102);
    CHECK(t["DOCS"]->record_count() == 5);
  }

  // A journal a live process holds is never touched; opening (the first in the folder: a
  // process with tables open there settles at most once a second, as their reads do) waits
  // for it, then gives up.
  auto live = journal::Journal::for_folder(test::no_sync_fs(), d.path());
  std::map<uint64_t, std::vector<uint8_t>> ext{{0, {0x30}}};
  live->write({{"NUMBERS.DBF", std::nullopt, &ext, {}}});
  const auto with_live = raw_files(d.path());
  OpenOptions o;
  o.internal_lock_timeout = std::chrono::milliseconds(100);
  try {
    Table::open(d / "CUST.DBF", o);
    FAIL("opened while a live commit was being written");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::lock_timeout);
  }
  CHECK(raw_files(d.path()) == with_live);
  live->clear();
  CHECK_NOTHROW(Table::open(d / "CUST.DBF", o));
}

TEST_CASE("a commit is not replayed over bytes another program changed after the crash", "[crash]") {
  TempDir d;
  make_company(d.path());
  {
    FaultFileSystem faults(FileSystem::os());
    auto t = open_all(d.path(), &faults);
    faults.reset_count();
    // The journal is created (3 operations), the new journal marker made (4), the journal's
    // header written (1), the journal announced (2), its commit flag set (2) and the journal
    // written (2), then the process dies at its first table write.
    faults.plan({15, FaultPlan::Kind::fail, 0, true});
    try {
      invoice_from_quote(t);
    } catch (const Error&) {
    }
  }
  // A program that knows nothing of journals (another xBase program) rewrites the counter
  // record the dead commit had changed.
  const auto numbers = d / "NUMBERS.DBF";
  {
    auto f = FileSystem::os().open(numbers, OpenMode::read_write);
    uint8_t hl[2];
    f->read_at(8, hl, 2);
    const uint64_t rec = uint64_t(hl[0]) | uint64_t(hl[1]) << 8;
    std::string other = " 2026     777";
    f->write_at(rec, other.data(), other.size());
  }
  const auto before_open = raw_files(d.path());
  OpenOptions o;
  auto t = Table::open(numbers, o);
  // Not replayed: the other program's change stands, the journal is kept for the admin.
  CHECK(raw_files(d.path()) == before_open);
  CHECK(num(*t, 1, 1) == 777);
  bool warned = std::any_of(t->warnings().begin(), t->warnings().end(), [](const Warning& w) {
    return w.code == WarnCode::journal_stale;
  });
  CHECK(warned);
  size_t stale = 0;
  for (const auto& e : fs::directory_iterator(d.path()))
    stale += e.path().string().ends_with(".xbj.stale");
  CHECK(stale == 1);
}
