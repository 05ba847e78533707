#include "delivery/targets.h"

#include <fmt/format.h>

#include <sstream>

#include "store/errors.h"
#include "store/settings.h"

namespace invoicing::delivery {

namespace {

constexpr std::string_view kTargetPrefix = "deliver:";
constexpr std::string_view kMountsKey = "deliver-mounts";

// "key=value" lines of a memo.
std::map<std::string, std::string> lines_of(const std::string& note) {
  std::map<std::string, std::string> out;
  std::istringstream in(note);
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

void check_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 20;
  for (char ch : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_');
  if (!ok)
    throw store::UserError(
        fmt::format("a target's name is 1 to 20 letters, digits, '-' or '_', not \"{}\"", name));
}

void check_template(const std::string& which, const std::string& text) {
  if (text.find('\n') != std::string::npos || text.find('\r') != std::string::npos)
    throw store::UserError(fmt::format("the {} template holds a line break", which));
  try {
    parse_template(text);
  } catch (const std::invalid_argument& e) {
    throw store::UserError(fmt::format("the {} template: {}", which, e.what()));
  }
}

}  // namespace

std::vector<Target> targets(store::Company& c) {
  std::vector<Target> out;
  for (const auto& r : store::settings_with_prefix(c, kTargetPrefix)) {
    auto l = lines_of(r.note);
    out.push_back(
        {r.key.substr(kTargetPrefix.size()), l["sales"], l["purchase"], l["pdf"] == "yes"});
  }
  return out;
}

void put_target(store::Company& c, const Target& t) {
  check_name(t.name);
  check_template("sales", t.sales);
  check_template("purchase", t.purchase);
  const std::string note = fmt::format("sales={}\npurchase={}\npdf={}\n", t.sales, t.purchase,
                                       t.with_pdf ? "yes" : "no");
  store::put_setting_record(c, std::string(kTargetPrefix) + t.name, "accounting delivery target",
                            note);
}

bool remove_target(store::Company& c, const std::string& name) {
  check_name(name);
  return store::remove_setting_record(c, std::string(kTargetPrefix) + name);
}

MountMap mounts(store::Company& c) {
  MountMap out;
  for (const auto& r : store::settings_with_prefix(c, kMountsKey))
    if (r.key == kMountsKey)
      for (const auto& [unc, dir] : lines_of(r.note)) {
        const bool local = dir.rfind("local:", 0) == 0;
        out[unc] = Mount{local ? dir.substr(6) : dir, local};
      }
  return out;
}

namespace {
void write_mounts(store::Company& c, const MountMap& m) {
  std::string note;
  for (const auto& [unc, mount] : m)
    note += unc + "=" + (mount.local ? "local:" : "") + mount.dir.string() + "\n";
  store::put_setting_record(c, std::string(kMountsKey), "UNC shares and their mount points", note);
}
}  // namespace

void put_mount(store::Company& c, const std::string& unc, const std::string& dir, bool local) {
  std::string key;
  try {
    key = unc_key(unc);
  } catch (const std::invalid_argument& e) {
    throw store::UserError(e.what());
  }
  if (dir.empty() || dir[0] != '/' || dir.find('\n') != std::string::npos)
    throw store::UserError(
        fmt::format("the mount point of {} is a full path (/mnt/...), not \"{}\"", unc, dir));
  auto m = mounts(c);
  m[key] = Mount{std::filesystem::path(dir).lexically_normal(), local};
  write_mounts(c, m);
}

bool remove_mount(store::Company& c, const std::string& unc) {
  std::string key;
  try {
    key = unc_key(unc);
  } catch (const std::invalid_argument& e) {
    throw store::UserError(e.what());
  }
  auto m = mounts(c);
  if (!m.erase(key)) return false;
  write_mounts(c, m);
  return true;
}

std::map<std::string, std::string> company_variables(store::Company& c) {
  std::string id = c.setting("vat");
  if (id.empty()) id = c.setting("enterprise_no");
  return {{"enterprise_name", c.setting("company")},
          {"enterprise_identifier", id},
          {"accounting_file_id", c.setting("accounting_file_id")}};
}

}  // namespace invoicing::delivery
