// How every business rule in app/domain answers: one convention for the whole folder.
//
// A rule that can refuse returns a Verdict (or a Checked<T> when it also computes a value):
// ok, or refused with a reason a user can read — one sentence naming the document, the value
// and the limit ("a quantity has at most 3 decimals: 1.0005") — and, where one exists, advice
// that would work instead ("make a credit note: invoicing doc convert 17 --to credit-note").
// Rules never throw for a refusal: the store decides whether to abort its transaction, ask
// the user, or list the refusals of many lines at once. Exceptions are kept for inputs no
// caller may pass (std::invalid_argument: a settings value out of range, an impossible date
// handed in by code) and for DecimalOverflow from money.h.
//
// A caller that prefers exceptions calls enforce(), which throws RuleViolation carrying the
// same reason and advice.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace invoicing::domain {

struct Verdict {
  bool ok = true;
  std::string reason;  // empty when ok
  std::string advice;  // what would work instead; may be empty

  static Verdict allow() { return {}; }
  static Verdict refuse(std::string reason, std::string advice = {}) {
    return {false, std::move(reason), std::move(advice)};
  }
  explicit operator bool() const { return ok; }
  // "reason (advice)" or "reason"; empty when ok.
  std::string message() const { return advice.empty() ? reason : reason + " (" + advice + ")"; }
};

// A computed value, or the refusal that stopped it (value is empty exactly when !verdict.ok).
template <class T>
struct Checked {
  std::optional<T> value;
  Verdict verdict;

  static Checked of(T v) { return {std::move(v), Verdict::allow()}; }
  static Checked refused(Verdict v) { return {std::nullopt, std::move(v)}; }
  static Checked refused(std::string reason, std::string advice = {}) {
    return refused(Verdict::refuse(std::move(reason), std::move(advice)));
  }
  explicit operator bool() const { return verdict.ok; }
};

class RuleViolation : public std::runtime_error {
 public:
  explicit RuleViolation(const Verdict& v) : std::runtime_error(v.message()), verdict_(v) {}
  const Verdict& verdict() const { return verdict_; }

 private:
  Verdict verdict_;
};

// Throws RuleViolation when v refuses.
inline void enforce(const Verdict& v) {
  if (!v.ok) throw RuleViolation(v);
}
template <class T>
T enforce(Checked<T> c) {
  enforce(c.verdict);
  return std::move(*c.value);
}

}  // namespace invoicing::domain
