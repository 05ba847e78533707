// Document types: codes, conversions, gap-free numbering, stock direction, status codes.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>

#include "domain/document.h"

using invoicing::domain::can_convert;
using invoicing::domain::doc_status_code;
using invoicing::domain::doc_status_from_code;
using invoicing::domain::doc_type_code;
using invoicing::domain::doc_type_from_code;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;
using invoicing::domain::numbered_gap_free;
using invoicing::domain::stock_direction;

namespace {
const DocType kAll[] = {DocType::quote,   DocType::order,       DocType::delivery_note,
                        DocType::invoice, DocType::credit_note, DocType::purchase_invoice};
}

TEST_CASE("Document type codes are stable", "[app][domain][document]") {
  CHECK(std::string(doc_type_code(DocType::quote)) == "QUO");
  CHECK(std::string(doc_type_code(DocType::order)) == "ORD");
  CHECK(std::string(doc_type_code(DocType::delivery_note)) == "DEL");
  CHECK(std::string(doc_type_code(DocType::invoice)) == "INV");
  CHECK(std::string(doc_type_code(DocType::credit_note)) == "CRN");
  CHECK(std::string(doc_type_code(DocType::purchase_invoice)) == "PIN");
  for (DocType t : kAll) CHECK(doc_type_from_code(doc_type_code(t)) == t);
  CHECK_FALSE(doc_type_from_code("inv").has_value());
  CHECK_FALSE(doc_type_from_code("INVX").has_value());
  CHECK_FALSE(doc_type_from_code("").has_value());
}

TEST_CASE("Conversions follow quote → order → delivery note → invoice", "[app][domain][document]") {
  const std::set<std::pair<DocType, DocType>> allowed = {
      {DocType::quote, DocType::order},           {DocType::quote, DocType::invoice},
      {DocType::order, DocType::delivery_note},   {DocType::order, DocType::invoice},
      {DocType::delivery_note, DocType::invoice}, {DocType::invoice, DocType::credit_note},
  };
  int count = 0;
  for (DocType from : kAll) {
    for (DocType to : kAll) {
      INFO(doc_type_code(from) << " -> " << doc_type_code(to));
      const bool expected = allowed.count({from, to}) == 1;
      CHECK(can_convert(from, to) == expected);
      if (can_convert(from, to)) ++count;
    }
  }
  CHECK(count == 6);
  CHECK_FALSE(can_convert(DocType::invoice, DocType::quote));
  CHECK_FALSE(can_convert(DocType::credit_note, DocType::invoice));
  CHECK_FALSE(can_convert(DocType::quote, DocType::delivery_note));
}

TEST_CASE("Only invoices and credit notes are numbered gap-free", "[app][domain][document]") {
  for (DocType t : kAll) {
    INFO(doc_type_code(t));
    CHECK(numbered_gap_free(t) == (t == DocType::invoice || t == DocType::credit_note));
  }
}

TEST_CASE("Stock direction per document type", "[app][domain][document]") {
  CHECK(stock_direction(DocType::quote) == 0);
  CHECK(stock_direction(DocType::order) == 0);
  CHECK(stock_direction(DocType::delivery_note) == -1);
  CHECK(stock_direction(DocType::invoice) == -1);
  CHECK(stock_direction(DocType::invoice, false) == -1);
  CHECK(stock_direction(DocType::invoice, true) == 0);  // the delivery note moved it already
  CHECK(stock_direction(DocType::credit_note) == +1);
  CHECK(stock_direction(DocType::purchase_invoice) == +1);
  CHECK(stock_direction(DocType::delivery_note, true) == -1);
  CHECK(stock_direction(DocType::credit_note, true) == +1);
  // Along quote → order → delivery note → invoice the goods leave exactly once.
  CHECK(stock_direction(DocType::quote) + stock_direction(DocType::order) +
            stock_direction(DocType::delivery_note) + stock_direction(DocType::invoice, true) ==
        -1);
  // Quote → invoice directly: once as well; a credit note brings them back.
  CHECK(stock_direction(DocType::quote) + stock_direction(DocType::invoice, false) +
            stock_direction(DocType::credit_note) ==
        0);
}

TEST_CASE("Document status codes", "[app][domain][document]") {
  CHECK(std::string(doc_status_code(DocStatus::draft)) == "D");
  CHECK(std::string(doc_status_code(DocStatus::final)) == "F");
  CHECK(std::string(doc_status_code(DocStatus::cancelled)) == "X");
  CHECK(std::string(doc_status_code(DocStatus::withdrawn)) == "W");
  for (DocStatus s :
       {DocStatus::draft, DocStatus::final, DocStatus::cancelled, DocStatus::withdrawn}) {
    CHECK(doc_status_from_code(doc_status_code(s)) == s);
  }
  CHECK_FALSE(doc_status_from_code("C").has_value());
  CHECK_FALSE(doc_status_from_code("d").has_value());
}
