#include "store/bank_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "bank/camt053.h"
#include "bank/coda.h"
#include "domain/bank_match.h"
#include "domain/document_label.h"
#include "domain/ogm.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/dates.h"
#include "store/document_records.h"
#include "store/open_amounts.h"
#include "store/documents.h"
#include "store/field_rules.h"
#include "store/parties.h"
#include "store/payments.h"

using xbase::Value;

namespace invoicing::store {

namespace {

std::vector<bank::Statement> parse(const std::string& bytes, const std::string& file_name) {
  size_t i = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  try {
    if (i != std::string::npos && bytes[i] == '<') return bank::parse_camt053(bytes, file_name);
    return bank::parse_coda(bytes, file_name);
  } catch (const bank::StatementError& e) {
    throw UserError(fmt::format("{} (a bank statement is a CODA file or a camt.053 XML file)", e.what()));
  }
}

std::string compact(const std::string& s) {
  std::string out;
  for (char ch : s)
    if (!std::isspace(static_cast<unsigned char>(ch))) out += char(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

// 64-bit FNV-1a: a short, stable key for a statement line (BANKREF), not a secret.
std::string line_key(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

const char* by_name(domain::MatchedBy b) {
  switch (b) {
    case domain::MatchedBy::ogm: return "structured communication";
    case domain::MatchedBy::amount_and_iban: return "amount and IBAN";
    case domain::MatchedBy::amount_and_name: return "amount and name";
  }
  return "?";
}

struct StatementLine {
  const bank::Statement* st;
  const bank::Transaction* tx;
  std::string key;
};

}  // namespace

BankImportResult import_bank_statement(Company& c, const std::string& bytes, const std::string& file_name,
                                       bool dry_run) {
  Storage& s = c.storage();
  auto statements = parse(bytes, file_name);
  BankImportResult res;
  res.statements = statements.size();
  res.recorded = !dry_run;
  if (!statements.empty()) res.format = statements.front().format;
  // Every line with its key; lines imported before are set aside.
  std::vector<StatementLine> fresh;
  std::map<std::string, int> seen;
  for (const auto& st : statements)
    for (const auto& tx : st.transactions) {
      ++res.lines;
      std::string ref = domain::find_ogm(tx.structured_reference);
      if (ref.empty()) ref = compact(tx.structured_reference.empty() ? tx.free_text : tx.structured_reference);
      std::string id = fmt::format("{}|{}|{}|{}|{}", compact(st.account), domain::to_iso(tx.booking_date),
                                   tx.amount.to_string(2), compact(tx.counterparty_iban), ref);
      id += fmt::format("|{}", seen[id]++);
      StatementLine sl{&st, &tx, line_key(id)};
      BankLineOutcome o;
      o.where = fmt::format("statement {}, {}", st.sequence.empty() ? "-" : st.sequence, tx.source);
      o.booked = domain::to_iso(tx.booking_date);
      o.amount = tx.amount;
      o.counterparty = tx.counterparty_name;
      if (s.find(Tbl::payment, "BANKREF", {Value::text(sl.key)})) {
        o.why = "imported before";
        res.already.push_back(o);
      } else {
        fresh.push_back(sl);
      }
    }
  // The invoices (paid ones too, so a second payment of one is named as such) and the
  // customers as the bank knows them.
  Payments payments(c);
  auto ledger = payments.ledger(xbase::from_julian_day(xbase::julian_day(today()) + 36600));
  std::map<int64_t, Document> invoices;
  std::vector<domain::OpenInvoice> open;
  for (const auto& st : ledger.invoices) {
    Document d = document_by_id(s, int32_t(st.doc.id));
    invoices[d.id] = d;
    open.push_back({st.doc, st.customer, st.open, d.ogm});
  }
  std::vector<domain::CustomerIdentity> customers;
  std::map<std::string, Party> by_code;
  for (const auto& p : Parties(c, PartyKind::customer).all()) {
    customers.push_back({p.code, p.name, p.iban.empty() ? std::vector<std::string>{} : std::vector<std::string>{p.iban}});
    by_code[p.code] = p;
  }
  std::vector<domain::BankLine> lines;
  for (const auto& sl : fresh)
    lines.push_back({sl.tx->amount, sl.tx->counterparty_name, sl.tx->counterparty_iban, sl.tx->structured_reference,
                     sl.tx->free_text});
  auto result = domain::match_bank_lines(lines, open, customers);
  auto outcome = [&](size_t i) {
    BankLineOutcome o;
    const auto& sl = fresh[i];
    o.where = fmt::format("statement {}, {}", sl.st->sequence.empty() ? "-" : sl.st->sequence, sl.tx->source);
    o.booked = domain::to_iso(sl.tx->booking_date);
    o.amount = sl.tx->amount;
    o.counterparty = sl.tx->counterparty_name;
    return o;
  };
  for (const auto& u : result.unmatched) {
    BankLineOutcome o = outcome(u.line);
    o.why = u.why;
    res.unmatched.push_back(o);
  }
  for (const auto& m : result.matches) {
    BankLineOutcome o = outcome(m.line);
    const auto& sl = fresh[m.line];
    Document inv = invoices.at(m.invoice.id);
    o.invoice = Documents::label(inv);
    o.customer = m.customer;
    o.by = by_name(m.by);
    o.paid = m.amount;
    o.surplus = m.surplus;
    if (xbase::julian_day(inv.date) > xbase::julian_day(to_xbase(sl.tx->booking_date))) {
      o.why = fmt::format("booked {}, before {} is dated ({})", o.booked, o.invoice, iso(inv.date));
      res.unmatched.push_back(o);
      continue;
    }
    if (!dry_run) {
      // One action per line, under the invoice's lock: what is open now (another workstation
      // may have recorded a payment since the match) gets paid, the rest goes on account.
      Action a(s);
      inv = lock_document(c, inv);
      if (s.find(Tbl::payment, "BANKREF", {Value::text(sl.key)})) {
        o.why = "imported meanwhile by another workstation";
        res.already.push_back(o);
        continue;
      }
      domain::Decimal open_now = payments.open_amount(inv);
      o.paid = sl.tx->amount < open_now ? sl.tx->amount : open_now;
      o.surplus = sl.tx->amount - o.paid;
      Payment p;
      p.party = inv.party;
      p.date = to_xbase(sl.tx->booking_date);
      p.method = "transfer";
      std::string ref = domain::find_ogm(sl.tx->structured_reference);
      p.reference = fitted_text(Tbl::payment, fld::reference,
                                !ref.empty() ? domain::ogm_from_number(std::stoull(ref.substr(0, 10)))
                                             : sl.tx->free_text);
      p.note = fitted_text(Tbl::payment, fld::note, fmt::format("{} {} ({})", file_name, o.where, o.counterparty));
      p.user = c.who().user;
      p.bank_ref = sl.key;
      // What is left to pay, in this action (DOC before PAYMENT: the tables' order).
      if (o.paid.sign() > 0) store_open_amount(s, inv, open_now - o.paid);
      if (o.paid.sign() > 0) {
        p.doc = inv.id;
        p.amount = o.paid;
        Row r = row_of(p);
        s.insert(Tbl::payment, r);
      }
      if (o.surplus.sign() > 0) {  // on account: a credit for the customer
        p.doc = 0;
        p.amount = o.surplus;
        Row r = row_of(p);
        s.insert(Tbl::payment, r);
      }
      audit(c, "BANK", inv.id, fmt::format("{} paid {} ({}){}", o.invoice, o.paid.to_string(2), o.where,
                                           o.surplus.sign() > 0 ? ", " + o.surplus.to_string(2) + " on account" : ""));
      a.commit();
    }
    res.matched.push_back(o);
  }
  return res;
}

}  // namespace invoicing::store
