#include "domain/payment_terms.h"

#include <fmt/format.h>

#include <cctype>
#include <stdexcept>

namespace invoicing::domain {

Verdict check_payment_terms(const PaymentTerms& t) {
  if (t.days < 0 || t.days > 365)
    return Verdict::refuse(fmt::format("payment terms are 0 to 365 days, not {}", t.days));
  return Verdict::allow();
}

Date due_date(const Date& invoice_date, const PaymentTerms& t) {
  if (!check_payment_terms(t)) throw std::invalid_argument(check_payment_terms(t).reason);
  const Date from = t.end_of_month ? end_of_month(invoice_date) : invoice_date;
  return add_days(from, t.days);
}

Checked<PaymentTerms> parse_payment_terms(std::string_view text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  PaymentTerms t;
  for (std::string_view prefix : {"endofmonth+", "eom+"}) {
    if (s.rfind(prefix, 0) == 0) {
      t.end_of_month = true;
      s.erase(0, prefix.size());
      break;
    }
  }
  if (s.size() > 4 && s.compare(s.size() - 4, 4, "days") == 0) s.erase(s.size() - 4);
  const auto bad = [&] {
    return Checked<PaymentTerms>::refused(
        fmt::format("payment terms \"{}\" are not understood", text),
        "write a number of days (\"30\") or the end of the month plus days (\"EOM+30\")");
  };
  if (s.empty() || s.size() > 3) return bad();
  t.days = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return bad();
    t.days = t.days * 10 + (c - '0');
  }
  Verdict v = check_payment_terms(t);
  if (!v) return Checked<PaymentTerms>::refused(v);
  return Checked<PaymentTerms>::of(t);
}

std::string describe(const PaymentTerms& t) {
  return t.end_of_month ? fmt::format("end of month + {} days", t.days)
                        : fmt::format("{} days", t.days);
}

}  // namespace invoicing::domain
