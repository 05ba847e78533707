// invoicing init / use: a new company data folder, and which folder this workstation uses.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli.h"
#include "domain/vat_number.h"
#include "store/licence_file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;

namespace invoicing::cli {

int cmd_use(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  if (a.positional.size() != 1) throw UsageError("usage: invoicing use DIR|postgresql://... [--user NAME]");
  // A database target is kept as given (made "absolute" it became a folder named postgresql:).
  const std::string& where = a.positional[0];
  std::string dir = store::is_database(where) ? where : path_utf8(xbase::absolute_path(path_from_utf8(where)));
  change_local_setting("data", dir, "");
  if (a.options.count("user")) change_local_setting("user", a.get("user"), dir);
  std::cout << "this workstation now uses " << dir << " (" << local_settings_path() << ")\n";
  return 0;
}

int cmd_init(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"company", "vat", "licence", "schema", "seed"}, {"demo"});
  if (a.positional.size() != (a.options.count("db") ? 0 : 1))
    throw UsageError("usage: invoicing init DIR|--db postgresql://... [--company NAME] [--vat BE0123456749] "
                     "[--licence FILE] [--demo]");
  store::InitOptions o;
  o.company = a.get("company", a.has("demo") ? "Demo Bvba / Démo Sprl" : "My company");
  // The demo company has the demo's VAT number (it runs as Pro without a licence); demo data in
  // a licensed company takes the licence's.
  std::string vat =
      a.get("vat", a.has("demo") && !a.options.count("licence") ? std::string(licence::kDemoCompanyVat) : "");
  if (!vat.empty()) {
    auto chk = domain::check_vat_number(vat);
    if (!chk.valid) throw store::UserError(fmt::format("VAT number {}: {}", vat, chk.reason));
    vat = chk.normalized;
    o.country = chk.country == "EL" ? "GR" : chk.country;
  }
  o.vat = vat;
  // The edition comes from a signed licence (the demo company runs as Pro without one).
  if (a.options.count("licence")) o.licence = store::read_licence_file(path_from_utf8(a.get("licence")));
  // The demo's articles are stocked: demo data in a company of one's own needs a licence
  // (refused before anything is created).
  if (a.has("demo") && o.licence.empty() && licence::vat_key(vat) != licence::kDemoCompanyVat)
    throw UsageError(fmt::format("--demo with a VAT number of your own needs --licence FILE (the demo's stock needs "
                                 "the {} edition); without --vat it makes the demo company",
                                 domain::edition_name(domain::minimum_edition(domain::Feature::stock))));
  o.schema_version = a.get_int("schema", store::kSchemaVersion);
  if (o.schema_version < 1 || o.schema_version > store::kSchemaVersion)
    throw UsageError(fmt::format("--schema must be 1..{}", store::kSchemaVersion));
  const std::string dir = a.options.count("db") ? data_dir(a) : a.positional[0];
  if (store::is_database(path_from_utf8(dir)) && o.schema_version != store::kSchemaVersion)
    throw UsageError("a company in a database starts at the current schema version (--schema is for data folders)");
  store::Company::init(path_from_utf8(dir), o);
  if (a.has("demo")) {
    store::OpenOptions oo;
    oo.who = identity(a);
    auto c = store::Company::open(path_from_utf8(dir), oo);
    fill_demo(*c, unsigned(a.get_int("seed", 2026)));
  }
  const auto info = store::Company::inspect(path_from_utf8(dir));
  std::cout << fmt::format("created the {} {} ({} edition, schema version {}){}\n",
                           store::is_database(dir) ? "company in the database" : "data folder", store::shown_target(path_from_utf8(dir)),
                           domain::edition_name(info.licence.edition), o.schema_version,
                           a.has("demo") ? " with the demo company" : "");
  if (info.licence.needs_note()) std::cout << "licence: " << info.licence.message << "\n";
  if (local_setting("data").empty()) {
    // A database target is kept without its password (local.ini is a plain file).
    set_local_setting("data", store::is_database(dir) ? store::shown_target(path_from_utf8(dir))
                                                      : path_utf8(xbase::absolute_path(path_from_utf8(dir))));
    if (store::is_database(dir) && store::shown_target(path_from_utf8(dir)) != dir)
      std::cout << "this workstation's settings keep the database without its password: give it in PGPASSWORD or "
                   "~/.pgpass\n";
  }
  return 0;
}

}  // namespace invoicing::cli
