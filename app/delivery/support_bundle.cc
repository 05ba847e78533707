#include "delivery/support_bundle.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "delivery/deliver.h"
#include "delivery/path_template.h"
#include "delivery/targets.h"
#include "outputs/zip_writer.h"
#include "store/deliveries.h"

namespace fs = std::filesystem;

namespace invoicing::delivery {

namespace {

std::string configuration(store::Company& c) {
  std::string out =
      fmt::format("{}\ndata folder: {}\nschema version: {}\n\n", store::program_name(),
                  c.dir().string(), store::Company::schema_version_of(c.dir()));
  const auto vars = company_variables(c);
  for (const auto& [k, v] : vars) out += fmt::format("[{}] = \"{}\"\n", k, v);
  out += fmt::format("delivery_log_kb = {}\n\nshares:\n", c.setting("delivery_log_kb", "1024"));
  const auto m = mounts(c);
  for (const auto& [unc, mount] : m)
    out += fmt::format("  {} -> {}{}\n", unc, mount.dir.string(),
                       mount.local                 ? " (local folder)"
                       : is_mount_point(mount.dir) ? " (mounted)"
                                                   : " (NOT mounted)");
  out += "\ntargets:\n";
  for (const auto& t : targets(c)) {
    out += fmt::format("  {}{}\n", t.name, t.with_pdf ? " (PDF beside)" : "");
    for (const auto& [which, text] :
         {std::pair{"sales", t.sales}, std::pair{"purchase", t.purchase}}) {
      out += fmt::format("    {:<8} {}\n", which, text);
      try {
        const auto r = resolve(parse_template(text), vars, m);
        std::error_code ec;
        out += fmt::format("             -> {} (root {} {})\n", r.dir.string(), r.root.string(),
                           fs::is_directory(r.root, ec) ? "present" : "MISSING");
      } catch (const std::exception& e) {
        out += fmt::format("             -> refused: {}\n", e.what());
      }
    }
  }
  return out;
}

std::string deliveries_csv(store::Company& c) {
  std::string out = "document_id;target;kind;file;sha256;when;user\n";
  for (const auto& d : store::all_deliveries(c))
    out += fmt::format("{};{};{};\"{}\";{};{};{}\n", d.doc_id, d.target, d.kind, d.file, d.sha256,
                       d.when, d.user);
  return out;
}

}  // namespace

size_t export_support_bundle(store::Company& c, const fs::path& zip) {
  outputs::ZipWriter w(zip);
  w.add("configuration.txt", configuration(c));
  w.add("deliveries.csv", deliveries_csv(c));
  const fs::path log = log_file(c);
  for (int n = 0; n <= 5; ++n) {
    const fs::path p = n ? fs::path(log.string() + "." + std::to_string(n)) : log;
    std::ifstream in(p, std::ios::binary);
    if (!in) continue;
    std::ostringstream s;
    s << in.rdbuf();
    w.add("logs/" + p.filename().string(), s.str());
  }
  w.finish();
  return w.entries();
}

}  // namespace invoicing::delivery
