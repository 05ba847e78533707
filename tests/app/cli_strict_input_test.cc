// Hostile input on the `invoicing` command line (issue 24): options a subcommand does not take,
// words nobody quoted, impossible dates and ids, and --help after any command.

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace xbase::test;

namespace {

struct Folder {
  TempDir d;
  RunResult run(const std::vector<std::string>& args) const {
    return run_program(INVOICING_TOOL, args, d.path(),
                       "INVOICING_TODAY=2025-03-10 XDG_CONFIG_HOME=" + shell_quote((d / "config").string()) +
                           " INVOICING_DATA=" + shell_quote((d / "firma").string()));
  }
  Folder() {
    REQUIRE(run({"init", (d / "firma").string(), "--company", "Bakkerij Peeters", "--vat", "BE0431115213"}).rc == 0);
    REQUIRE(run({"customer", "add", "--code", "C1", "--name", "Boulangerie Dupont"}).rc == 0);
  }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("an option the subcommand does not take or an unquoted word is refused, naming it", "[app]") {
  Folder f;
  auto list = f.run({"doc", "list", "--party", "C1", "--date", "2025-01-01"});
  CHECK(list.rc == 2);
  CHECK(has(list.err, "unknown option --date for `invoicing doc list`"));
  CHECK(f.run({"doc", "list", "--party", "C1"}).rc == 0);

  auto zoe = f.run({"customer", "add", "--code", "C", "--name", "Café", "Zoë"});
  CHECK(zoe.rc == 2);
  CHECK(has(zoe.err, "unexpected \"Zoë\""));
  CHECK(has(zoe.err, "quote a text with spaces"));
  CHECK_FALSE(has(f.run({"customer", "list"}).out, "Café"));

  auto search = f.run({"customer", "list", "--name", "X"});
  CHECK(search.rc == 2);
  CHECK(has(search.err, "unknown option --name for `invoicing customer list`"));
  auto price = f.run({"article", "list", "--price", "3"});
  CHECK(price.rc == 2);
  CHECK(has(price.err, "unknown option --price for `invoicing article list`"));
  auto amount = f.run({"payment", "list", "--amount", "3"});
  CHECK(amount.rc == 2);
  CHECK(has(amount.err, "unknown option --amount for `invoicing payment list`"));
  auto extra = f.run({"payment", "delete", "1", "2"});
  CHECK(extra.rc == 2);
  CHECK(has(extra.err, "unexpected \"2\""));
  auto show = f.run({"company", "show", "--name", "X"});
  CHECK(show.rc == 2);
  CHECK(has(show.err, "unknown option --name for `invoicing company show`"));
  auto keep = f.run({"backup", "--keep-daily", "3", "--to", (f.d / "backups").string()});
  CHECK(keep.rc == 2);
  CHECK(has(keep.err, "unknown option --keep-daily for `invoicing backup`"));
  CHECK_FALSE(std::filesystem::exists(f.d / "backups"));
  auto config = f.run({"backup", "config", "--to", (f.d / "backups").string()});
  CHECK(config.rc == 2);
  CHECK(has(config.err, "unknown option --to for `invoicing backup config`"));
  auto redate = f.run({"doc", "show", "1", "--redate"});
  CHECK(redate.rc == 2);
  CHECK(has(redate.err, "unknown option --redate for `invoicing doc show`"));
}

TEST_CASE("impossible dates and ids that are not whole numbers from 1 are refused with the reason", "[app]") {
  Folder f;
  const std::vector<std::pair<std::string, std::string>> dates = {
      {"2025-02-30", "February 2025 has 28 days"},
      {"2024-02-30", "February 2024 has 29 days"},
      {"2025-04-31", "April 2025 has 30 days"},
      {"2025-13-01", "there is no month 13"},
      {"2025-01-01xyz", "not a date YYYY-MM-DD"},
      {"2025-1-1", "not a date YYYY-MM-DD"},
      {"+025-01-01", "not a date YYYY-MM-DD"},
      {"2025-01- 1", "not a date YYYY-MM-DD"}};
  for (const auto& [date, reason] : dates) {
    INFO(date);
    auto r = f.run({"doc", "new", "--type", "invoice", "--party", "C1", "--date", date});
    CHECK(r.rc == 2);
    CHECK(has(r.err, "--date \"" + date + "\""));
    CHECK(has(r.err, reason));
  }
  auto from = f.run({"doc", "list", "--from", "2025-02-29"});
  CHECK(from.rc == 2);
  CHECK(has(from.err, "February 2025 has 28 days"));
  auto period = f.run({"export", "--from", "2025-01-01", "--to", "2025-02-29", "--format", "csv"});
  CHECK(period.rc == 2);
  CHECK(has(period.err, "--to \"2025-02-29\" is not a date: February 2025 has 28 days"));
  auto as_of = f.run({"open-items", "--as-of", "2025-1-31"});
  CHECK(as_of.rc == 2);
  CHECK(has(as_of.err, "--as-of \"2025-1-31\" is not a date YYYY-MM-DD"));
  CHECK(f.run({"doc", "list", "--json"}).out == "[]\n");  // nothing was made on a refused date
  REQUIRE(f.run({"doc", "new", "--type", "invoice", "--party", "C1", "--date", "2025-02-28"}).rc == 0);

  for (const std::string id : {"1abc", "0", "-3", "+1", " 1", "", "99999999999"}) {
    INFO(id);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"doc", "show", id}, {"doc", "finalize", id}, {"doc", "pdf", id},
          {"payment", "add", id, "--amount", "1"}}) {
      auto r = f.run(args);
      CHECK(r.rc == 2);
      CHECK(has(r.err, "\"" + id + "\" is not a document id"));
    }
  }
  auto line = f.run({"doc", "remove-line", "1", "1x"});
  CHECK(line.rc == 2);
  CHECK(has(line.err, "\"1x\" is not a line number"));
  auto year = f.run({"doc", "list", "--year", "2025x"});
  CHECK(year.rc == 2);
  CHECK(has(year.err, "\"2025x\" is not a year"));
  auto payment = f.run({"payment", "delete", "0"});
  CHECK(payment.rc == 2);
  CHECK(has(payment.err, "\"0\" is not a payment id"));
  CHECK(f.run({"doc", "show", "1"}).rc == 0);
}

TEST_CASE("--help after any command or subcommand prints its usage on stdout and exits 0", "[app]") {
  Folder f;
  auto doc = f.run({"doc", "--help"});
  CHECK(doc.rc == 0);
  CHECK(has(doc.out, "doc new --type"));
  CHECK(has(doc.out, "doc credit INVOICE-ID"));
  CHECK(doc.err.empty());
  CHECK(f.run({"help", "doc"}).out == doc.out);
  auto unknown = f.run({"help", "frobnicate"});
  CHECK(unknown.rc == 2);
  CHECK(has(unknown.err, "unknown command \"frobnicate\""));
  CHECK(f.run({"frobnicate", "--help"}).rc == 2);

  auto doc_new = f.run({"doc", "new", "--help"});
  CHECK(doc_new.rc == 0);
  CHECK(has(doc_new.out, "doc new --type"));
  CHECK_FALSE(has(doc_new.out, "doc credit"));
  CHECK(f.run({"doc", "show", "1", "--help"}).rc == 0);

  auto add = f.run({"customer", "add", "--help"});
  CHECK(add.rc == 0);
  CHECK(has(add.out, "customer add --code C --name N"));
  CHECK(has(add.out, "--code 10"));
  CHECK(has(add.out, "--name 60"));
  CHECK_FALSE(has(f.run({"customer", "list"}).out, "--help"));  // nothing was added

  auto supplier = f.run({"supplier", "edit", "--help"});
  CHECK(supplier.rc == 0);
  CHECK(has(supplier.out, "supplier edit --code C"));
  auto article = f.run({"article", "add", "--help"});
  CHECK(article.rc == 0);
  CHECK(has(article.out, "--code 20"));
  CHECK(has(article.out, "--descr 60"));
  for (const char* cmd : {"stock", "payment", "verify", "backup", "import", "export", "setting", "year", "bank"}) {
    INFO(cmd);
    auto r = f.run({cmd, "--help"});
    CHECK(r.rc == 0);
    CHECK(has(r.out, std::string("  ") + cmd));
  }
}
