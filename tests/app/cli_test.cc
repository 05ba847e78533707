// The `invoicing` command line as a user drives it: a folder from init to credit note,
// JSON for scripts, exit codes and messages, local settings outside the data folder.

#include <catch2/catch.hpp>

#include "licence_test_util.h"
#include "test_util.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

RunResult run(const TempDir& d, const std::vector<std::string>& args) {
  return run_program(INVOICING_TOOL, args, d.path(),
                     "INVOICING_TODAY=2026-03-10 XDG_CONFIG_HOME=" + shell_quote((d / "config").string()));
}

}  // namespace

TEST_CASE("invoicing from init to credit note on the command line", "[app]") {
  TempDir d;
  const std::string data = (d / "firma").string();
  // A Pro licence (test key): stock and multi-user numbering are the edition's features.
  write_file(d / "pro.lic", invoicing::test::test_licence(invoicing::domain::Edition::pro));
  REQUIRE(run(d, {"init", data, "--company", "Bakkerij Peeters", "--vat", "BE 0431.115.213", "--licence",
                  (d / "pro.lic").string()})
              .rc == 0);
  // `init` made it this workstation's folder: the local settings hold it, the share does not.
  CHECK(read_file(d / "config/xbase-invoicing/local.ini").find(data) != std::string::npos);
  CHECK(!fs::exists(fs::path(data) / "local.ini"));

  auto bad = run(d, {"customer", "add", "--code", "X", "--name", "X", "--vat", "BE0431115212"});
  CHECK(bad.rc == 1);
  CHECK(bad.err.find("check digits") != std::string::npos);
  REQUIRE(run(d, {"customer", "add", "--code", "DUPONT", "--name", "Boulangerie Dupont", "--vat", "BE0414445663"}).rc == 0);
  REQUIRE(run(d, {"article", "add", "--code", "LAMP", "--descr", "LED-lamp", "--price", "6.95", "--stock", "100"}).rc == 0);
  auto q = run(d, {"doc", "new", "--type", "quote", "--party", "dupont", "--json"});
  REQUIRE(q.rc == 0);
  CHECK(q.out.find("\"id\":1") != std::string::npos);
  REQUIRE(run(d, {"doc", "add-line", "1", "--article", "LAMP", "--qty", "10"}).rc == 0);
  REQUIRE(run(d, {"doc", "finalize", "1"}).rc == 0);
  auto inv = run(d, {"doc", "convert", "1", "--to", "invoice", "--finalize"});
  REQUIRE(inv.rc == 0);
  CHECK(inv.out.find("made invoice 2026/1 from quote 2026/1") != std::string::npos);
  auto cancel = run(d, {"doc", "cancel", "2"});
  CHECK(cancel.rc == 1);
  CHECK(cancel.err.find("credit note") != std::string::npos);
  REQUIRE(run(d, {"doc", "convert", "2", "--to", "credit-note", "--finalize"}).rc == 0);

  auto list = run(d, {"doc", "list", "--json"});
  REQUIRE(list.rc == 0);
  for (const char* key : {"\"type\":\"invoice\"", "\"fiscal_year\":", "\"number\":1", "\"status\":\"final\"",
                          "\"total_incl_vat\":\"84.10\"", "\"type\":\"credit-note\""})
    CHECK(list.out.find(key) != std::string::npos);
  auto stock = run(d, {"stock", "--json"});
  CHECK(stock.out.find("\"stock\":\"100.000\"") != std::string::npos);  // out with the invoice, back with the credit note
  CHECK(run(d, {"verify"}).rc == 0);
  CHECK(run(d, {"doc", "show", "99"}).rc == 1);
  CHECK(run(d, {"doc", "frobnicate"}).rc == 2);
  CHECK(run(d, {"numbering", "mode", "multiuser"}).rc == 0);
  CHECK(run(d, {"numbering", "--json"}).out.find("\"mode\":\"multiuser\"") != std::string::npos);
}

TEST_CASE("invoicing use takes a PostgreSQL target as one, and a folder as an absolute path", "[app]") {
  // The target was made an absolute path ("<working folder>/postgresql:/127.0.0.1:1/firma") and
  // refused as a folder. Here no server answers: it is refused naming the database; with one
  // the test app/postgres/company_files_test.sh works through it.
  TempDir d;
  const std::string target = "postgresql://anna@127.0.0.1:1/firma";
  auto r = run(d, {"use", target});
  CHECK(r.rc == 1);
  CHECK(r.err.find("cannot connect to the database " + target) != std::string::npos);
  REQUIRE(run(d, {"init", (d / "firma").string(), "--company", "Firma"}).rc == 0);
  r = run(d, {"use", (d / "x" / ".." / "firma").string()});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(read_file(d / "config/xbase-invoicing/local.ini").find("data=" + (d / "firma").string()) != std::string::npos);
}
