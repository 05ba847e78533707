#include "store/folder/folder_files.h"

#include <fmt/format.h>

#include "store/errors.h"
#include "store/folder/folder_gate.h"
#include "store/folder/folder_storage.h"
#include "xbase/check.h"
#include "xbase/file.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using xbase::Table;
using xbase::Value;

namespace invoicing::store::folder {

namespace {

xbase::OpenOptions read_only() {
  xbase::OpenOptions o;
  o.read_only = true;
  return o;
}

}  // namespace

std::vector<std::string> table_file_names(const TableDef& t) {
  return {t.name + ".DBF", t.name + ".FPT", t.name + ".CDX"};
}

std::vector<std::string> table_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& def : dictionary())
    for (const auto& f : table_file_names(def))
      if (fs::exists(dir / f)) out.push_back(f);
  return out;
}

std::vector<std::string> copy_tables_at_one_moment(const fs::path& dir, const fs::path& to) {
  CommitGate gate(dir);
  CommitGate::Pass closed(gate, true, kGateWait);
  // Opening a table completes what a dead program's journal committed (docs/transactions.md):
  // with the gate closed no live program is inside a commit, so every journal left is a dead
  // one's, and nothing is half written in what is copied next.
  Table::open(table_path(dir, table_def(Tbl::schema)), read_only())->close();
  auto names = table_files(dir);
  auto& fsys = xbase::FileSystem::os();
  fsys.create_directories(to);
  for (const auto& n : names) xbase::copy_file(fsys, dir / n, to / n);
  return names;
}

uint64_t stored_records(const fs::path& dbf) { return Table::open(dbf, read_only())->record_count(); }

void scan_records(const fs::path& dbf, const std::function<void(const ScannedRecord&)>& fn) {
  auto t = Table::open(dbf, read_only());
  const auto& fields = t->fields();
  t->scan([&](const xbase::Record& r) {
    if (r.deleted()) return true;
    ScannedRecord s;
    s.recno = r.recno();
    for (size_t i = 0; i < fields.size(); ++i) {
      try {
        s.row.set(fields[i].name, r.get(i));
      } catch (const xbase::Error& e) {
        if (s.problem.empty()) s.problem = fmt::format("field {} does not decode: {}", fields[i].name, e.detail());
      }
    }
    s.row.id = r.recno();
    fn(s);
    return true;
  });
}

namespace {

fs::path with_ext(fs::path p, const char* ext) { return p.replace_extension(ext); }
fs::path folder_of(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

// The companions a table's DBF says it has: the folder's tables are Visual FoxPro tables,
// whose header byte 28 flags a structural index (0x01) and a memo file (0x02). The DBF is
// renamed in last, so during any swap the new one is there to ask.
struct Companion {
  const char* ext;
  uint8_t flag;
};
constexpr Companion kCompanions[] = {{".FPT", 0x02}, {".CDX", 0x01}};

uint8_t table_flags(xbase::FileSystem& fsys, const fs::path& dbf) {
  uint8_t flags = 0;
  if (fsys.open(dbf, xbase::OpenMode::read_only)->read_at(28, &flags, 1) != 1)
    throw UserError(fmt::format("{} is too short to be a table", dbf.string()));
  return flags;
}

}  // namespace

void remove_table_files(const fs::path& dbf) {
  xbase::FileSystem& fsys = xbase::FileSystem::os();
  for (const char* ext : {".DBF", ".FPT", ".CDX"})
    if (fsys.exists(with_ext(dbf, ext))) fsys.remove(with_ext(dbf, ext));
}

void swap_in_table(const fs::path& fresh, const fs::path& dbf) {
  xbase::FileSystem& fsys = xbase::FileSystem::os();
  const uint8_t flags = table_flags(fsys, fresh);
  if (fsys.exists(dbf)) fsys.remove(dbf);  // from here on, no DBF says "finish the swap"
  for (const Companion& c : kCompanions) {
    const fs::path from = with_ext(fresh, c.ext), to = with_ext(dbf, c.ext);
    if (fsys.exists(from))
      fsys.rename(from, to);  // over the old one
    else if (!(flags & c.flag) && fsys.exists(to))
      fsys.remove(to);  // the old table's, which the new one does not have
    // else: the new table's, renamed in by the swap this one finishes
  }
  fsys.rename(fresh, dbf);
  fsys.sync_dir(folder_of(dbf));
}

void finish_table_swap(const fs::path& fresh, const fs::path& dbf) {
  xbase::FileSystem& fsys = xbase::FileSystem::os();
  const bool have_old = fsys.exists(dbf), have_new = fsys.exists(fresh);
  if (have_new && !have_old) return swap_in_table(fresh, dbf);
  if (have_new && have_old) return remove_table_files(fresh);
  if (!have_old) return;  // no table at all: nothing of a swap to finish
  bool renamed = false;  // an earlier program's swap: the DBF is in, its companions are not
  for (const Companion& c : kCompanions)
    if (fsys.exists(with_ext(fresh, c.ext))) {
      fsys.rename(with_ext(fresh, c.ext), with_ext(dbf, c.ext));
      renamed = true;
    }
  if (renamed) fsys.sync_dir(folder_of(dbf));
}

void rewrite_table(const fs::path& dbf, const std::function<bool(uint32_t recno, Row& row)>& keep) {
  fs::path fresh = dbf;
  fresh.replace_filename(dbf.stem().string() + ".NEW.DBF");
  remove_table_files(fresh);
  {
    xbase::OpenOptions ex;
    ex.exclusive = true;
    auto old = Table::open(dbf, ex);
    xbase::CreateOptions c;
    c.format = xbase::Format::vfp;
    c.codepage = 1252;
    auto neu = Table::create(fresh, old->fields(), c);  // fields() carry the autoincrement counters
    neu->close();
    ex.write_behind = true;
    neu = Table::open(fresh, ex);
    const auto& of = old->fields();
    const auto& nf = neu->fields();
    old->scan([&](const xbase::Record& r) {
      if (r.deleted()) return true;
      Row row;
      try {
        for (size_t i = 0; i < of.size(); ++i) row.set(of[i].name, r.get(i));
      } catch (const xbase::Error&) {
        return true;  // does not decode: keep() could not have wanted it
      }
      row.id = r.recno();
      if (!keep(r.recno(), row)) return true;
      std::vector<Value> vals(nf.size(), Value::empty());
      for (size_t i = 0; i < nf.size(); ++i)
        if (row.has(nf[i].name)) vals[i] = row.get(nf[i].name);
      neu->append(vals);
      return true;
    });
    neu->close();
  }
  swap_in_table(fresh, dbf);
}

std::vector<TableProblem> check_table_file(const fs::path& dbf) {
  std::vector<TableProblem> out;
  auto res = xbase::check_table(dbf);
  for (const auto& f : res.findings)
    if (f.severity == xbase::Finding::Severity::problem)
      out.push_back({f.where.record ? uint32_t(*f.where.record) : 0u, f.area,
                     (f.tag.empty() ? "" : "tag " + f.tag + ": ") + f.message});
  return out;
}

}  // namespace invoicing::store::folder
