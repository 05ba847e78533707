#include "cli_test_util.h"

#include "licence_test_util.h"

#include <stdexcept>

namespace fs = std::filesystem;
using xbase::test::RunResult;

namespace invoicing::import::test {

Company::Company(const std::string& name) : data_(dir_ / name) {
  // A Pro licence (test key): opening stocks need stock management, a paid edition's feature.
  const std::filesystem::path lic = dir_ / "pro.lic";
  xbase::test::write_file(lic, invoicing::test::test_licence(invoicing::test::TestLicence{domain::Edition::pro, "BE0123456749", "Test BV"}));
  auto r = xbase::test::run_program(
      INVOICING_TOOL, {"init", data_.string(), "--company", "Test BV", "--vat", "BE0123456749", "--licence", lic.string()}, dir_.path(),
      "XDG_CONFIG_HOME=" + xbase::test::shell_quote((dir_ / "config").string()));
  if (r.rc != 0) throw std::runtime_error("invoicing init failed: " + r.err);
}

RunResult Company::run(std::vector<std::string> args) const {
  args.push_back("--data");
  args.push_back(data_.string());
  return xbase::test::run_program(
      INVOICING_TOOL, args, dir_.path(),
      "XDG_CONFIG_HOME=" + xbase::test::shell_quote((dir_ / "config").string()));
}

std::string Company::export_csv(const std::string& what) const {
  auto r = run({"export", what, "--format", "csv"});
  if (r.rc != 0) throw std::runtime_error("invoicing export failed: " + r.err);
  return r.out;
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), dir).string();
    if (rel.rfind("SEATS.", 0) == 0) continue;
    files[rel] = xbase::test::read_file(e.path());
  }
  return files;
}

std::vector<std::string> csv_lines(const std::string& csv) {
  std::string text = csv.rfind("\xEF\xBB\xBF", 0) == 0 ? csv.substr(3) : csv;
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

}  // namespace invoicing::import::test
