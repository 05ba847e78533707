// Documents are named by type, fiscal year and number in three languages; drafts by type.
#include <catch2/catch.hpp>

#include "domain/document_label.h"

using namespace invoicing::domain;

TEST_CASE("A final document is named type year/number in en, nl and fr", "[app][domain][label]") {
  CHECK(document_label(DocType::invoice, 2026, 42, "en") == "invoice 2026/42");
  CHECK(document_label(DocType::invoice, 2026, 42, "nl") == "factuur 2026/42");
  CHECK(document_label(DocType::invoice, 2026, 42, "fr") == "facture 2026/42");
  CHECK(document_label(DocType::credit_note, 2025, 7, "NL") == "creditnota 2025/7");
  CHECK(document_label(DocType::credit_note, 2025, 7, "fr") == "note de crédit 2025/7");
  CHECK(document_label(DocType::order, 2026, 3, "nl") == "bestelbon 2026/3");
  CHECK(document_label(DocType::delivery_note, 2026, 3, "en") == "delivery note 2026/3");
  CHECK(document_label(DocRef{DocType::quote, 2027, 1, 99}) == "quote 2027/1");
  // Unknown languages get English rather than nothing.
  CHECK(document_label(DocType::invoice, 2026, 42, "de") == "invoice 2026/42");
}

TEST_CASE("A draft has no number and is called a draft", "[app][domain][label]") {
  CHECK(document_label(DocType::quote, 2026, 0, "en") == "draft quote");
  CHECK(document_label(DocType::invoice, 2026, 0, "nl") == "conceptfactuur");
  CHECK(document_label(DocType::invoice, 2026, 0, "fr") == "brouillon de facture");
  CHECK(document_label(DocRef{DocType::credit_note, 0, 0, 5}, "en") == "draft credit note");
}
