// Text on its way into XML, PDF and spreadsheets.
#include <catch2/catch.hpp>

#include <cctype>

#include "domain/document_label.h"
#include "outputs/labels.h"
#include "outputs/text_clean.h"

using namespace invoicing::outputs;
using invoicing::domain::Decimal;

TEST_CASE("clean_text keeps UTF-8 and drops what XML 1.0 forbids", "[outputs][text]") {
  CHECK(clean_text("Zoë & Fils — € 12") == "Zoë & Fils — € 12");
  CHECK(clean_text("a\x01" "b\x7F" "c\td\ne") == "abc\td\ne");
  CHECK(clean_text("caf\xE9") == "caf\xEF\xBF\xBD");            // Latin-1 é is not UTF-8
  CHECK(clean_text("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  CHECK(clean_text("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(clean_text("\xEF\xBF\xBF") == "");                       // U+FFFF
  CHECK(clean_text("\xF0\x9F\x8D\xBA") == "\xF0\x9F\x8D\xBA");   // 🍺
  CHECK(clean_text("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");   // cut short
}

TEST_CASE("Numbers and dates as each language writes them", "[outputs][text]") {
  const Decimal d = *Decimal::parse("-1234567.5");
  CHECK(format_number(d, "nl", 2) == "-1.234.567,50");
  CHECK(format_number(d, "fr", 2) == "-1\u00A0234\u00A0567,50");
  CHECK(format_number(d, "en", 2) == "-1,234,567.50");
  CHECK(format_number(*Decimal::parse("2.500"), "nl", -1) == "2,5");
  CHECK(format_number(*Decimal::parse("3.000"), "nl", -1) == "3");
  CHECK(format_number(*Decimal::parse("12.5"), "nl", -2) == "12,50");
  CHECK(format_number(*Decimal::parse("0.1234"), "en", -2) == "0.1234");
  CHECK(format_number(*Decimal::parse("999.995"), "nl", 2) == "1.000,00");
  using namespace std::chrono;
  CHECK(format_date(year{2026} / March / 5, "fr") == "05/03/2026");
  CHECK(format_date(year{2026} / March / 5, "en") == "5 Mar 2026");
}

// The PDF's title, its continued pages' header and the e-invoice's PDF description read
// "Factuur factuur 2025/1": the store's number names its type already. And a French quote was
// headed "Offre" above its number "devis 2025/2": the outputs kept a table of type names of
// their own.
TEST_CASE("A document's title names its type once, in the words of its number", "[outputs][text]") {
  using invoicing::domain::DocType;
  invoicing::outputs::DocumentData d;
  d.type = DocType::invoice;
  d.display_number = "factuur 2025/1";
  CHECK(document_title(d, "nl") == "Factuur 2025/1");
  CHECK(document_title(d, "fr") == "Factuur 2025/1");  // the number as issued, not translated
  d.display_number = "INV 2026/0042";
  CHECK(document_title(d, "fr") == "Facture INV 2026/0042");
  d.type = DocType::credit_note;
  d.display_number = "note de crédit 2026/3";
  CHECK(document_title(d, "fr") == "Note de crédit 2026/3");
  d.display_number = "cancelled credit note (document 17)";  // a draft's or a cancelled one's label
  CHECK(document_title(d, "fr") == "Cancelled credit note (document 17)");
  d.type = DocType::invoice;
  d.display_number = "conceptfactuur (document 18)";
  CHECK(document_title(d, "nl") == "Conceptfactuur (document 18)");
  d.type = DocType::credit_note;
  d.display_number = "";
  d.year = 2026;
  d.number = 7;
  CHECK(document_title(d, "en") == "Credit note " + display_number(d));
  for (DocType t : {DocType::quote, DocType::order, DocType::delivery_note, DocType::invoice, DocType::credit_note,
                    DocType::purchase_invoice})
    for (const char* lang : {"nl", "fr", "en"}) {
      const std::string name = invoicing::domain::doc_type_name(t, lang);
      CHECK(type_label(t, lang) == std::string(1, char(std::toupper(name[0]))) + name.substr(1));
    }
  CHECK(type_label(DocType::quote, "fr") == "Devis");
}
