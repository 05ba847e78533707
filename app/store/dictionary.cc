#include "store/dictionary.h"

#include <stdexcept>

namespace invoicing::store {

namespace {

IndexDef index(std::string name, std::vector<IndexPart> parts, bool unique = false, bool skip_zero = false,
               int since = 1) {
  return IndexDef{std::move(name), std::move(parts), unique, skip_zero, since};
}

std::vector<TableDef> build() {
  using namespace fld;
  const std::vector<FieldDef> party_fields = {
      {"ID I AUTOINC"}, {"CODE C(10)"}, {"NAME C(60)"}, {"STREET C(60)"}, {"ZIP C(10)"},
      {"CITY C(40)"}, {"COUNTRY C(2)"}, {"VAT C(20)"}, {"EMAIL C(80)"}, {"TERMS N(3)"},
      {"LANG C(2)"},
      // A running balance until version 2; since 3 balances are the sum of open items.
      {"BALANCE N(14,2)", 1, 2}, {"NOTE M"},
      {"ENTNO C(20)", 3}, {"PHONE C(30)", 3}, {"IBAN C(34)", 3}, {"BIC C(11)", 3},
      {"BUSINESS L", 3}, {"RENOV L", 3}, {"CONTRACTR L", 3}, {"ARCHIVED L", 3}, {"TERMSEOM L", 3}};
  const std::vector<IndexDef> party_indexes = {index("ID", {{id}}, true), index("CODE", {{code, true}}, true),
                                           index("NAME", {{name, true}}), index("VAT", {{vat}}, false, false, 3)};
  return {
      {Tbl::schema, "SCHEMA", 1, {{"NAME C(20)"}, {"VERSION N(6)"}, {"UPDATED T"}, {"PROGRAM C(40)"}},
       {index("NAME", {{name, true}}, true)}},
      {Tbl::settings, "SETTINGS", 1, {{"KEY C(30)"}, {"VALUE C(200)"}, {"NOTE M"}},
       {index("KEY", {{key, true}}, true)}},
      // One record per document type and fiscal year: the next number, the numbers given back
      // and waiting to be handed out again, and the date of the last final document.
      {Tbl::numbers, "NUMBERS", 1,
       {{"TYPE C(3)"}, {"YEAR N(4)"}, {"NEXT N(8)"}, {"FREE M"}, {"LASTDATE D", 3}},
       {index("TYPEYEAR", {{type}, {year}}, true)}},
      {Tbl::customer, "CUSTOMER", 1, party_fields, party_indexes},
      {Tbl::supplier, "SUPPLIER", 1, party_fields, party_indexes},
      {Tbl::article, "ARTICLE", 1,
       {{"ID I AUTOINC"}, {"CODE C(20)"}, {"DESCR C(60)"}, {"UNIT C(6)"}, {"PRICE N(14,4)"},
        {"VATCAT C(2)"}, {"VATRATE N(5,2)"}, {"STOCKED L"}, {"STOCK N(14,3)"},
        {"MINSTOCK N(14,3)", 2}, {"NOTE M"}, {"KIND C(1)", 3}, {"CONSTR L", 3}, {"ARCHIVED L", 3}},
       {index("ID", {{id}}, true), index("CODE", {{code, true}}, true)}},
      {Tbl::doc, "DOC", 1,
       {{"ID I AUTOINC"}, {"TYPE C(3)"}, {"YEAR N(4)"}, {"NUMBER N(8)"}, {"STATUS C(1)"},
        {"PARTY I"}, {"DOCDATE D"}, {"DUEDATE D"}, {"REF C(20)"}, {"SOURCE I"},
        {"TOTEXCL N(14,2)"}, {"TOTVAT N(14,2)"}, {"TOTINCL N(14,2)"}, {"USERNAME C(20)"},
        {"WSTATION C(30)"}, {"NOTE M"}, {"CUSTREF C(40)", 3}, {"PNAME C(60)", 3}, {"PSTREET C(60)", 3},
        {"PZIP C(10)", 3}, {"PCITY C(40)", 3}, {"PCOUNTRY C(2)", 3}, {"PVAT C(20)", 3},
        {"OPENAMT N(14,2)", 7}},
       {index("ID", {{id}}, true), index("NUMBER", {{type}, {year}, {number}}, false, true),
        index("PARTY", {{party}}), index("SOURCE", {{source}}, false, true),
        // The newest of a status or a type first: walked back from (status, the highest id).
        index("STATUS", {{status}, {id}}, false, false, 5), index("TYPE", {{type}, {id}}, false, false, 5),
        // Open invoices (left to pay > 0) by due date: the overdue ones are those due before today.
        index("OPEN", {{due_date}, {open_amount}}, false, true, 7)}},
      {Tbl::docline, "DOCLINE", 1,
       {{"DOCID I"}, {"LINENO N(4)"}, {"ARTICLE I"}, {"DESCR C(60)"}, {"QTY N(14,3)"},
        {"PRICE N(14,4)"}, {"DISC N(6,2)"}, {"VATCAT C(2)"}, {"VATRATE N(5,2)"}, {"NET N(14,2)"},
        {"TEXT M"}, {"KIND C(1)", 3}, {"DOMRATE N(5,2)", 3}, {"VATRULE C(2)", 3}, {"VATOVR L", 3}, {"EXREASON C(120)", 3}},
       {index("DOC", {{doc_id}, {line_no}})}},
      {Tbl::stockmov, "STOCKMOV", 1,
       {{"ID I AUTOINC"}, {"ARTICLE I"}, {"DOCID I"}, {"QTY N(14,3)"}, {"MOVEDATE D"},
        {"USERNAME C(20)"}, {"REASON C(40)", 3}},
       {index("ARTICLE", {{article}}), index("DOC", {{doc_id}})}},
      // A payment received for an invoice (DOCID), paid back for a credit note, or on account
      // (DOCID 0): PARTY is the customer in every case.
      {Tbl::payment, "PAYMENT", 3,
       {{"ID I AUTOINC"}, {"DOCID I"}, {"PAYDATE D"}, {"AMOUNT N(14,2)"}, {"METHOD C(10)"},
        {"REF C(40)"}, {"USERNAME C(20)"}, {"NOTE M"}, {"PARTY I"}, {"BANKREF C(20)"}},
       {index("ID", {{id}}, true), index("DOC", {{doc_id}}), index("PARTY", {{party}}),
        index("BANKREF", {{bank_ref}}, false, true)}},
      // The reminders sent for an invoice, one record per level (1 first, 2 second, 3 last).
      {Tbl::reminder, "REMINDER", 3,
       {{"ID I AUTOINC"}, {"DOCID I"}, {"LEVEL N(1)"}, {"SENTON D"}, {"USERNAME C(20)"}},
       {index("DOC", {{doc_id}})}},
      {Tbl::users, "USERS", 1, {{"NAME C(20)"}, {"FULLNAME C(60)"}, {"ROLE C(10)"}},
       {index("NAME", {{name, true}}, true)}},
      // One record per seat; a running program holds its seat's record lock.
      {Tbl::seats, "SEATS", 1,
       {{"SLOT N(4)"}, {"USERNAME C(20)"}, {"WSTATION C(30)"}, {"PID N(10)"}, {"SINCE T"},
        {"BUSY C(60)"}},
       {}},
      {Tbl::audit, "AUDIT", 2,
       {{"ID I AUTOINC"}, {"WHEN T"}, {"USERNAME C(20)"}, {"WSTATION C(30)"}, {"ACTION C(12)"},
        {"DOCID I"}, {"TEXT C(120)"}},
       {index("DOC", {{doc_id}})}},
      // One record per file delivered to an accounting target (app/delivery/): the document,
      // the target's name, what the file is (XML, PDF), where it went, its SHA-256, when, by whom.
      {Tbl::delivery, "DELIVERY", 4,
       {{"ID I AUTOINC"}, {"DOCID I"}, {"TARGET C(20)"}, {"KIND C(3)"}, {"FILE C(254)"}, {"SHA256 C(64)"},
        {"WHEN T"}, {"USERNAME C(20)"}, {"WSTATION C(30)"}},
       {index("DOC", {{doc_id}}, false, false, 4)}},
      // One record per supplier's e-invoice imported as a purchase invoice (app/purchase/): the
      // document, the file's SHA-256 (the same file is not imported twice), its name as given,
      // the folder of the data folder its XML and PDF are kept in, when, by whom.
      {Tbl::purchimp, "PURCHIMP", 6,
       {{"ID I AUTOINC"}, {"DOCID I"}, {"SHA256 C(64)"}, {"FILE C(254)"}, {"KEPT C(60)"}, {"WHEN T"},
        {"USERNAME C(20)"}, {"WSTATION C(30)"}},
       {index("DOC", {{doc_id}}, false, false, 6), index("SHA", {{sha256}}, false, false, 6)}},
  };
}

}  // namespace

const std::vector<TableDef>& dictionary() {
  static const std::vector<TableDef> d = build();
  return d;
}

const TableDef& table_def(Tbl t) {
  for (const auto& d : dictionary())
    if (d.id == t) return d;
  throw std::logic_error("a table missing from the data dictionary");
}

const TableDef& table_def(std::string_view name) {
  for (const auto& t : dictionary())
    if (t.name == name) return t;
  throw std::invalid_argument("no table " + std::string(name) + " in the data dictionary");
}

const IndexDef& index_def(Tbl t, std::string_view index) {
  for (const auto& i : table_def(t).indexes)
    if (i.name == index) return i;
  throw std::logic_error("no index " + std::string(index) + " on " + table_def(t).name + " in the data dictionary");
}

std::vector<xbase::Field> fields_at(const TableDef& t, int version) {
  std::string spec;
  for (const auto& f : t.fields)
    if (f.since <= version && (f.until == 0 || version <= f.until)) spec += (spec.empty() ? "" : ", ") + f.spec;
  return xbase::parse_field_list(spec);
}

const xbase::Field* field_def(Tbl t, std::string_view field) {
  static const std::vector<std::pair<Tbl, std::vector<xbase::Field>>> current = [] {
    std::vector<std::pair<Tbl, std::vector<xbase::Field>>> v;
    for (const auto& d : dictionary()) v.emplace_back(d.id, fields_at(d, kSchemaVersion));
    return v;
  }();
  for (const auto& [id, fields] : current)
    if (id == t)
      for (const auto& f : fields)
        if (f.name == field) return &f;
  return nullptr;
}

}  // namespace invoicing::store
