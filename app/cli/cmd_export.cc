// invoicing export customers|suppliers|articles: every field of every record (archived ones
// too), in code order, as CSV for Belgian and Dutch Excel or as XLSX. The headers are ones the
// import recognises by themselves, so that an export imports back unchanged.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "import/fields.h"
#include "outputs/atomic_file.h"
#include "outputs/table_writer.h"
#include "store/articles.h"
#include "store/parties.h"

namespace invoicing::cli {

namespace {

using outputs::Cell;
using outputs::CellType;

const char* kUsage =
    "usage: invoicing export customers|suppliers|articles [--format csv|xlsx] [--out FILE]";

std::string yes_no(bool b) { return b ? "yes" : "no"; }

outputs::Table parties_table(store::Company& c, store::PartyKind kind) {
  outputs::Table t;
  t.name = kind == store::PartyKind::customer ? "Customers" : "Suppliers";
  for (const char* title : {"Code", "Name", "Street", "Postcode", "City", "Country", "VAT number",
                            "Enterprise number", "Email", "Phone", "IBAN", "BIC"})
    t.columns.push_back({title, CellType::text});
  t.columns.push_back({"Payment terms", CellType::integer});
  for (const char* title :
       {"Language", "Business", "Renovation attestation", "Contractor", "Archived"})
    t.columns.push_back({title, CellType::text});
  t.columns.push_back({"Note", CellType::text, false, 40});
  store::PartyFilter f;
  f.archived = true;
  for (const auto& p : store::Parties(c, kind).list(f)) {
    t.rows.push_back({p.code, p.name, p.street, p.zip, p.city, p.country, p.vat, p.enterprise_no,
                      p.email, p.phone, p.iban, p.bic, int64_t(p.terms), p.lang, yes_no(p.business),
                      yes_no(p.renovation), yes_no(p.contractor), yes_no(p.archived), p.note});
  }
  return t;
}

outputs::Table articles_table(store::Company& c) {
  outputs::Table t;
  t.name = "Articles";
  t.columns = {{"Code", CellType::text},           {"Description", CellType::text},
               {"Unit", CellType::text},           {"Price", CellType::number},
               {"VAT rate", CellType::number},     {"VAT category", CellType::text},
               {"Kind", CellType::text},           {"Stocked", CellType::text},
               {"Stock", CellType::number},        {"Minimum stock", CellType::number},
               {"Construction", CellType::text},   {"Archived", CellType::text},
               {"Note", CellType::text, false, 40}};
  store::ArticleFilter f;
  f.archived = true;
  for (const auto& a : store::Articles(c).list(f)) {
    t.rows.push_back({a.code, a.description, a.unit, a.price, a.vat_rate, a.vat_category, a.kind,
                      yes_no(a.stocked), a.stock, a.min_stock, yes_no(a.construction),
                      yes_no(a.archived), a.note});
  }
  return t;
}

}  // namespace

int cmd_export_records(int argc, char** argv) {
  if (argc < 3) throw UsageError(kUsage);
  auto target = import::target_from_name(argv[2]);
  if (!target)
    throw UsageError(fmt::format("export what? customers, suppliers or articles, not \"{}\" ({})",
                                 argv[2], kUsage));
  Args a = parse(argc, argv, 3, {"format", "out"}, {});
  if (!a.positional.empty())
    throw UsageError(fmt::format("unexpected \"{}\" ({})", a.positional[0], kUsage));
  const std::string out = a.get("out");
  std::string format = a.get("format");
  if (format.empty()) format = out.ends_with(".xlsx") ? "xlsx" : "csv";
  if (format != "csv" && format != "xlsx")
    throw UsageError(fmt::format("--format is csv or xlsx, not \"{}\"", format));
  if (format == "xlsx" && out.empty()) throw UsageError("an XLSX export needs --out FILE.xlsx");

  auto c = open_company(a, false);
  outputs::Table table =
      *target == import::Target::articles
          ? articles_table(*c)
          : parties_table(*c, *target == import::Target::customers ? store::PartyKind::customer
                                                                   : store::PartyKind::supplier);
  if (format == "xlsx") {
    outputs::write_xlsx({table}, out);
  } else if (out.empty()) {
    std::cout << outputs::write_csv(table);
  } else {
    outputs::write_file_atomically(out, outputs::write_csv(table));
  }
  if (!out.empty() && !a.has("json"))
    std::cout << fmt::format("{} {} written to {}\n", table.rows.size(),
                             import::target_name(*target), out);
  return 0;
}

}  // namespace invoicing::cli
