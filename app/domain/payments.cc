#include "domain/payments.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "domain/document_label.h"

namespace invoicing::domain {

const char* invoice_status_name(InvoiceStatus s) {
  switch (s) {
    case InvoiceStatus::open:
      return "open";
    case InvoiceStatus::partly_paid:
      return "partly paid";
    case InvoiceStatus::paid:
      return "paid";
    case InvoiceStatus::overdue:
      return "overdue";
  }
  return "?";
}

namespace {
Decimal min(const Decimal& a, const Decimal& b) { return a < b ? a : b; }
}  // namespace

Checked<Ledger> build_ledger(const std::vector<LedgerDoc>& docs,
                             const std::vector<PaymentRecord>& payments, const Date& as_of) {
  using R = Checked<Ledger>;
  Ledger l;
  l.as_of = as_of;
  std::map<std::string, Decimal> credit;
  std::map<int64_t, size_t> by_id;  // invoice id → index in l.invoices
  std::vector<const LedgerDoc*> sorted;
  for (const LedgerDoc& d : docs)
    if (d.date <= as_of) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const LedgerDoc* a, const LedgerDoc* b) {
    if (a->date != b->date) return a->date < b->date;
    return a->doc.number < b->doc.number;
  });
  for (const LedgerDoc* d : sorted) {
    if (d->doc.type != DocType::invoice) continue;
    InvoiceState s;
    s.doc = d->doc;
    s.customer = d->customer;
    s.date = d->date;
    s.due = d->due;
    s.total = d->total;
    by_id[d->doc.id] = l.invoices.size();
    l.invoices.push_back(s);
  }
  // 1. Credit notes against the invoices they correct.
  for (const LedgerDoc* d : sorted) {
    if (d->doc.type != DocType::credit_note) continue;
    Decimal rest = d->total;
    if (d->corrects != 0) {
      auto it = by_id.find(d->corrects);
      if (it == by_id.end() || l.invoices[it->second].customer != d->customer)
        return R::refused(
            fmt::format("{} corrects a document that is not an invoice of customer {}",
                        document_label(d->doc), d->customer));
      InvoiceState& inv = l.invoices[it->second];
      const Decimal take = min(rest, inv.total - inv.credited);
      if (take.sign() > 0) {
        inv.credited += take;
        rest -= take;
      }
    }
    credit[d->customer] += rest;
  }
  // 2. Payments allocated to an invoice, in date order; 3. on account.
  std::vector<const PaymentRecord*> pays;
  for (const PaymentRecord& p : payments)
    if (p.date <= as_of) pays.push_back(&p);
  std::stable_sort(pays.begin(), pays.end(), [](auto* a, auto* b) { return a->date < b->date; });
  for (const PaymentRecord* p : pays) {
    Decimal rest = p->amount;
    if (p->invoice != 0) {
      auto it = by_id.find(p->invoice);
      if (it == by_id.end() || l.invoices[it->second].customer != p->customer)
        return R::refused(
            fmt::format("a payment of {} by {} on {} is allocated to a document that is "
                        "not an invoice of that customer",
                        p->amount.to_string(2), p->customer, to_iso(p->date)));
      InvoiceState& inv = l.invoices[it->second];
      if (rest.sign() > 0) {
        const Decimal take = min(rest, inv.total - inv.credited - inv.paid);
        if (take.sign() > 0) {
          inv.paid += take;
          rest -= take;
        }
      }
    }
    credit[p->customer] += rest;
  }
  for (InvoiceState& s : l.invoices) {
    s.open = s.total - s.credited - s.paid;
    const int64_t late = days_between(s.due, as_of);
    if (s.open.sign() <= 0) {
      s.status = InvoiceStatus::paid;
    } else if (late > 0) {
      s.status = InvoiceStatus::overdue;
      s.days_overdue = late;
    } else {
      s.status =
          (s.paid + s.credited).sign() > 0 ? InvoiceStatus::partly_paid : InvoiceStatus::open;
    }
  }
  for (auto& [customer, amount] : credit)
    if (!amount.is_zero()) l.credits.emplace_back(customer, amount);
  return R::of(std::move(l));
}

std::vector<CustomerOpenItems> open_items(const Ledger& ledger) {
  std::map<std::string, CustomerOpenItems> by;
  for (const InvoiceState& s : ledger.invoices) {
    if (s.open.sign() <= 0) continue;
    CustomerOpenItems& c = by[s.customer];
    c.customer = s.customer;
    c.items.push_back(s);
    Ageing& a = c.ageing;
    const int64_t late = s.days_overdue;
    (late <= 0    ? a.not_due
     : late <= 30 ? a.days_1_30
     : late <= 60 ? a.days_31_60
     : late <= 90 ? a.days_61_90
                  : a.over_90) += s.open;
  }
  for (const auto& [customer, amount] : ledger.credits) {
    CustomerOpenItems& c = by[customer];
    c.customer = customer;
    c.ageing.credit += amount;
  }
  std::vector<CustomerOpenItems> out;
  for (auto& [customer, c] : by) {
    c.balance = c.ageing.balance();
    out.push_back(std::move(c));
  }
  return out;
}

Ageing total_ageing(const std::vector<CustomerOpenItems>& customers) {
  Ageing t;
  for (const CustomerOpenItems& c : customers) {
    t.not_due += c.ageing.not_due;
    t.days_1_30 += c.ageing.days_1_30;
    t.days_31_60 += c.ageing.days_31_60;
    t.days_61_90 += c.ageing.days_61_90;
    t.over_90 += c.ageing.over_90;
    t.credit += c.ageing.credit;
  }
  return t;
}

std::string reminder_level_name(int level, std::string_view lang) {
  static const char* const kNames[][3] = {
      {"first reminder", "eerste herinnering", "premier rappel"},
      {"second reminder", "tweede herinnering", "deuxième rappel"},
      {"last reminder", "laatste herinnering", "dernier rappel"},
  };
  const int l = lang == "nl" || lang == "NL" ? 1 : (lang == "fr" || lang == "FR" ? 2 : 0);
  if (level < 1 || level > 3) return "reminder";
  return kNames[level - 1][l];
}

std::vector<ReminderDue> reminders_due(const Ledger& ledger, const std::vector<SentReminder>& sent,
                                       const ReminderSettings& s) {
  if (s.first_after_due_days < 0 || s.second_after_first_days < 0 || s.last_after_second_days < 0)
    throw std::invalid_argument("reminder intervals are not negative");
  std::map<int64_t, SentReminder> last;  // highest level sent per invoice
  for (const SentReminder& r : sent) {
    auto it = last.find(r.invoice);
    if (it == last.end() || r.level > it->second.level) last[r.invoice] = r;
  }
  std::vector<ReminderDue> out;
  for (const InvoiceState& inv : ledger.invoices) {
    if (inv.open.sign() <= 0) continue;
    auto it = last.find(inv.doc.id);
    int level = 1;
    Date since = add_days(inv.due, s.first_after_due_days);
    if (it != last.end()) {
      if (it->second.level >= 3) continue;
      level = it->second.level + 1;
      since = add_days(it->second.date,
                       level == 2 ? s.second_after_first_days : s.last_after_second_days);
    }
    // The first reminder only once the invoice is past due, even with a 0-day interval.
    if (ledger.as_of < since || ledger.as_of <= inv.due) continue;
    out.push_back({inv.customer, inv, level, since});
  }
  std::stable_sort(out.begin(), out.end(), [](const ReminderDue& a, const ReminderDue& b) {
    return a.customer < b.customer;
  });
  return out;
}

}  // namespace invoicing::domain
