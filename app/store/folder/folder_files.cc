#include "store/folder/folder_files.h"

#include <fmt/format.h>

#include "store/folder/folder_gate.h"
#include "store/folder/folder_storage.h"
#include "xbase/check.h"
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
  fs::create_directories(to);
  for (const auto& n : names) fs::copy_file(dir / n, to / n, fs::copy_options::overwrite_existing);
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

void rewrite_table(const fs::path& dbf, const std::function<bool(uint32_t recno, Row& row)>& keep) {
  fs::path fresh = dbf;
  fresh.replace_filename(dbf.stem().string() + ".NEW.DBF");
  auto companion = [](fs::path p, const char* ext) { return p.replace_extension(ext); };
  for (const char* ext : {".DBF", ".FPT", ".CDX"}) fs::remove(companion(fresh, ext));
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
  for (const char* ext : {".DBF", ".FPT", ".CDX"}) {
    fs::remove(companion(dbf, ext));
    if (fs::exists(companion(fresh, ext))) fs::rename(companion(fresh, ext), companion(dbf, ext));
  }
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
