#include "backup/record_check.h"

#include <fmt/format.h>

#include "domain/document.h"
#include "store/folder/folder_files.h"
#include "store/folder/folder_storage.h"

namespace fs = std::filesystem;
using invoicing::store::Tbl;
namespace fld = invoicing::store::fld;

namespace invoicing::backup {

namespace {

// A field that links to another table's ID; 0 allowed when optional.
struct Link {
  Tbl from;
  std::string_view field;
  Tbl to;
  bool optional;
};

const std::vector<Link>& links() {
  static const std::vector<Link> l = {
      {Tbl::doc, fld::source, Tbl::doc, true},          {Tbl::docline, fld::doc_id, Tbl::doc, false},
      {Tbl::docline, fld::article, Tbl::article, true}, {Tbl::stockmov, fld::article, Tbl::article, false},
      {Tbl::stockmov, fld::doc_id, Tbl::doc, true},     {Tbl::payment, fld::doc_id, Tbl::doc, false},
      {Tbl::audit, fld::doc_id, Tbl::doc, true},        {Tbl::delivery, fld::doc_id, Tbl::doc, false},
      {Tbl::purchimp, fld::doc_id, Tbl::doc, false}};
  return l;
}

// Fields a record of the table must not leave blank.
std::vector<std::string_view> required(Tbl t) {
  switch (t) {
    case Tbl::customer: case Tbl::supplier: return {fld::code, fld::name};
    case Tbl::article: return {fld::code};
    case Tbl::doc: return {fld::type, fld::status};
    case Tbl::settings: return {fld::key};
    case Tbl::numbers: return {fld::type};
    default: return {};
  }
}

struct Rec {
  uint32_t recno = 0;
  int64_t id = 0;
  std::vector<int64_t> link_values;  // per link of its table, in links() order
  Tbl party_table = Tbl::customer;   // documents: whose PARTY
  int64_t party = 0;
};

}  // namespace

RecordFindings find_faulty_records(const fs::path& folder,
                                   const std::map<Tbl, std::map<uint32_t, std::string>>& damaged) {
  RecordFindings out;
  std::map<Tbl, std::vector<Rec>> recs;
  auto fault = [&](const store::TableDef& def, uint32_t recno, std::string why) {
    if (out.recnos[def.id].insert(recno).second) out.faulty.push_back({def.name, recno, std::move(why)});
  };
  for (const auto& def : store::dictionary()) {
    const fs::path dbf = store::folder::table_path(folder, def);
    if (!fs::exists(dbf)) continue;
    const auto dmg = damaged.find(def.id);
    std::set<int64_t> ids;
    const bool has_id = store::field_def(def.id, fld::id) != nullptr;
    store::folder::scan_records(dbf, [&](const store::folder::ScannedRecord& s) {
      if (dmg != damaged.end())
        if (auto d = dmg->second.find(s.recno); d != dmg->second.end()) return fault(def, s.recno, "damaged: " + d->second);
      if (!s.problem.empty()) return fault(def, s.recno, s.problem);
      for (auto f : required(def.id))
        if (s.row.has(f) && s.row.text(f).empty()) return fault(def, s.recno, fmt::format("{} is blank", f));
      if (def.id == Tbl::doc && (!domain::doc_type_from_code(s.row.text(fld::type)) ||
                                 !domain::doc_status_from_code(s.row.text(fld::status))))
        return fault(def, s.recno, fmt::format("type \"{}\" or status \"{}\" is not one this program knows",
                                               s.row.text(fld::type), s.row.text(fld::status)));
      Rec r;
      r.recno = s.recno;
      if (has_id && s.row.has(fld::id)) {
        r.id = s.row.integer(fld::id);
        if (!ids.insert(r.id).second) return fault(def, s.recno, fmt::format("ID {} is used twice", r.id));
      }
      for (const auto& l : links())
        if (l.from == def.id) r.link_values.push_back(s.row.has(l.field) ? s.row.integer(l.field) : 0);
      if (def.id == Tbl::doc) {
        r.party = s.row.integer(fld::party);
        if (domain::doc_type_from_code(s.row.text(fld::type)) == domain::DocType::purchase_invoice)
          r.party_table = Tbl::supplier;
      }
      recs[def.id].push_back(std::move(r));
    });
  }
  // Links, until nothing more falls: a record whose target is faulty is faulty itself.
  for (bool changed = true; changed;) {
    changed = false;
    std::map<Tbl, std::set<int64_t>> live;
    for (const auto& [t, rs] : recs)
      for (const auto& r : rs)
        if (!out.recnos[t].count(r.recno)) live[t].insert(r.id);
    for (auto& [t, rs] : recs) {
      const auto& def = store::table_def(t);
      for (const auto& r : rs) {
        if (out.recnos[t].count(r.recno)) continue;
        std::string why;
        size_t k = 0;
        for (const auto& l : links()) {
          if (l.from != t) continue;
          int64_t v = r.link_values[k++];
          if (why.empty() && !(v == 0 && l.optional) && !live[l.to].count(v))
            why = fmt::format("{} {} points at no record of {}", l.field, v, store::table_def(l.to).name);
        }
        if (why.empty() && t == Tbl::doc && !live[r.party_table].count(r.party))
          why = fmt::format("PARTY {} points at no record of {}", r.party, store::table_def(r.party_table).name);
        if (!why.empty()) {
          fault(def, r.recno, why);
          changed = true;
        }
      }
    }
  }
  std::stable_sort(out.faulty.begin(), out.faulty.end(), [](const FaultyRecord& a, const FaultyRecord& b) {
    auto ta = store::table_def(a.table).id, tb = store::table_def(b.table).id;
    return ta != tb ? ta < tb : a.recno < b.recno;
  });
  return out;
}

}  // namespace invoicing::backup
