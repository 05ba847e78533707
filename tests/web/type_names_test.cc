// The web front end's names of the document types (app/web/assets/i18n.js) against the ones
// the documents' numbers carry (domain::doc_type_name): a French quote was listed as "offre"
// beside its number "devis 2025/2".
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "domain/document.h"
#include "domain/document_label.h"

using namespace invoicing::domain;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The value of `"type.INV": "..."` in the block of `lang` ("  fr: {" up to the next block).
std::string js_type_name(const std::string& js, const std::string& lang, DocType t) {
  const size_t block = js.find("\n  " + lang + ": {");
  REQUIRE(block != std::string::npos);
  const size_t next = js.find("\n  }", block);  // the block's end
  const std::string key = std::string("\"type.") + doc_type_code(t) + "\": \"";
  const size_t at = js.find(key, block);
  REQUIRE(at != std::string::npos);
  REQUIRE(at < next);
  const size_t from = at + key.size();
  return js.substr(from, js.find('"', from) - from);
}

}  // namespace

TEST_CASE("the web front end names each document type as its number does", "[ui]") {
  const std::string js = read_text(WEB_ASSETS "/i18n.js");
  for (DocType t : {DocType::quote, DocType::order, DocType::delivery_note, DocType::invoice, DocType::credit_note,
                    DocType::purchase_invoice})
    for (const char* lang : {"en", "nl", "fr"}) {
      INFO(doc_type_code(t) << " in " << lang);
      CHECK(js_type_name(js, lang, t) == doc_type_name(t, lang));
    }
}
