// invoicing init / use: a new company data folder, and which folder this workstation uses.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli.h"
#include "domain/vat_number.h"

namespace fs = std::filesystem;

namespace invoicing::cli {

int cmd_use(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  if (a.positional.size() != 1) throw UsageError("usage: invoicing use DIR [--user NAME]");
  std::string dir = fs::absolute(a.positional[0]).lexically_normal().string();
  if (!store::Company::schema_version_of(dir)) throw store::UserError(dir + " is not a company data folder");
  set_local_setting("data", dir);
  if (a.options.count("user")) set_local_setting("user", a.get("user"), dir);
  std::cout << "this workstation now uses " << dir << " (" << local_settings_path() << ")\n";
  return 0;
}

int cmd_init(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"company", "vat", "edition", "schema", "seed"}, {"demo"});
  if (a.positional.size() != 1)
    throw UsageError("usage: invoicing init DIR [--company NAME] [--vat BE0123456749] [--edition free|basic|pro|full] [--demo]");
  store::InitOptions o;
  o.company = a.get("company", a.has("demo") ? "Demo Bvba / Démo Sprl" : "My company");
  std::string vat = a.get("vat", a.has("demo") ? "BE0477472701" : "");
  if (!vat.empty()) {
    auto chk = domain::check_vat_number(vat);
    if (!chk.valid) throw store::UserError(fmt::format("VAT number {}: {}", vat, chk.reason));
    vat = chk.normalized;
    o.country = chk.country == "EL" ? "GR" : chk.country;
  }
  o.vat = vat;
  if (a.options.count("edition")) {
    auto e = domain::edition_from_name(a.get("edition"));
    if (!e) throw UsageError("--edition must be free, basic, pro or full");
    o.edition = *e;
  } else if (a.has("demo")) {
    o.edition = domain::Edition::pro;
  }
  o.schema_version = a.get_int("schema", store::kSchemaVersion);
  if (o.schema_version < 1 || o.schema_version > store::kSchemaVersion)
    throw UsageError(fmt::format("--schema must be 1..{}", store::kSchemaVersion));
  const std::string dir = a.positional[0];
  store::Company::init(dir, o);
  if (a.has("demo")) {
    store::OpenOptions oo;
    oo.who = identity(a);
    auto c = store::Company::open(dir, oo);
    fill_demo(*c, unsigned(a.get_int("seed", 2026)));
  }
  std::cout << fmt::format("created the data folder {} ({} edition, schema version {}){}\n", dir,
                           domain::edition_name(o.edition), o.schema_version,
                           a.has("demo") ? " with the demo company" : "");
  if (local_setting("data").empty()) set_local_setting("data", fs::absolute(dir).lexically_normal().string());
  return 0;
}

}  // namespace invoicing::cli
