// Column headers in Dutch, French and English mapped to fields; explicit mappings; profiles.
#include "import/column_mapping.h"

#include <catch2/catch.hpp>

#include "import/text_fold.h"
#include "import_test_util.h"

using namespace invoicing::import;
using invoicing::import::test::import_error;

namespace {
std::string field_of(const ColumnMapping& m, const TargetDef& def, size_t column) {
  int f = m.column_field[column];
  return f < 0 ? "" : def.fields[f].name;
}
}  // namespace

TEST_CASE("Headers fold: case, accents, spaces and punctuation", "[import][mapping]") {
  CHECK(fold_key("N° TVA") == "ntva");
  CHECK(fold_key("Numéro de TVA") == "numerodetva");
  CHECK(fold_key("BTW-nummer") == "btwnummer");
  CHECK(fold_key("BTW %") == "btw%");
  CHECK(fold_key("  E-MAIL ") == "email");
  CHECK(fold_key("Délai de paiement") == "delaidepaiement");
  CHECK(ascii_upper_alnum("Brasserie 't Fonteintje") == "BRASSERIETFONTEINTJE");
  CHECK(ascii_upper_alnum("Café Fédéral") == "CAFEFEDERAL");
  CHECK(utf8_length("Café") == 4);
}

TEST_CASE("Customer headers in three languages map by themselves", "[import][mapping]") {
  const auto& def = target_def(Target::customers);
  struct Case {
    std::vector<std::string> headers;
    std::vector<std::string> fields;
  };
  std::vector<Case> cases = {
      {{"Klantcode", "Naam", "Straat", "Postcode", "Gemeente", "Land", "BTW-nummer", "E-mail",
        "Telefoon", "IBAN", "BIC", "Betalingstermijn", "Taal", "Opmerking", "Fax"},
       {"code", "name", "street", "zip", "city", "country", "vat", "email", "phone", "iban", "bic",
        "terms", "lang", "note", ""}},
      {{"Code client", "Nom", "Adresse", "Code postal", "Localité", "Pays", "N° TVA", "Courriel",
        "Téléphone", "Délai de paiement", "Langue"},
       {"code", "name", "street", "zip", "city", "country", "vat", "email", "phone", "terms",
        "lang"}},
      {{"Name", "Address", "City", "VAT number", "Numéro de TVA"},
       {"name", "street", "city", "vat", ""}},  // the second VAT column: the first one wins
      {{"NAAM", "Adres", "Plaats", "BTW nr", "Ondernemingsnummer"},
       {"name", "street", "city", "vat", "enterprise_number"}},
  };
  for (const auto& c : cases) {
    auto m = map_columns(def, c.headers, {}, "f.csv");
    for (size_t i = 0; i < c.headers.size(); ++i) {
      INFO(c.headers[i]);
      CHECK(field_of(m, def, i) == c.fields[i]);
    }
  }
}

TEST_CASE("Article headers map by themselves", "[import][mapping]") {
  const auto& def = target_def(Target::articles);
  std::vector<std::string> headers = {"Code article", "Libellé", "Prix unitaire", "Taux TVA",
                                      "Unité",        "Stock",   "Stock minimum", "Commentaire"};
  auto m = map_columns(def, headers, {}, "a.csv");
  std::vector<std::string> want = {"code", "description", "price",     "vat_rate",
                                   "unit", "stock",       "min_stock", "note"};
  for (size_t i = 0; i < headers.size(); ++i) CHECK(field_of(m, def, i) == want[i]);
  auto nl = map_columns(def,
                        {"Artikelnummer", "Omschrijving", "Eenheidsprijs", "BTW %", "Eenheid",
                         "Voorraad", "Minimumvoorraad"},
                        {}, "a.csv");
  std::vector<std::string> want_nl = {"code", "description", "price",    "vat_rate",
                                      "unit", "stock",       "min_stock"};
  for (size_t i = 0; i < want_nl.size(); ++i) CHECK(field_of(nl, def, i) == want_nl[i]);
}

TEST_CASE("An explicit mapping overrides and names what is wrong", "[import][mapping]") {
  const auto& def = target_def(Target::customers);
  std::vector<std::string> headers = {"Nr", "Firma", "Naam", "Fax"};
  auto m = map_columns(def, headers, parse_mapping("Firma=name, Naam=note, Fax="), "f.csv");
  CHECK(field_of(m, def, 0) == "code");
  CHECK(field_of(m, def, 1) == "name");
  CHECK(field_of(m, def, 2) == "note");
  CHECK(field_of(m, def, 3) == "");
  CHECK(m.explicit_column[3]);
  CHECK(m.unmapped() == std::vector<std::string>{"Fax"});
  // By column letter, and a header matched folded.
  auto by_letter = map_columns(def, headers, parse_mapping("C=name,firma=street"), "f.csv");
  CHECK(field_of(by_letter, def, 2) == "name");
  CHECK(field_of(by_letter, def, 1) == "street");

  CHECK_THAT(
      import_error([&] { map_columns(def, headers, parse_mapping("Telefax=phone"), "f.csv"); }),
      Catch::Contains("f.csv") && Catch::Contains("'Telefax'") &&
          Catch::Contains("Nr, Firma, Naam, Fax"));
  CHECK_THAT(
      import_error([&] { map_columns(def, headers, parse_mapping("Fax=telefax"), "f.csv"); }),
      Catch::Contains("no field 'telefax'"));
  CHECK_THAT(import_error([&] {
               map_columns(def, headers, parse_mapping("Firma=name,Naam=name"), "f.csv");
             }),
             Catch::Contains("both 'Firma' and 'Naam'"));
  CHECK_THAT(import_error([] { parse_mapping("Firma"); }), Catch::Contains("'Firma'"));
}

TEST_CASE("Profiles: saved and read back, errors by line", "[import][mapping]") {
  ImportProfile p;
  p.name = "Klanten uit het oude pakket";
  p.target = Target::suppliers;
  p.mapping = {{"Lev. nr", "code"}, {"Firma = naam", "name"}, {"Fax", ""}};
  p.sheet = "Blad 1";
  p.encoding = "windows-1252";
  p.separator = '\t';
  p.decimal_mark = ',';
  ImportProfile back = parse_profile(serialize_profile(p));
  CHECK(back.name == p.name);
  CHECK(back.target == p.target);
  CHECK(back.mapping == p.mapping);
  CHECK(back.sheet == p.sheet);
  CHECK(back.encoding == p.encoding);
  CHECK(back.separator == p.separator);
  CHECK(back.decimal_mark == p.decimal_mark);

  CHECK_THAT(import_error([] { parse_profile("target customers\nmap code\n"); }),
             Catch::Contains("line 2"));
  CHECK_THAT(import_error([] { parse_profile("target klanten\n"); }), Catch::Contains("'klanten'"));
  CHECK_THAT(import_error([] { parse_profile("name x\n"); }), Catch::Contains("no 'target'"));
  CHECK_THAT(import_error([] { parse_profile("target articles\nmap name Naam\n"); }),
             Catch::Contains("no field 'name'"));
  CHECK_THAT(import_error([] { parse_profile("target articles\ncolour red\n"); }),
             Catch::Contains("line 2") && Catch::Contains("'colour'"));
}

// A line ending in CR CR LF kept one CR in the value, which the profile then wrote back and
// read as another value (found by import_profile_fuzz).
TEST_CASE("Regression: a profile reads the same after it is written back, whatever its line ends",
          "[import][mapping]") {
  ImportProfile p = parse_profile("name Oud pakket\r\r\ntarget customers\r\nmap code Klant nr\r\r\n");
  CHECK(p.name == "Oud pakket");
  REQUIRE(p.mapping.size() == 1);
  CHECK(p.mapping[0].first == "Klant nr");
  ImportProfile again = parse_profile(serialize_profile(p));
  CHECK(again.name == p.name);
  CHECK(again.mapping == p.mapping);
}
