#include "store/records.h"

#include "store/dictionary.h"

namespace invoicing::store {

using namespace fld;

Party party_from(const Row& r) {
  Party p;
  p.row = r.id;
  p.id = int32_t(r.integer(id));
  p.code = r.text(code);
  p.name = r.text(name);
  p.street = r.text(street);
  p.zip = r.text(zip);
  p.city = r.text(city);
  p.country = r.text(country);
  p.vat = r.text(vat);
  p.enterprise_no = r.text(enterprise_no);
  p.email = r.text(email);
  p.phone = r.text(phone);
  p.iban = r.text(iban);
  p.bic = r.text(bic);
  p.lang = r.text(lang);
  p.note = r.text(note);
  p.terms = int(r.integer(terms));
  p.terms_eom = r.flag(terms_eom);
  p.business = r.flag(business);
  p.renovation = r.flag(renovation);
  p.contractor = r.flag(contractor);
  p.archived = r.flag(archived);
  return p;
}

Row row_of(const Party& p) {
  Row r;
  r.text(code, p.code).text(name, p.name).text(street, p.street).text(zip, p.zip).text(city, p.city);
  r.text(country, p.country).text(vat, p.vat).text(enterprise_no, p.enterprise_no).text(email, p.email);
  r.text(phone, p.phone).text(iban, p.iban).text(bic, p.bic).text(lang, p.lang).text(note, p.note);
  r.integer(terms, p.terms).flag(business, p.business).flag(renovation, p.renovation);
  r.flag(contractor, p.contractor).flag(archived, p.archived).flag(terms_eom, p.terms_eom);
  return r;
}

Article article_from(const Row& r) {
  Article a;
  a.row = r.id;
  a.id = int32_t(r.integer(id));
  a.code = r.text(code);
  a.description = r.text(descr);
  a.unit = r.text(unit);
  a.vat_category = r.text(vat_category);
  a.kind = r.text(kind);
  a.note = r.text(note);
  a.price = r.dec(price);
  a.vat_rate = r.dec(vat_rate);
  a.stock = r.dec(stock);
  a.min_stock = r.dec(min_stock);
  a.stocked = r.flag(stocked);
  a.construction = r.flag(construction);
  a.archived = r.flag(archived);
  return a;
}

Row row_of(const Article& a) {
  Row r;
  r.text(code, a.code).text(descr, a.description).text(unit, a.unit).text(vat_category, a.vat_category);
  r.text(kind, a.kind).text(note, a.note).dec(price, a.price).dec(vat_rate, a.vat_rate).dec(stock, a.stock);
  r.dec(min_stock, a.min_stock).flag(stocked, a.stocked).flag(construction, a.construction);
  r.flag(archived, a.archived);
  return r;
}

Document document_from(const Row& r) {
  Document d;
  d.row = r.id;
  d.id = int32_t(r.integer(id));
  d.type = domain::doc_type_from_code(r.text(type)).value_or(domain::DocType::quote);
  d.year = int(r.integer(year));
  d.number = r.integer(number);
  d.status = domain::doc_status_from_code(r.text(status)).value_or(domain::DocStatus::draft);
  d.party = int32_t(r.integer(party));
  d.date = r.date(doc_date).value_or(xbase::Date{});
  d.due_date = r.date(due_date);
  d.ogm = r.text(ogm);
  d.customer_ref = r.text(customer_ref);
  d.source = int32_t(r.integer(source));
  d.total_excl = r.dec(total_excl);
  d.total_vat = r.dec(total_vat);
  d.total_incl = r.dec(total_incl);
  d.open = r.dec(open_amount);
  d.user = r.text(user);
  d.workstation = r.text(workstation);
  d.note = r.text(note);
  d.issued_to = {r.text(party_name), r.text(party_street), r.text(party_zip),
                 r.text(party_city), r.text(party_country), r.text(party_vat)};
  return d;
}

Row row_of(const Document& d) {
  Row r;
  r.text(type, domain::doc_type_code(d.type)).integer(year, d.year).integer(number, d.number);
  r.text(status, domain::doc_status_code(d.status)).integer(party, d.party).date(doc_date, d.date);
  r.date(due_date, d.due_date).text(ogm, d.ogm).text(customer_ref, d.customer_ref).integer(source, d.source);
  r.dec(total_excl, d.total_excl).dec(total_vat, d.total_vat).dec(total_incl, d.total_incl).dec(open_amount, d.open);
  r.text(user, d.user).text(workstation, d.workstation).text(note, d.note);
  r.text(party_name, d.issued_to.name).text(party_street, d.issued_to.street).text(party_zip, d.issued_to.zip);
  r.text(party_city, d.issued_to.city).text(party_country, d.issued_to.country).text(party_vat, d.issued_to.vat);
  return r;
}

Line line_from(const Row& r) {
  Line l;
  l.row = r.id;
  l.doc = int32_t(r.integer(doc_id));
  l.lineno = int(r.integer(line_no));
  l.article = int32_t(r.integer(article));
  l.description = r.text(descr);
  l.vat_category = r.text(vat_category);
  l.text = r.text(text);
  l.quantity = r.dec(quantity);
  l.price = r.dec(price);
  l.discount = r.dec(discount);
  l.vat_rate = r.dec(vat_rate);
  l.net = r.dec(net);
  l.kind = r.text(kind);
  l.domestic_rate = r.dec(domestic_rate);
  l.vat_rule = r.text(vat_rule);
  l.vat_override = r.flag(vat_override);
  l.exemption_reason = r.text(exemption_reason);
  return l;
}

Row row_of(const Line& l) {
  Row r;
  r.integer(doc_id, l.doc).integer(line_no, l.lineno).integer(article, l.article).text(descr, l.description);
  r.text(vat_category, l.vat_category).text(text, l.text).dec(quantity, l.quantity).dec(price, l.price);
  r.dec(discount, l.discount).dec(vat_rate, l.vat_rate).dec(net, l.net);
  r.text(kind, l.kind).dec(domestic_rate, l.domestic_rate).text(vat_rule, l.vat_rule).flag(vat_override, l.vat_override);
  r.text(exemption_reason, l.exemption_reason);
  return r;
}

StockMove stock_move_from(const Row& r) {
  StockMove m;
  m.row = r.id;
  m.id = int32_t(r.integer(id));
  m.article = int32_t(r.integer(article));
  m.doc = int32_t(r.integer(doc_id));
  m.quantity = r.dec(quantity);
  m.date = r.date(move_date);
  m.user = r.text(user);
  m.reason = r.text(reason);
  return m;
}

Row row_of(const StockMove& m) {
  Row r;
  r.integer(article, m.article).integer(doc_id, m.doc).dec(quantity, m.quantity).date(move_date, m.date);
  r.text(user, m.user).text(reason, m.reason);
  return r;
}

Payment payment_from(const Row& r) {
  Payment p;
  p.row = r.id;
  p.id = int32_t(r.integer(id));
  p.doc = int32_t(r.integer(doc_id));
  p.date = r.date(pay_date);
  p.amount = r.dec(amount);
  p.method = r.text(method);
  p.reference = r.text(reference);
  p.user = r.text(user);
  p.note = r.text(note);
  p.party = int32_t(r.integer(party));
  p.bank_ref = r.text(bank_ref);
  return p;
}

Row row_of(const Payment& p) {
  Row r;
  r.integer(doc_id, p.doc).date(pay_date, p.date).dec(amount, p.amount).text(method, p.method);
  r.text(reference, p.reference).text(user, p.user).text(note, p.note).integer(party, p.party);
  r.text(bank_ref, p.bank_ref);
  return r;
}

Reminder reminder_from(const Row& r) {
  Reminder m;
  m.row = r.id;
  m.id = int32_t(r.integer(id));
  m.doc = int32_t(r.integer(doc_id));
  m.level = int(r.integer(level));
  m.sent_on = r.date(sent_on);
  m.user = r.text(user);
  return m;
}

Row row_of(const Reminder& m) {
  Row r;
  r.integer(doc_id, m.doc).integer(level, m.level).date(sent_on, m.sent_on).text(user, m.user);
  return r;
}

}  // namespace invoicing::store
