#include "store/dictionary.h"

#include <stdexcept>

namespace invoicing::store {

namespace {

xbase::TagSpec tag(std::string name, std::string key, std::string for_expr = {}, bool candidate = false) {
  xbase::TagSpec t;
  t.name = std::move(name);
  t.key = std::move(key);
  t.for_expr = std::move(for_expr);
  t.candidate = candidate;
  return t;
}

std::vector<TableDef> build() {
  const std::vector<FieldDef> party = {
      {"ID I AUTOINC"}, {"CODE C(10)"}, {"NAME C(60)"}, {"STREET C(60)"}, {"ZIP C(10)"},
      {"CITY C(40)"}, {"COUNTRY C(2)"}, {"VAT C(20)"}, {"EMAIL C(80)"}, {"TERMS N(3)"},
      {"LANG C(2)"}, {"BALANCE N(14,2)"}, {"NOTE M"}};
  const std::vector<TagDef> party_tags = {{tag("ID", "ID", "", true)},
                                          {tag("CODE", "UPPER(CODE)", "", true)},
                                          {tag("NAME", "UPPER(NAME)")}};
  return {
      {"SCHEMA", 1, {{"NAME C(20)"}, {"VERSION N(6)"}, {"UPDATED T"}, {"PROGRAM C(40)"}},
       {{tag("NAME", "UPPER(NAME)", "", true)}}},
      {"SETTINGS", 1, {{"KEY C(30)"}, {"VALUE C(200)"}, {"NOTE M"}},
       {{tag("KEY", "UPPER(KEY)", "", true)}}},
      {"CUSTOMER", 1, party, party_tags},
      {"SUPPLIER", 1, party, party_tags},
      {"ARTICLE", 1,
       {{"ID I AUTOINC"}, {"CODE C(20)"}, {"DESCR C(60)"}, {"UNIT C(6)"}, {"PRICE N(14,4)"},
        {"VATCAT C(2)"}, {"VATRATE N(5,2)"}, {"STOCKED L"}, {"STOCK N(14,3)"},
        {"MINSTOCK N(14,3)", 2}, {"NOTE M"}},
       {{tag("ID", "ID", "", true)}, {tag("CODE", "UPPER(CODE)", "", true)}}},
      {"DOC", 1,
       {{"ID I AUTOINC"}, {"TYPE C(3)"}, {"YEAR N(4)"}, {"NUMBER N(8)"}, {"STATUS C(1)"},
        {"PARTY I"}, {"DOCDATE D"}, {"DUEDATE D"}, {"REF C(20)"}, {"SOURCE I"},
        {"TOTEXCL N(14,2)"}, {"TOTVAT N(14,2)"}, {"TOTINCL N(14,2)"}, {"USERNAME C(20)"},
        {"WSTATION C(30)"}, {"NOTE M"}},
       {{tag("ID", "ID", "", true)},
        {tag("NUMBER", "TYPE+STR(YEAR,4)+STR(NUMBER,8)", "NUMBER > 0")},
        {tag("PARTY", "PARTY")},
        {tag("SOURCE", "SOURCE", "SOURCE > 0")}}},
      {"DOCLINE", 1,
       {{"DOCID I"}, {"LINENO N(4)"}, {"ARTICLE I"}, {"DESCR C(60)"}, {"QTY N(14,3)"},
        {"PRICE N(14,4)"}, {"DISC N(6,2)"}, {"VATCAT C(2)"}, {"VATRATE N(5,2)"}, {"NET N(14,2)"},
        {"TEXT M"}},
       {{tag("DOC", "STR(DOCID,10)+STR(LINENO,4)")}}},
      {"STOCKMOV", 1,
       {{"ID I AUTOINC"}, {"ARTICLE I"}, {"DOCID I"}, {"QTY N(14,3)"}, {"MOVEDATE D"},
        {"USERNAME C(20)"}},
       {{tag("ARTICLE", "ARTICLE")}, {tag("DOC", "DOCID")}}},
      // One record per document type and fiscal year: the next number, and (multi-user
      // numbering) the numbers of cancelled drafts waiting to be handed out again.
      {"NUMBERS", 1, {{"TYPE C(3)"}, {"YEAR N(4)"}, {"NEXT N(8)"}, {"FREE M"}},
       {{tag("TYPEYEAR", "TYPE+STR(YEAR,4)", "", true)}}},
      {"USERS", 1, {{"NAME C(20)"}, {"FULLNAME C(60)"}, {"ROLE C(10)"}},
       {{tag("NAME", "UPPER(NAME)", "", true)}}},
      // One record per seat; a running program holds the lock of its seat's record.
      {"SEATS", 1,
       {{"SLOT N(4)"}, {"USERNAME C(20)"}, {"WSTATION C(30)"}, {"PID N(10)"}, {"SINCE T"},
        {"BUSY C(60)"}},
       {}},
      {"AUDIT", 2,
       {{"ID I AUTOINC"}, {"WHEN T"}, {"USERNAME C(20)"}, {"WSTATION C(30)"}, {"ACTION C(12)"},
        {"DOCID I"}, {"TEXT C(120)"}},
       {{tag("DOC", "DOCID")}}},
  };
}

}  // namespace

const std::vector<TableDef>& dictionary() {
  static const std::vector<TableDef> d = build();
  return d;
}

const TableDef& table_def(std::string_view name) {
  for (const auto& t : dictionary())
    if (t.name == name) return t;
  throw std::invalid_argument("no table " + std::string(name) + " in the data dictionary");
}

std::vector<xbase::Field> fields_at(const TableDef& t, int version) {
  std::string spec;
  for (const auto& f : t.fields)
    if (f.since <= version) spec += (spec.empty() ? "" : ", ") + f.spec;
  return xbase::parse_field_list(spec);
}

}  // namespace invoicing::store
