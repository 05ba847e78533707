// invoicing licence install|show, invoicing version: the edition a data folder runs as, the
// signed licence behind it, and the versions of the program and of the data.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli.h"
#include "store/licence_file.h"

namespace fs = std::filesystem;

namespace invoicing::cli {

namespace {

std::string json_licence(const licence::Verdict& v) {
  std::string o =
      fmt::format("{{\"state\":{},\"edition\":{},\"seats\":{},\"message\":{}",
                  json_string(licence::state_name(v.state)),
                  json_string(domain::edition_name(v.edition)), v.seats, json_string(v.message));
  if (v.licence) {
    const auto& l = *v.licence;
    o += fmt::format(
        ",\"licence\":{{\"licensee\":{},\"vat\":{},\"edition\":{},\"seats\":{},\"updates_until\":{}"
        ",\"issued\":{},"
        "\"key\":{}}}",
        json_string(l.licensee), json_string(l.vat), json_string(domain::edition_name(l.edition)),
        l.seats, json_string(domain::to_iso(l.updates_until)),
        json_string(domain::to_iso(l.issued)), json_string(l.key_id));
  }
  return o + "}";
}

void print_licence(const licence::Verdict& v, const std::string& indent) {
  std::cout << fmt::format("{}edition: {}, {} seat{}\n", indent, domain::edition_name(v.edition),
                           v.seats, v.seats == 1 ? "" : "s");
  if (v.licence && v.in_force())
    std::cout << fmt::format("{}licensee: {} ({}), updates until {}, issued {}\n", indent,
                             v.licence->licensee, v.licence->vat,
                             domain::to_iso(v.licence->updates_until),
                             domain::to_iso(v.licence->issued));
  std::cout << fmt::format("{}licence: {}\n", indent, v.message);
}

// The data folder this command looks at: --data, $INVOICING_DATA or the local settings;
// nothing when none is set (`version` works without one).
std::optional<std::string> chosen_folder(const Args& a) {
  try {
    return data_dir(a);
  } catch (const UsageError&) {
    return std::nullopt;
  }
}

}  // namespace

int cmd_licence(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "install" && a.positional.size() == 2) {
    const std::string text = store::read_licence_file(path_from_utf8(a.positional[1]));
    auto c = open_company(a, false);
    auto v = c->install_licence(text);
    std::cout << fmt::format("installed the licence in {}: {}\n", path_utf8(c->dir()),
                             licence::describe(*v.licence));
    if (!v.in_force()) std::cout << "licence: " << v.message << "\n";
    std::cout << "programs started from now on run as the " << domain::edition_name(v.edition)
              << " edition (" << v.seats << " seat" << (v.seats == 1 ? "" : "s") << ")\n";
    return 0;
  }
  if (sub == "show" && a.positional.size() == 1) {
    const std::string dir = data_dir(a);
    auto info = store::Company::inspect(path_from_utf8(dir));
    if (!info.schema.version) throw store::UserError(dir + " is not a company data folder");
    if (a.has("json")) {
      std::cout << json_licence(info.licence) << "\n";
    } else {
      std::cout << dir << "\n";
      print_licence(info.licence, "  ");
    }
    return info.licence.needs_note() ? 1 : 0;
  }
  throw UsageError("usage: invoicing licence install FILE | invoicing licence show [--json]");
}

int cmd_version(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  if (!a.positional.empty()) throw UsageError("usage: invoicing version [--data DIR] [--json]");
  const auto dir = chosen_folder(a);
  std::optional<store::FolderInfo> info;
  std::string problem;
  if (dir) {
    try {
      info = store::Company::inspect(path_from_utf8(*dir));
      if (!info->schema.version) problem = "not a company data folder";
    } catch (const std::exception& e) {
      problem = e.what();
    }
  } else {
    problem = "none chosen (--data DIR, or `invoicing setup workstation`)";
  }
  if (a.has("json")) {
    std::string o = fmt::format("{{\"program\":{},\"version\":{},\"released\":{},\"schema\":{}",
                                json_string("invoicing"), json_string(store::program_version()),
                                json_string(store::program_release_date()), store::kSchemaVersion);
    o += fmt::format(",\"test_licences\":{}", licence::accepts_test_licences() ? "true" : "false");
    if (dir) o += ",\"data\":" + json_string(*dir);
    if (problem.empty())
      o += fmt::format(",\"folder\":{{\"schema\":{},\"program\":{},\"company\":{},\"licence\":{}}}",
                       info->schema.version, json_string(info->schema.program),
                       json_string(info->company), json_licence(info->licence));
    else
      o += ",\"folder_problem\":" + json_string(problem);
    std::cout << o << "}\n";
    return 0;
  }
  std::cout << fmt::format(
      "{} (released {}; data schema version {}){}\n", store::program_name(),
      store::program_release_date(), store::kSchemaVersion,
      licence::accepts_test_licences() ? "; a test build: accepts test licences" : "");
  if (!problem.empty()) {
    std::cout << "data folder: " << (dir ? *dir + ": " : "") << problem << "\n";
    return 0;
  }
  const auto& s = info->schema;
  std::cout << (store::is_database(*dir) ? "database: " : "data folder: ") << store::shown_target(path_from_utf8(*dir)) << "\n";
  std::cout << fmt::format(
      "  schema version {}{}, last worked in by {}\n", s.version,
      s.version < store::kSchemaVersion   ? " (upgraded when this program opens it)"
      : s.version > store::kSchemaVersion ? " (newer than this program: it is refused)"
                                          : "",
      s.program.empty() ? "an unknown program" : s.program);
  std::cout << "  company: " << info->company << "\n";
  print_licence(info->licence, "  ");
  return 0;
}

}  // namespace invoicing::cli
