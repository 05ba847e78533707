// The data dictionary: every table of a company's data, its fields, its indexes, and the
// schema version each appeared in. Code names tables by `Tbl` and fields by the constants in
// `fld`, never by position or by a string written elsewhere: a typo does not compile, and a
// field added here shifts nothing. The storage backends derive what they need from it (the
// folder backend: DBF fields and CDX tags; the PostgreSQL one: columns and indexes).
//
// Opening data of an older version upgrades it to this one; a newer one is refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xbase/schema.h"

namespace invoicing::store {

// Version 1: the first release. Version 2: articles have a minimum stock, and finalizations,
// cancellations and conversions are written to an audit log. Version 3: parties carry their
// enterprise number, IBAN, VAT status and an archive flag; articles their kind; documents the
// customer's reference and, once final, the customer as it was then; lines their VAT decision;
// payments (with the bank line they came from); reminders sent; stock moves with a reason;
// indexes declared by fields. Version 4: what was delivered to the accounting folders (DELIVERY).
// Version 5: documents indexed by status and by type (drafts and lists of one type without
// reading every document).
// Version 6: the suppliers' e-invoices imported as purchase invoices (PURCHIMP).
// Version 7: a final invoice keeps what is left to pay (OPENAMT, set by every action that
// changes it), indexed by due date: the dashboard counts open and overdue invoices by it.
// Version 8: the files a company keeps beside its tables (layouts, import profiles, purchase
// originals) go through the store: a database keeps them in its company_file table (a data
// folder keeps them where it did; only its version changes).
inline constexpr int kSchemaVersion = 8;

// In the dictionary's order, which is also the order in which every action writes tables
// (see storage.h): the numbering before what it numbers, articles before the documents that
// move them.
enum class Tbl {
  schema, settings, numbers, customer, supplier, article, doc, docline, stockmov, payment, reminder,
  users, seats, audit, delivery, purchimp
};

// Field names, shared by every table that has the field.
namespace fld {
#define INVOICING_FIELD(name, text) inline constexpr std::string_view name = text
INVOICING_FIELD(id, "ID");
INVOICING_FIELD(name, "NAME");
INVOICING_FIELD(version, "VERSION");
INVOICING_FIELD(updated, "UPDATED");
INVOICING_FIELD(program, "PROGRAM");
INVOICING_FIELD(key, "KEY");
INVOICING_FIELD(value, "VALUE");
INVOICING_FIELD(note, "NOTE");
INVOICING_FIELD(code, "CODE");
INVOICING_FIELD(street, "STREET");
INVOICING_FIELD(zip, "ZIP");
INVOICING_FIELD(city, "CITY");
INVOICING_FIELD(country, "COUNTRY");
INVOICING_FIELD(vat, "VAT");
INVOICING_FIELD(enterprise_no, "ENTNO");
INVOICING_FIELD(email, "EMAIL");
INVOICING_FIELD(phone, "PHONE");
INVOICING_FIELD(iban, "IBAN");
INVOICING_FIELD(bic, "BIC");
INVOICING_FIELD(terms, "TERMS");
INVOICING_FIELD(terms_eom, "TERMSEOM");  // payment terms count from the end of the month
INVOICING_FIELD(lang, "LANG");
INVOICING_FIELD(business, "BUSINESS");
INVOICING_FIELD(renovation, "RENOV");
INVOICING_FIELD(contractor, "CONTRACTR");
INVOICING_FIELD(archived, "ARCHIVED");
INVOICING_FIELD(descr, "DESCR");
INVOICING_FIELD(unit, "UNIT");
INVOICING_FIELD(price, "PRICE");
INVOICING_FIELD(vat_category, "VATCAT");
INVOICING_FIELD(vat_rate, "VATRATE");
INVOICING_FIELD(stocked, "STOCKED");
INVOICING_FIELD(stock, "STOCK");
INVOICING_FIELD(min_stock, "MINSTOCK");
INVOICING_FIELD(kind, "KIND");
INVOICING_FIELD(construction, "CONSTR");
INVOICING_FIELD(type, "TYPE");
INVOICING_FIELD(year, "YEAR");
INVOICING_FIELD(number, "NUMBER");
INVOICING_FIELD(status, "STATUS");
INVOICING_FIELD(party, "PARTY");
INVOICING_FIELD(doc_date, "DOCDATE");
INVOICING_FIELD(due_date, "DUEDATE");
INVOICING_FIELD(ogm, "REF");        // a document's structured payment reference (OGM)
INVOICING_FIELD(reference, "REF");  // a payment's reference (what the bank statement said)
INVOICING_FIELD(customer_ref, "CUSTREF");
INVOICING_FIELD(source, "SOURCE");
// The customer (or supplier) as the final document was issued to.
INVOICING_FIELD(party_name, "PNAME");
INVOICING_FIELD(party_street, "PSTREET");
INVOICING_FIELD(party_zip, "PZIP");
INVOICING_FIELD(party_city, "PCITY");
INVOICING_FIELD(party_country, "PCOUNTRY");
INVOICING_FIELD(party_vat, "PVAT");
INVOICING_FIELD(total_excl, "TOTEXCL");
INVOICING_FIELD(total_vat, "TOTVAT");
INVOICING_FIELD(total_incl, "TOTINCL");
INVOICING_FIELD(open_amount, "OPENAMT");  // a final invoice: left to pay (store/open_amounts.h)
INVOICING_FIELD(user, "USERNAME");
INVOICING_FIELD(workstation, "WSTATION");
INVOICING_FIELD(doc_id, "DOCID");
INVOICING_FIELD(line_no, "LINENO");
INVOICING_FIELD(article, "ARTICLE");
INVOICING_FIELD(quantity, "QTY");
INVOICING_FIELD(discount, "DISC");
INVOICING_FIELD(net, "NET");
INVOICING_FIELD(text, "TEXT");
INVOICING_FIELD(domestic_rate, "DOMRATE");    // the rate the line has at home (article's or typed)
INVOICING_FIELD(vat_rule, "VATRULE");          // why the line got its VAT (store/line_vat.h)
INVOICING_FIELD(vat_override, "VATOVR");       // the user chose category and rate
INVOICING_FIELD(exemption_reason, "EXREASON");  // BT-120 as decided when the line was saved
INVOICING_FIELD(move_date, "MOVEDATE");
INVOICING_FIELD(reason, "REASON");
INVOICING_FIELD(next, "NEXT");
INVOICING_FIELD(free, "FREE");
INVOICING_FIELD(last_date, "LASTDATE");
INVOICING_FIELD(pay_date, "PAYDATE");
INVOICING_FIELD(amount, "AMOUNT");
INVOICING_FIELD(method, "METHOD");
INVOICING_FIELD(bank_ref, "BANKREF");  // the bank statement line a payment was imported from
INVOICING_FIELD(level, "LEVEL");
INVOICING_FIELD(sent_on, "SENTON");
INVOICING_FIELD(full_name, "FULLNAME");
INVOICING_FIELD(role, "ROLE");
INVOICING_FIELD(slot, "SLOT");
INVOICING_FIELD(pid, "PID");
INVOICING_FIELD(since, "SINCE");
INVOICING_FIELD(busy, "BUSY");
INVOICING_FIELD(when, "WHEN");
INVOICING_FIELD(action, "ACTION");
INVOICING_FIELD(target, "TARGET");  // a delivery target's name (delivery/targets.h)
INVOICING_FIELD(file, "FILE");
INVOICING_FIELD(sha256, "SHA256");
INVOICING_FIELD(kept, "KEPT");  // where an imported e-invoice's files are kept in the data folder
#undef INVOICING_FIELD
}  // namespace fld

struct FieldDef {
  std::string spec;  // xbase field notation: "NAME C(60)"
  int since = 1;
  int until = 0;     // the last version that had it (0: still there)
};

// One part of an index key: a field, compared case-insensitively when `upper` (codes and
// names are found however they were typed).
struct IndexPart {
  std::string_view field;
  bool upper = false;
};

// An index: lookups and ordered ranges by the values of its leading fields. `unique`: no two
// records share the key (the store checks it under the table's lock; the folder backend also
// makes the tag CANDIDATE for other xBase programs' sake). `skip_zero`: records whose last
// part is 0 or blank are left out (documents without a number).
struct IndexDef {
  std::string name;
  std::vector<IndexPart> parts;
  bool unique = false;
  bool skip_zero = false;
  int since = 1;
};

struct TableDef {
  Tbl id;
  std::string name;  // file name without extension, upper case
  int since = 1;
  std::vector<FieldDef> fields;
  std::vector<IndexDef> indexes;
};

const std::vector<TableDef>& dictionary();
const TableDef& table_def(Tbl t);
const TableDef& table_def(std::string_view name);
const IndexDef& index_def(Tbl t, std::string_view index);
// The table's fields as of a schema version (for creating it, or an older folder in tests).
std::vector<xbase::Field> fields_at(const TableDef& t, int version);
// The field as the dictionary declares it now; nullptr when the table has no such field.
const xbase::Field* field_def(Tbl t, std::string_view field);

}  // namespace invoicing::store
