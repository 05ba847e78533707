#include "store/payments.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "domain/document_label.h"
#include "domain/line_rules.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/dates.h"
#include "store/document_records.h"
#include "store/open_amounts.h"
#include "store/documents.h"
#include "store/field_rules.h"
#include "store/parties.h"
#include "store/settings.h"

using xbase::Value;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;

namespace invoicing::store {

namespace {

bool later(const xbase::Date& a, const xbase::Date& b) { return xbase::julian_day(a) > xbase::julian_day(b); }

std::map<int32_t, Party> customers_by_id(Company& c) {
  std::map<int32_t, Party> out;
  for (auto& p : Parties(c, PartyKind::customer).all()) out[p.id] = p;
  return out;
}

domain::LedgerDoc ledger_doc(const Document& d, std::string customer) {
  domain::LedgerDoc x;
  x.doc = ref_of(d);
  x.customer = std::move(customer);
  x.date = to_domain(d.date);
  x.due = to_domain(d.due_date.value_or(d.date));
  x.total = d.total_incl;
  return x;
}

std::vector<Payment> payments_of(Storage& s, int32_t doc) {
  std::vector<Payment> out;
  s.range(Tbl::payment, "DOC", {Value::integer(doc)}, [&](const Row& r) {
    out.push_back(payment_from(r));
    return true;
  });
  return out;
}

}  // namespace

const std::vector<std::string>& payment_methods() {
  static const std::vector<std::string> m = {"transfer", "cash", "card", "debit", "other"};
  return m;
}

domain::Decimal Payments::open_amount(const Document& inv) {
  Document d = inv;
  d.type = DocType::invoice;  // asked of a final invoice only
  d.status = DocStatus::final;
  return computed_open_amount(c_.storage(), d);
}

Payment Payments::add(const PaymentInput& in) {
  Storage& s = c_.storage();
  Document d = document_by_id(s, in.doc);
  Payment p;
  p.doc = d.id;
  p.amount = typed_decimal(in.amount, "an amount");
  require(domain::check_field(p.amount, {"an amount", 2, 14}));
  if (p.amount.sign() <= 0) throw UserError(fmt::format("a payment's amount is positive, not {}", p.amount.to_string()));
  p.amount = p.amount.round(2);
  p.date = in.date.value_or(today());
  if (later(*p.date, today())) throw UserError(fmt::format("a payment is dated today ({}) at the latest, not {}", iso(today()), iso(*p.date)));
  if (std::find(payment_methods().begin(), payment_methods().end(), in.method) == payment_methods().end())
    throw UserError(fmt::format("a payment method is transfer, cash, card, debit or other, not \"{}\"", in.method));
  p.method = in.method;
  p.reference = checked_text(Tbl::payment, fld::reference, in.reference, "a payment's reference");
  p.note = checked_text(Tbl::payment, fld::note, in.note, "a payment's note");
  p.user = c_.who().user;
  Action a(s);
  d = lock_document(c_, d);
  const std::string what = Documents::label(d);
  if (d.type != DocType::invoice && d.type != DocType::credit_note)
    throw UserError(fmt::format("{} is not paid: payments are kept for invoices (and refunds for credit notes)", what));
  if (d.status != DocStatus::final)
    throw UserError(fmt::format("{} is {}: only a final document is paid", what, domain::doc_status_name(d.status)));
  if (later(d.date, *p.date))
    throw UserError(fmt::format("{} is dated {}; a payment for it is dated that day or later, not {}", what,
                                iso(d.date), iso(*p.date)));
  p.party = d.party;
  if (d.type == DocType::invoice) {
    domain::Decimal open = open_amount(d);
    if (open.is_zero()) throw UserError(fmt::format("{} is paid (or credited) in full", what));
    if (p.amount > open)
      throw UserError(fmt::format("{} has {} left to pay; a payment of {} is more (record at most {})", what,
                                  open.to_string(2), p.amount.to_string(2), open.to_string(2)));
  } else {
    // A refund pays out what the credit note left as the customer's credit.
    auto l = ledger(xbase::from_julian_day(xbase::julian_day(today()) + 36600));
    auto code = customers_by_id(c_)[d.party].code;
    domain::Decimal credit;
    for (const auto& [cust, amount] : l.credits)
      if (cust == code) credit = amount;
    if (p.amount > credit)
      throw UserError(fmt::format("customer {} has a credit of {}; a refund of {} is more", code,
                                  credit.to_string(2), p.amount.to_string(2)));
  }
  // What is left to pay, in the same action (DOC before PAYMENT: the tables' order).
  if (d.type == DocType::invoice) store_open_amount(s, d, computed_open_amount(s, d) - p.amount);
  Row r = row_of(p);
  s.insert(Tbl::payment, r);
  p.row = r.id;
  p.id = int32_t(r.integer(fld::id));
  audit(c_, "PAYMENT", d.id, fmt::format("{} {} {} on {}", d.type == DocType::invoice ? "paid" : "refunded",
                                         p.amount.to_string(2), what, iso(*p.date)));
  a.commit();
  return p;
}

void Payments::remove(int32_t id) {
  Storage& s = c_.storage();
  auto r = s.find(Tbl::payment, "ID", {Value::integer(id)});
  if (!r) throw NotFound(fmt::format("no payment with id {}", id));
  Action a(s);
  // The invoice's lock first (as a payment added takes it): its open amount changes too.
  std::optional<Document> inv;
  if (int32_t doc = int32_t(r->integer(fld::doc_id)))
    if (auto dr = s.find(Tbl::doc, "ID", {Value::integer(doc)})) inv = lock_document(c_, document_from(*dr));
  s.lock(Tbl::payment, r->id, c_.lock_wait());
  r = s.get(Tbl::payment, r->id);
  if (!r) throw UserError(fmt::format("payment {} was deleted by another workstation", id));
  Payment p = payment_from(*r);
  if (inv && inv->type == DocType::invoice) store_open_amount(s, *inv, computed_open_amount(s, *inv, p.row));
  s.remove(Tbl::payment, p.row);
  std::string doc = "on account";
  if (p.doc)
    if (auto d = s.find(Tbl::doc, "ID", {Value::integer(p.doc)})) doc = Documents::label(document_from(*d));
  audit(c_, "PAYDELETE", p.doc, fmt::format("payment {} of {} ({}) on {} deleted", p.id, p.amount.to_string(2), doc,
                                            iso(p.date)));
  a.commit();
}

std::vector<PaymentView> Payments::list(std::optional<int32_t> doc) {
  Storage& s = c_.storage();
  if (doc) return list_of(document_by_id(s, *doc));
  std::vector<Payment> ps;
  s.scan(Tbl::payment, [&](const Row& r) {
    ps.push_back(payment_from(r));
    return true;
  });
  return views(std::move(ps), nullptr, true);
}

std::vector<PaymentView> Payments::list_of(const Document& d, bool parties) {
  return views(payments_of(c_.storage(), d.id), &d, parties);
}

// Oldest first, each with its document's label and its customer. The customers are read all at
// once for the whole ledger, one by one for a document's few (issue 30: a document's page read
// every customer, also for an invoice without payments); `d`: every payment's document.
std::vector<PaymentView> Payments::views(std::vector<Payment> ps, const Document* d, bool parties) {
  Storage& s = c_.storage();
  std::stable_sort(ps.begin(), ps.end(), [](const Payment& a, const Payment& b) {
    int ja = a.date ? xbase::julian_day(*a.date) : 0, jb = b.date ? xbase::julian_day(*b.date) : 0;
    return ja != jb ? ja < jb : a.id < b.id;
  });
  std::map<int32_t, Party> all;                     // the whole ledger's customers
  std::map<int32_t, std::optional<Party>> by_id;  // a document's few, a missing one once
  if (parties && !d && !ps.empty()) all = customers_by_id(c_);
  std::vector<PaymentView> out;
  for (const auto& p : ps) {
    PaymentView v{p, "", "", ""};
    if (d)
      v.doc_label = Documents::label(*d);
    else if (p.doc)
      if (auto row = s.find(Tbl::doc, "ID", {Value::integer(p.doc)})) v.doc_label = Documents::label(document_from(*row));
    const Party* party = nullptr;
    if (parties && d) {
      auto it = by_id.find(p.party);
      if (it == by_id.end()) it = by_id.emplace(p.party, Parties(c_, PartyKind::customer).by_id(p.party)).first;
      if (it->second) party = &*it->second;
    } else if (auto it = all.find(p.party); it != all.end()) {
      party = &it->second;
    }
    if (party) {
      v.party_code = party->code;
      v.party_name = party->name;
    }
    out.push_back(std::move(v));
  }
  return out;
}

domain::Ledger Payments::ledger(const xbase::Date& as_of) { return build(as_of); }

domain::Ledger Payments::ledger(const xbase::Date& as_of, const std::map<int32_t, Party>& customers) {
  return build(as_of, &customers);
}

domain::Ledger Payments::ledger(const xbase::Date& as_of, const std::map<int32_t, Party>& customers,
                                const std::vector<Document>& every_document) {
  return build(as_of, &customers, false, &every_document);
}

std::map<int32_t, domain::InvoiceState> Payments::invoice_states(const xbase::Date& as_of) {
  std::map<int32_t, domain::InvoiceState> out;
  for (const auto& st : build(as_of, nullptr, true).invoices) out[int32_t(st.doc.id)] = st;
  return out;
}

domain::Ledger Payments::build(const xbase::Date& as_of, const std::map<int32_t, Party>* known, bool by_id,
                               const std::vector<Document>* given) {
  Storage& s = c_.storage();
  std::map<int32_t, Party> read;
  if (!known && !by_id) read = customers_by_id(c_);
  const std::map<int32_t, Party>& customers = known ? *known : read;
  auto code_of = [&](int32_t id) {
    if (by_id) return std::to_string(id);
    auto it = customers.find(id);
    return it == customers.end() ? std::string() : it->second.code;
  };
  std::map<int32_t, Document> docs;
  auto keep = [&](const Document& d) {
    if ((d.type == DocType::invoice || d.type == DocType::credit_note) && d.status == DocStatus::final)
      docs[d.id] = d;
  };
  if (given) {
    for (const Document& d : *given) keep(d);
  } else {
    // Every document: only the fields a ledger needs (no memo, no address: a folder backend
    // reads no memo file for them).
    s.scan_fields(Tbl::doc,
                  {fld::id, fld::type, fld::year, fld::number, fld::status, fld::party, fld::doc_date, fld::due_date,
                   fld::total_incl, fld::source},
                  [&](const Row& r) {
                    keep(document_from(r));
                    return true;
                  });
  }
  std::vector<domain::LedgerDoc> ld;
  for (const auto& [id, d] : docs) {
    domain::LedgerDoc x = ledger_doc(d, code_of(d.party));
    if (d.type == DocType::credit_note && d.source) {
      auto src = docs.find(d.source);
      if (src != docs.end() && src->second.type == DocType::invoice) x.corrects = d.source;
    }
    ld.push_back(x);
  }
  std::vector<domain::PaymentRecord> pr;
  s.scan_fields(Tbl::payment, {fld::id, fld::doc_id, fld::party, fld::pay_date, fld::amount}, [&](const Row& r) {
    Payment p = payment_from(r);
    if (!p.date) return true;
    domain::PaymentRecord x{code_of(p.party), to_domain(*p.date), p.amount, 0};
    if (p.doc) {
      auto d = docs.find(p.doc);
      if (d == docs.end()) return true;  // verify names it
      x.customer = code_of(d->second.party);
      if (d->second.type == DocType::invoice) x.invoice = p.doc;
      else x.amount = -p.amount;  // a refund paid out on a credit note
    }
    pr.push_back(x);
    return true;
  });
  auto l = domain::build_ledger(ld, pr, to_domain(as_of));
  if (!l) throw UserError(l.verdict.reason + " (invoicing verify lists what is wrong)");
  return *l.value;
}

std::optional<domain::InvoiceState> Payments::state(const Document& inv, const xbase::Date& as_of,
                                                    const std::string& customer) {
  if (inv.type != DocType::invoice || inv.status != DocStatus::final) return std::nullopt;
  Storage& s = c_.storage();
  std::vector<domain::LedgerDoc> ld = {ledger_doc(inv, customer)};
  // Its final credit notes. One of another customer (a damaged link, which `invoicing verify`
  // names) is left out: it is not in this customer's ledger.
  for (const auto& ch : children(s, inv.id)) {
    if (ch.type != DocType::credit_note || ch.status != DocStatus::final || ch.party != inv.party) continue;
    ld.push_back(ledger_doc(ch, customer));
    ld.back().corrects = inv.id;
  }
  std::vector<domain::PaymentRecord> pr;
  for (const auto& p : payments_of(s, inv.id))
    if (p.date) pr.push_back({customer, to_domain(*p.date), p.amount, inv.id});
  auto l = domain::build_ledger(ld, pr, to_domain(as_of));
  if (!l) throw UserError(l.verdict.reason + " (invoicing verify lists what is wrong)");
  for (const auto& st : l.value->invoices)
    if (st.doc.id == inv.id) return st;
  return std::nullopt;  // dated after as_of
}

std::vector<domain::CustomerOpenItems> Payments::open_items(const xbase::Date& as_of, const std::string& customer) {
  std::string code;
  if (!customer.empty()) code = Parties(c_, PartyKind::customer).get(customer).code;
  auto all = domain::open_items(ledger(as_of));
  if (code.empty()) return all;
  std::vector<domain::CustomerOpenItems> out;
  for (auto& c : all)
    if (c.customer == code) out.push_back(std::move(c));
  return out;
}

std::vector<Reminder> Payments::sent(int32_t invoice) {
  std::vector<Reminder> out;
  c_.storage().range(Tbl::reminder, "DOC", {Value::integer(invoice)}, [&](const Row& r) {
    out.push_back(reminder_from(r));
    return true;
  });
  return out;
}

std::vector<ReminderView> Payments::reminders(const xbase::Date& as_of) {
  std::vector<domain::SentReminder> sent_list;
  c_.storage().scan(Tbl::reminder, [&](const Row& r) {
    Reminder m = reminder_from(r);
    if (m.sent_on) sent_list.push_back({m.doc, m.level, to_domain(*m.sent_on)});
    return true;
  });
  std::map<std::string, Party> by_code;
  for (auto& [id, p] : customers_by_id(c_)) by_code[p.code] = p;
  std::vector<ReminderView> out;
  for (auto& due : domain::reminders_due(ledger(as_of), sent_list, reminder_settings(c_))) {
    const Party& p = by_code[due.customer];
    ReminderView v{due, domain::document_label(due.invoice.doc, p.lang), p.name, p.lang};
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<ReminderView> Payments::record_reminders(const xbase::Date& as_of) {
  Storage& s = c_.storage();
  std::vector<ReminderView> out;
  for (auto& v : reminders(as_of)) {
    Action a(s);
    Document inv = lock_document(c_, document_by_id(s, int32_t(v.due.invoice.doc.id)));
    int level = 0;
    for (const auto& m : sent(inv.id)) level = std::max(level, m.level);
    if (level >= v.due.level) continue;  // another workstation recorded it meanwhile
    Reminder m;
    m.doc = inv.id;
    m.level = v.due.level;
    m.sent_on = as_of;
    m.user = c_.who().user;
    Row r = row_of(m);
    s.insert(Tbl::reminder, r);
    audit(c_, "REMINDER", inv.id, fmt::format("{} for {} sent {}", domain::reminder_level_name(m.level, "en"),
                                              Documents::label(inv), iso(as_of)));
    a.commit();
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace invoicing::store
