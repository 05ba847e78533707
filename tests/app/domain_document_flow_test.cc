// Document flow (issue 19): conversions once per target, withdrawal of quotes and orders,
// the status transitions, and advice that names a working command.
#include <catch2/catch.hpp>

#include "domain/document_flow.h"

using namespace invoicing::domain;

namespace {
DocRef quote{DocType::quote, 2026, 3, 11};
DocRef order{DocType::order, 2026, 5, 12};
DocRef invoice{DocType::invoice, 2026, 42, 13};
DocRef draft_invoice{DocType::invoice, 2026, 0, 14};
DocRef delivery{DocType::delivery_note, 2026, 8, 15};
}  // namespace

TEST_CASE("A quote is invoiced once: the second conversion names the first invoice",
          "[app][domain][flow]") {
  CHECK(check_conversion(quote, DocStatus::final, DocType::invoice, {}).ok);
  Verdict v =
      check_conversion(quote, DocStatus::final, DocType::invoice, {{invoice, DocStatus::final}});
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason == "quote 2026/3 was converted already: into invoice 2026/42");
  // A draft counts as well, and is named as a draft with advice on that draft.
  v = check_conversion(quote, DocStatus::final, DocType::invoice,
                       {{draft_invoice, DocStatus::draft}});
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason == "quote 2026/3 was converted already: into draft invoice");
  CHECK(v.advice.find("invoicing doc cancel 14") != std::string::npos);
  // A cancelled one does not.
  CHECK(check_conversion(quote, DocStatus::final, DocType::invoice,
                         {{draft_invoice, DocStatus::cancelled}})
            .ok);
}

TEST_CASE("A quote that went on as an order is invoiced through that order",
          "[app][domain][flow]") {
  Verdict v =
      check_conversion(quote, DocStatus::final, DocType::invoice, {{order, DocStatus::final}});
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason.find("order 2026/5") != std::string::npos);
  CHECK(v.advice == "convert order 2026/5 instead: invoicing doc convert 12 --to invoice");
  // Invoiced directly first: a new order from it would invoice it twice.
  v = check_conversion(quote, DocStatus::final, DocType::order, {{invoice, DocStatus::final}});
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason.find("invoice 2026/42") != std::string::npos);
  // A withdrawn order frees the quote.
  CHECK(check_conversion(quote, DocStatus::final, DocType::invoice, {{order, DocStatus::withdrawn}})
            .ok);
}

TEST_CASE("An order delivered is invoiced through its delivery note, not a second time",
          "[app][domain][flow]") {
  CHECK(check_conversion(order, DocStatus::final, DocType::delivery_note, {}).ok);
  CHECK_FALSE(check_conversion(order, DocStatus::final, DocType::delivery_note,
                               {{delivery, DocStatus::final}})
                  .ok);
  Verdict v =
      check_conversion(order, DocStatus::final, DocType::invoice, {{delivery, DocStatus::final}});
  REQUIRE_FALSE(v.ok);
  CHECK(v.advice == "convert delivery note 2026/8 instead: invoicing doc convert 15 --to invoice");
}

TEST_CASE("Only final documents are converted, and only along the allowed paths",
          "[app][domain][flow]") {
  Verdict v =
      check_conversion(DocRef{DocType::quote, 2026, 0, 20}, DocStatus::draft, DocType::order, {});
  REQUIRE_FALSE(v.ok);
  CHECK(v.advice == "finalize it first: invoicing doc finalize 20");
  CHECK_FALSE(check_conversion(quote, DocStatus::withdrawn, DocType::order, {}).ok);
  CHECK_FALSE(check_conversion(quote, DocStatus::cancelled, DocType::order, {}).ok);
  v = check_conversion(quote, DocStatus::final, DocType::delivery_note, {});
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason == "a quote cannot become a delivery note");
  CHECK(v.advice == "a quote can become an order or an invoice");
}

TEST_CASE("An invoice takes several credit notes (their amounts are credit_note.h's business)",
          "[app][domain][flow]") {
  CHECK(check_conversion(invoice, DocStatus::final, DocType::credit_note,
                         {{DocRef{DocType::credit_note, 2026, 1, 30}, DocStatus::final}})
            .ok);
  CHECK_FALSE(check_conversion(draft_invoice, DocStatus::draft, DocType::credit_note, {}).ok);
}

TEST_CASE("Status transitions per type", "[app][domain][flow]") {
  const DocType all[] = {DocType::quote,   DocType::order,       DocType::delivery_note,
                         DocType::invoice, DocType::credit_note, DocType::purchase_invoice};
  const DocStatus statuses[] = {DocStatus::draft, DocStatus::final, DocStatus::cancelled,
                                DocStatus::withdrawn};
  for (DocType t : all) {
    for (DocStatus from : statuses) {
      for (DocStatus to : statuses) {
        const bool expected =
            (from == DocStatus::draft && (to == DocStatus::final || to == DocStatus::cancelled)) ||
            (from == DocStatus::final && to == DocStatus::withdrawn &&
             (t == DocType::quote || t == DocType::order));
        INFO(doc_type_code(t) << " " << doc_status_name(from) << " -> " << doc_status_name(to));
        Verdict v = check_transition(DocRef{t, 2026, 1, 1}, from, to);
        CHECK(v.ok == expected);
        if (!v.ok) CHECK_FALSE(v.reason.empty());
      }
    }
  }
}

TEST_CASE("A final invoice is not cancelled: the advice makes a credit note",
          "[app][domain][flow]") {
  Verdict v = check_transition(invoice, DocStatus::final, DocStatus::cancelled);
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason.find("invoice 2026/42 is final") == 0);
  CHECK(v.advice == "make a credit note for it: invoicing doc convert 13 --to credit-note");
  v = check_transition(invoice, DocStatus::final, DocStatus::withdrawn);
  CHECK(v.advice == "make a credit note for it: invoicing doc convert 13 --to credit-note");
  v = check_transition(quote, DocStatus::final, DocStatus::cancelled);
  CHECK(v.advice == "withdraw it: invoicing doc withdraw 11");
  v = check_transition(DocRef{DocType::quote, 2026, 0, 9}, DocStatus::draft, DocStatus::withdrawn);
  CHECK(v.advice == "cancel the draft: invoicing doc cancel 9");
}

TEST_CASE("A quote or order is withdrawn only while nothing made from it is live",
          "[app][domain][flow]") {
  CHECK(check_withdraw(quote, DocStatus::final, {}).ok);
  CHECK(check_withdraw(order, DocStatus::final, {{invoice, DocStatus::cancelled}}).ok);
  Verdict v = check_withdraw(order, DocStatus::final, {{invoice, DocStatus::final}});
  REQUIRE_FALSE(v.ok);
  CHECK(v.reason.find("order 2026/5 went on as invoice 2026/42") == 0);
  CHECK(v.advice.find("invoicing doc convert 13 --to credit-note") != std::string::npos);
  v = check_withdraw(quote, DocStatus::final, {{order, DocStatus::final}});
  CHECK(v.advice == "withdraw order 2026/5 first: invoicing doc withdraw 12");
  CHECK_FALSE(check_withdraw(invoice, DocStatus::final, {}).ok);
  CHECK_FALSE(check_withdraw(quote, DocStatus::withdrawn, {}).ok);
}
