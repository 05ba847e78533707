// The `invoicing` command line for issue 19's money side, as a user drives it: a CODA and a
// camt.053 sample statement (tests/bank/data) imported and matched to the open invoices, a
// statement imported twice changing nothing, payments by hand, open items, reminders, partial
// credit notes, document lists with filters, fiscal years and settings.
#include <catch2/catch.hpp>

#include "test_util.h"

using namespace xbase::test;

namespace {

struct Cli {
  TempDir d;
  std::string today = "2026-03-10";
  RunResult run(std::vector<std::string> args) {
    args.insert(args.end(), {"--data", (d / "firma").string()});
    return run_program(INVOICING_TOOL, args, d.path(),
                       "INVOICING_TODAY=" + today + " XDG_CONFIG_HOME=" + shell_quote((d / "config").string()));
  }
  void ok(const std::vector<std::string>& args) {
    auto r = run(args);
    INFO(r.err);
    REQUIRE(r.rc == 0);
  }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The customers and invoices 2026/1 .. 2026/7 the sample statements pay (their structured
// communications are those of the invoices numbered 1 to 5).
void invoices_for_the_samples(Cli& cli) {
  REQUIRE(run_program(INVOICING_TOOL, {"init", (cli.d / "firma").string(), "--company", "Test BV", "--vat", "BE0477472701"},
                      cli.d.path(), "XDG_CONFIG_HOME=" + shell_quote((cli.d / "config").string()))
              .rc == 0);
  cli.ok({"customer", "add", "--code", "ACME", "--name", "ACME NV", "--vat", "BE0431115213", "--iban", "BE71 0961 2345 6769"});
  cli.ok({"customer", "add", "--code", "BOLT", "--name", "Bolt BV", "--country", "NL", "--vat", "NL820098395B01",
          "--lang", "nl"});
  cli.ok({"customer", "add", "--code", "CARGO", "--name", "Cargo SPRL", "--vat", "BE0414445663", "--iban",
          "BE43068999999501", "--lang", "fr"});
  cli.ok({"customer", "add", "--code", "DELTA", "--name", "Delta", "--private"});
  cli.ok({"customer", "add", "--code", "ECHO", "--name", "Echo", "--private"});
  cli.ok({"customer", "add", "--code", "FOXTROT", "--name", "Foxtrot Inc.", "--country", "US", "--business", "--lang", "en"});
  cli.ok({"article", "add", "--code", "WIDGET", "--descr", "Widget", "--price", "100", "--stock", "50"});
  struct Inv {
    const char* party;
    std::vector<std::string> line;
  };
  const Inv invoices[] = {{"ACME", {"--article", "WIDGET"}},                              // 121.00
                          {"BOLT", {"--article", "WIDGET"}},                              // 100.00, K 0 %
                          {"CARGO", {"--article", "WIDGET", "--qty", "2"}},               // 242.00
                          {"DELTA", {"--text", "Herstelling", "--price", "9.43", "--vat-rate", "6"}},  // 10.00
                          {"ECHO", {"--text", "Onderhoud", "--price", "16.53"}},          // 20.00
                          {"FOXTROT", {"--article", "WIDGET", "--price", "110"}},         // 110.00, G 0 %
                          {"CARGO", {"--text", "Kleine herstelling", "--price", "81.82"}}};  // 99.00
  int id = 0;
  for (const auto& inv : invoices) {
    ++id;
    cli.ok({"doc", "new", "--type", "invoice", "--party", inv.party, "--date", "2026-03-02"});
    std::vector<std::string> add = {"doc", "add-line", std::to_string(id)};
    add.insert(add.end(), inv.line.begin(), inv.line.end());
    cli.ok(add);
    cli.ok({"doc", "finalize", std::to_string(id)});
  }
}

}  // namespace

TEST_CASE("a CODA and a camt.053 statement import and match, and a statement imported twice changes nothing",
          "[app]") {
  Cli cli;
  invoices_for_the_samples(cli);
  auto list = cli.run({"doc", "list", "--type", "invoice", "--json"});
  for (const char* total : {"\"121.00\"", "\"100.00\"", "\"242.00\"", "\"10.00\"", "\"20.00\"", "\"110.00\"", "\"99.00\""})
    CHECK(has(list.out, std::string("\"total_incl_vat\":") + total));
  const std::string coda = std::string(BANK_DATA_DIR) + "/statement.cod";
  const std::string camt = std::string(BANK_DATA_DIR) + "/statement.053.001.08.xml";

  auto dry = cli.run({"bank", "import", coda, "--dry-run"});
  INFO(dry.err);
  REQUIRE(dry.rc == 0);
  CHECK(has(dry.out, "5 matched, 1 unmatched, 0 imported before"));
  CHECK(cli.run({"payment", "list", "--json"}).out == "[]\n");

  auto first = cli.run({"bank", "import", coda});
  REQUIRE(first.rc == 0);
  CHECK(has(first.out, "paid     invoice 2026/1"));
  CHECK(has(first.out, "by amount and IBAN"));
  CHECK(has(first.out, "a payment out (-35.50), not a customer paying"));
  CHECK(has(first.out, "5 matched, 1 unmatched, 0 imported before"));
  auto again = cli.run({"bank", "import", coda});
  CHECK(has(again.out, "0 matched, 1 unmatched, 5 imported before"));
  auto pays = cli.run({"payment", "list", "--json"});
  size_t n = 0;
  for (size_t at = pays.out.find("\"id\":"); at != std::string::npos; at = pays.out.find("\"id\":", at + 1)) ++n;
  CHECK(n == 5);

  auto second = cli.run({"bank", "import", camt, "--json"});
  REQUIRE(second.rc == 0);
  CHECK(has(second.out, "\"invoice\":\"invoice 2026/2\""));  // the rest of Bolt's
  CHECK(has(second.out, "\"by\":\"amount and name\""));      // Foxtrot, in dollars
  CHECK(has(second.out, "which is paid already"));           // ACME's paid with the CODA file

  auto open = cli.run({"open-items", "--json"});
  CHECK(has(open.out, "\"customer\":\"CARGO\""));
  CHECK(has(open.out, "\"label\":\"invoice 2026/7\""));
  CHECK_FALSE(has(open.out, "\"customer\":\"BOLT\""));
  CHECK(has(open.out, "\"total\":{\"not_due\":\"99.00\""));
  auto shown = cli.run({"doc", "show", "2"});
  CHECK(has(shown.out, "factuur 2026/2"));
  CHECK(has(shown.out, "Status: betaald"));
  CHECK(has(shown.out, "art. 39bis WBTW"));  // the intra-Community mention, in Dutch
  CHECK(has(shown.out, "btw NL820098395B01"));
  CHECK(has(shown.out, "btw BE0477472701"));
  CHECK(cli.run({"verify"}).rc == 0);
}

TEST_CASE("payments, open items and reminders on the command line", "[app]") {
  Cli cli;
  invoices_for_the_samples(cli);
  auto over = cli.run({"payment", "add", "3", "--amount", "300"});
  CHECK(over.rc == 1);
  CHECK(has(over.err, "invoice 2026/3 has 242.00 left to pay"));
  cli.ok({"payment", "add", "3", "--amount", "100", "--date", "2026-03-05", "--method", "cash"});
  auto list = cli.run({"doc", "list", "--customer", "cargo", "--open"});
  CHECK(has(list.out, "partly paid"));
  CHECK(has(list.out, "invoice 2026/7"));
  CHECK(cli.run({"doc", "list", "--overdue", "--json"}).out == "[]\n");
  cli.today = "2026-05-01";
  CHECK(has(cli.run({"doc", "list", "--overdue"}).out, "overdue"));
  auto ageing = cli.run({"open-items", "--customer", "CARGO"});
  CHECK(has(ageing.out, "1-30     241.00"));  // 142.00 + 99.00, due 2026-04-01
  auto due = cli.run({"reminders"});
  CHECK(has(due.out, "rappel"));  // CARGO reads French
  CHECK(has(due.out, "reminders due as of 2026-05-01"));
  auto rec = cli.run({"reminders", "--record", "--json"});
  CHECK(has(rec.out, "\"level\":1"));
  CHECK(has(cli.run({"reminders"}).out, "0 reminders due"));
  auto pays = cli.run({"payment", "list", "--doc", "3"});
  CHECK(has(pays.out, "cash"));
  cli.ok({"payment", "delete", "1"});
  CHECK(cli.run({"payment", "list", "--json"}).out == "[]\n");
}

TEST_CASE("the audit log on the command line: a document's history, by user or workstation, action and date",
          "[app]") {
  // There was no way to read the AUDIT table but a DBF viewer.
  Cli cli;
  invoices_for_the_samples(cli);
  cli.ok({"payment", "add", "3", "--amount", "100", "--method", "cash", "--user", "bert", "--workstation", "KASSA"});
  auto doc = cli.run({"audit", "--doc", "3"});
  REQUIRE(doc.rc == 0);
  CHECK(has(doc.out, "FINALIZE   [doc 3] invoice 2026/3"));
  CHECK(has(doc.out, "bert on KASSA"));
  CHECK(has(doc.out, "PAYMENT    [doc 3] paid 100.00 invoice 2026/3 on 2026-03-10"));
  CHECK(doc.out.find("FINALIZE") < doc.out.find("PAYMENT"));  // in the order it happened
  CHECK(!has(doc.out, "[doc 4]"));
  for (const char* who : {"bert", "kassa"}) {
    auto by = cli.run({"audit", "--user", who, "--json"});
    CHECK(by.out.rfind("[{", 0) == 0);
    CHECK(has(by.out, "\"action\":\"PAYMENT\",\"doc\":3"));
    CHECK(!has(by.out, "FINALIZE"));
  }
  auto last = cli.run({"audit", "--action", "finalize", "--last", "1", "--json"});
  CHECK(has(last.out, "invoice 2026/7"));
  CHECK(last.out.find("\"id\"") == last.out.rfind("\"id\""));  // one entry
  CHECK(cli.run({"audit", "--from", "2026-03-11"}).out == "no audit entries\n");
  auto bad = cli.run({"audit", "--to", "2026-02-30"});
  CHECK(bad.rc == 2);
  CHECK(has(bad.err, "--to \"2026-02-30\" is not a date"));
}

TEST_CASE("credit notes by line, quantity and amount, withdraw, and the working advice on the command line", "[app]") {
  Cli cli;
  invoices_for_the_samples(cli);
  auto part = cli.run({"doc", "credit", "3", "--line", "1", "--qty", "1", "--finalize"});
  INFO(part.err);
  REQUIRE(part.rc == 0);
  CHECK(has(part.out, "made credit note 2026/1 for invoice 2026/3, total 121.00"));
  auto too_much = cli.run({"doc", "credit", "3", "--finalize"});
  CHECK(too_much.rc == 1);
  CHECK(has(too_much.err, "left to credit: 121.00"));
  CHECK(cli.run({"doc", "credit", "3", "--amount", "100", "--finalize"}).rc == 0);  // 121.00 with VAT
  CHECK(cli.run({"doc", "credit", "3", "--amount", "1", "--finalize"}).rc == 1);
  auto stock = cli.run({"stock", "--json"});
  CHECK(has(stock.out, "\"stock\":\"46.000\""));  // 50 - 5 sold + 1 back
  auto crn = cli.run({"doc", "list", "--type", "credit-note"});
  CHECK(has(crn.out, "-121.00"));
  // A final quote: withdrawn, as the refusal to cancel it advises.
  auto quote = cli.run({"doc", "new", "--type", "quote", "--party", "ACME", "--json"});
  REQUIRE(has(quote.out, "\"id\":10,"));  // after the invoices and the two credit notes
  cli.ok({"doc", "add-line", "10", "--article", "WIDGET"});
  cli.ok({"doc", "finalize", "10"});
  auto cancel = cli.run({"doc", "cancel", "10"});
  CHECK(cancel.rc == 1);
  CHECK(has(cancel.err, "invoicing doc withdraw 10"));
  CHECK(cli.run({"doc", "withdraw", "10"}).rc == 0);
  CHECK(cli.run({"verify"}).rc == 0);
}

TEST_CASE("dates, fiscal years and settings on the command line", "[app]") {
  Cli cli;
  invoices_for_the_samples(cli);
  cli.ok({"doc", "new", "--type", "invoice", "--party", "ACME", "--date", "2026-03-01"});
  cli.ok({"doc", "add-line", "8", "--article", "WIDGET"});
  auto early = cli.run({"doc", "finalize", "8"});
  CHECK(early.rc == 1);
  CHECK(has(early.err, "finalize again with --redate"));
  auto moved = cli.run({"doc", "finalize", "8", "--redate"});
  CHECK(has(moved.out, "finalized invoice 2026/8, dated 2026-03-02"));
  CHECK(has(moved.err, "warning: dated 2026-03-02 instead of 2026-03-01"));
  auto bad = cli.run({"doc", "new", "--type", "invoice", "--party", "ACME", "--date", "0025-01-01"});
  CHECK(bad.rc == 1);
  CHECK(has(bad.err, "before the previous fiscal year"));
  CHECK(cli.run({"year", "close", "2026"}).rc == 1);
  cli.ok({"year", "close", "2025"});
  CHECK(has(cli.run({"year", "list"}).out, "2025  2025-01-01 .. 2025-12-31  closed"));
  auto start = cli.run({"setting", "fiscal_year_start_month", "4"});
  CHECK(start.rc == 1);
  CHECK(has(start.err, "documents are numbered in the fiscal years it defines"));
  cli.ok({"setting", "negative_stock", "refuse"});
  CHECK(has(cli.run({"setting", "negative_stock"}).out, "refuse"));
  CHECK(cli.run({"setting", "nonsense", "1"}).rc == 1);
  auto help = run_program(INVOICING_TOOL, {"--help"}, cli.d.path());
  for (const char* cmd : {"payment add", "bank import", "open-items", "reminders", "doc credit", "doc withdraw",
                          "year close", "setting"})
    CHECK(has(help.out, cmd));
}
