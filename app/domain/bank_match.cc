#include "domain/bank_match.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "domain/document_label.h"
#include "domain/ogm.h"

namespace invoicing::domain {

namespace {

std::string compact(const std::string& s, bool alnum_only) {
  std::string r;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) continue;
    if (alnum_only && u < 0x80 && !std::isalnum(u)) continue;
    r += static_cast<char>(std::toupper(u));
  }
  return r;
}

std::string digits_of(const std::string& ogm) {
  std::string d;
  for (char c : ogm)
    if (c >= '0' && c <= '9') d += c;
  return d;
}

}  // namespace

std::string find_ogm(const std::string& text) {
  // The whole text first (a bare "123456789012" or a formatted reference), then each run of
  // digits that starts after a non-digit: 12 digits, or "ddd/dddd/ddddd" (with or without
  // the +++ or *** around it), ending before another digit.
  if (ogm_valid(text)) return digits_of(text);
  const auto digit = [&](size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  const auto digits_at = [&](size_t k, size_t n) {
    for (size_t m = 0; m < n; ++m)
      if (!digit(k + m)) return false;
    return true;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (!digit(i) || (i > 0 && digit(i - 1))) continue;
    std::string candidate;
    if (digits_at(i, 12) && !digit(i + 12)) {
      candidate = text.substr(i, 12);
    } else if (digits_at(i, 3) && i + 14 <= text.size() && text[i + 3] == '/' &&
               digits_at(i + 4, 4) && text[i + 8] == '/' && digits_at(i + 9, 5) && !digit(i + 14)) {
      candidate = digits_of(text.substr(i, 14));
    }
    if (!candidate.empty() && ogm_valid(candidate)) return candidate;
  }
  return {};
}

BankMatchResult match_bank_lines(const std::vector<BankLine>& lines,
                                 const std::vector<OpenInvoice>& invoices,
                                 const std::vector<CustomerIdentity>& customers) {
  BankMatchResult res;
  std::vector<Decimal> open;
  std::map<std::string, size_t> by_ogm;
  for (size_t i = 0; i < invoices.size(); ++i) {
    open.push_back(invoices[i].open);
    if (!invoices[i].ogm.empty()) {
      const std::string d = digits_of(invoices[i].ogm);
      if (ogm_valid(d)) by_ogm[d] = i;
    }
  }
  std::vector<std::optional<std::string>> why(lines.size());  // set when a line is decided
  std::vector<bool> done(lines.size(), false);
  const auto allocate = [&](size_t line, size_t inv, MatchedBy by) {
    const Decimal amount = lines[line].amount;
    BankMatch m;
    m.line = line;
    m.invoice = invoices[inv].doc;
    m.customer = invoices[inv].customer;
    m.by = by;
    m.amount = amount < open[inv] ? amount : open[inv];
    m.surplus = amount - m.amount;
    open[inv] -= m.amount;
    m.partial = open[inv].sign() > 0;
    res.matches.push_back(m);
    done[line] = true;
  };

  // Pass 1: debits out, and everything that carries an OGM.
  for (size_t i = 0; i < lines.size(); ++i) {
    const BankLine& l = lines[i];
    if (l.amount.sign() <= 0) {
      why[i] = fmt::format("a payment out ({}), not a customer paying", l.amount.to_string(2));
      done[i] = true;
      continue;
    }
    std::string ogm = find_ogm(l.structured_reference);
    if (ogm.empty()) ogm = find_ogm(l.free_text);
    if (ogm.empty()) continue;
    auto it = by_ogm.find(ogm);
    const std::string shown = ogm_from_number(std::stoull(ogm.substr(0, 10)));
    if (it == by_ogm.end()) {
      why[i] = fmt::format("structured communication {} belongs to no open invoice", shown);
      done[i] = true;
    } else if (open[it->second].sign() <= 0) {
      why[i] = fmt::format("structured communication {} is that of {}, which is paid already",
                           shown, document_label(invoices[it->second].doc));
      done[i] = true;
    } else {
      allocate(i, it->second, MatchedBy::ogm);
    }
  }

  // Pass 2: exact amount for the customer known by IBAN, else by name.
  for (size_t i = 0; i < lines.size(); ++i) {
    if (done[i]) continue;
    const BankLine& l = lines[i];
    const std::string iban = compact(l.counterparty_iban, true);
    const std::string name = compact(l.counterparty_name, false);
    const CustomerIdentity* who = nullptr;
    MatchedBy by = MatchedBy::amount_and_iban;
    if (!iban.empty()) {
      for (const CustomerIdentity& c : customers)
        for (const std::string& ib : c.ibans)
          if (compact(ib, true) == iban) who = &c;
    }
    if (!who && !name.empty()) {
      by = MatchedBy::amount_and_name;
      for (const CustomerIdentity& c : customers)
        if (compact(c.name, false) == name) who = &c;
    }
    if (!who) {
      why[i] = fmt::format(
          "no structured communication, and no customer with IBAN {} or name \"{}\"",
          l.counterparty_iban.empty() ? "(none)" : l.counterparty_iban, l.counterparty_name);
      continue;
    }
    std::vector<size_t> same;
    for (size_t k = 0; k < invoices.size(); ++k)
      if (invoices[k].customer == who->customer && open[k].sign() > 0 && open[k] == l.amount)
        same.push_back(k);
    if (same.size() == 1) {
      allocate(i, same[0], by);
    } else if (same.empty()) {
      why[i] = fmt::format("no structured communication, and no open invoice of {} for exactly {}",
                           who->customer, l.amount.to_string(2));
    } else {
      std::string list;
      for (size_t k : same) list += (list.empty() ? "" : ", ") + document_label(invoices[k].doc);
      why[i] = fmt::format("no structured communication, and {} open invoices of {} for {}: {}",
                           same.size(), who->customer, l.amount.to_string(2), list);
    }
  }
  for (size_t i = 0; i < lines.size(); ++i)
    if (why[i]) res.unmatched.push_back({i, *why[i]});
  std::stable_sort(res.matches.begin(), res.matches.end(),
                   [](const BankMatch& a, const BankMatch& b) { return a.line < b.line; });
  return res;
}

}  // namespace invoicing::domain
