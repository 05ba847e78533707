#include "bank/coda.h"

#include <fmt/format.h>

#include <map>

#include "bank/text.h"
#include "domain/ogm.h"

// Record layouts: Febelfin, "Coded statement of account (CODA)", version 2.x (positions
// are 1-based and inclusive, as the standard writes them):
//   0  header      6-11 creation date DDMMYY, 128 version code ("2")
//   1  old balance 2 account structure (0 Belgian number, 1 foreign, 2 Belgian IBAN,
//                  3 foreign IBAN), 3-5 statement number, 6-42 account and currency,
//                  43 sign (0 credit, 1 debit), 44-58 balance (12 + 3 decimals), 59-64 date
//   21 movement    3-6 sequence, 7-10 detail, 11-31 bank reference, 32 sign, 33-47 amount,
//                  48-53 value date, 54-61 transaction code (54 = type), 62 communication
//                  type (1 structured), 63-115 communication (structured: 63-65 kind,
//                  101/102 = OGM in 66-77), 116-121 entry date
//   22 movement    11-63 communication continued, 64-98 customer reference, 99-109 BIC
//   23 movement    11-47 counterparty account (IBAN in 11-44), 48-82 counterparty name,
//                  83-125 communication continued
//   3x, 4          information and free messages (kept out of the statement)
//   8  new balance 2-4 statement number, 5-41 account, 42 sign, 43-57 balance, 58-63 date
//   9  trailer
// Movements of type 5-9 (position 54) detail a global movement of type 1 or 2 (the same
// sequence number, detail number above 0): they replace it in the list, so each customer's
// payment in a bank-totalled batch is seen on its own; only the detail-0 movements count
// towards the balance.

namespace invoicing::bank {

namespace {

using domain::Date;
using domain::Decimal;

class Reader {
 public:
  Reader(const std::string& file, size_t line_no, std::string_view rec)
      : file_(file), no_(line_no), r_(rec) {}

  [[noreturn]] void fail(int from, int to, const std::string& what) const {
    throw StatementError(fmt::format("{}: line {} (record {}), positions {}-{}: {}", file_, no_,
                                     kind(), from, to, what));
  }
  std::string kind() const {
    if (r_[0] == '2' || r_[0] == '3')
      return std::string(r_.substr(0, 1)) + "." + std::string(r_.substr(1, 1));
    return std::string(r_.substr(0, 1));
  }
  std::string_view raw(int from, int to) const { return r_.substr(from - 1, to - from + 1); }
  std::string text(int from, int to) const { return trim(latin1_to_utf8(raw(from, to))); }
  int64_t digits(int from, int to) const {
    int64_t v = 0;
    for (char c : raw(from, to)) {
      if (c < '0' || c > '9')
        fail(from, to,
             fmt::format("\"{}\" is not {} digits", latin1_to_utf8(raw(from, to)), to - from + 1));
      v = v * 10 + (c - '0');
    }
    return v;
  }
  // Sign at `sign` (0 credit, 1 debit), amount in 15 digits with 3 decimals.
  Decimal amount(int sign, int from) const {
    const char s = r_[sign - 1];
    if (s != '0' && s != '1')
      fail(sign, sign, fmt::format("sign \"{}\" is not 0 (credit) or 1 (debit)", s));
    const int64_t m = digits(from, from + 14);
    return Decimal::from_mantissa(s == '1' ? -m : m, 3);
  }
  std::optional<Date> date(int from, bool zero_allowed) const {
    const int64_t v = digits(from, from + 5);
    if (v == 0 && zero_allowed) return std::nullopt;
    Date d{2000 + static_cast<int>(v % 100), static_cast<int>(v / 100 % 100),
           static_cast<int>(v / 10000)};
    if (!domain::valid_date(d))
      fail(from, from + 5, fmt::format("\"{}\" is not a date DDMMYY", raw(from, from + 5)));
    return d;
  }
  size_t line() const { return no_; }
  char at(int pos) const { return r_[pos - 1]; }

 private:
  const std::string& file_;
  size_t no_;
  std::string_view r_;
};

// CODA amounts carry 3 decimals; money has 2 unless the bank used the third.
Decimal money(const Decimal& v) { return v.round(2) == v ? v.round(2) : v; }

struct Movement {
  int sequence = 0, detail = 0;
  char type = '0';
  Transaction t;
};

struct Account {
  std::string id, currency;
};

Account account(const Reader& r, int at) {
  // at = first position of the 37-character account field (6 in record 1, 5 in record 8).
  const char structure = r.at(2);
  switch (structure) {
    case '0':
      return {r.text(at, at + 11), r.text(at + 13, at + 15)};
    case '1':
    case '3':
      return {normalize_iban(r.text(at, at + 33)), r.text(at + 34, at + 36)};
    case '2':
      return {normalize_iban(r.text(at, at + 15)), r.text(at + 34, at + 36)};
    default:
      r.fail(2, 2, fmt::format("account structure \"{}\" is not 0, 1, 2 or 3", structure));
  }
}

}  // namespace

namespace {
std::vector<Statement> parse(std::string_view bytes, const std::string& file) {
  std::vector<Statement> out;
  std::optional<Statement> st;
  std::vector<Movement> moves;
  Decimal booked;
  bool seen_old = false, seen_new = false;
  Movement* last = nullptr;  // the 2.1 that 2.2 and 2.3 continue (reset before moves grows)
  std::string comm_extra;    // unstructured communication continued in 2.2/2.3
  size_t line_no = 0, pos = 0;
  size_t records = 0;
  while (pos < bytes.size()) {
    size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view rec = bytes.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!rec.empty() && rec.back() == '\r') rec.remove_suffix(1);
    if (rec.find_first_not_of(' ') == std::string_view::npos) continue;  // blank lines at the end
    if (rec.size() != 128)
      throw StatementError(fmt::format("{}: line {}: a CODA record is 128 characters, this one {}",
                                       file, line_no, rec.size()));
    ++records;
    Reader r(file, line_no, rec);
    const char id = rec[0];
    if (id != '0' && !st)
      throw StatementError(fmt::format("{}: line {}: record {} before the header record 0", file,
                                       line_no, r.kind()));
    switch (id) {
      case '0': {
        if (st)
          throw StatementError(fmt::format(
              "{}: line {}: header record 0 inside a statement (no trailer 9 before it)", file,
              line_no));
        if (rec[127] != '2')
          r.fail(128, 128, fmt::format("CODA version \"{}\": only version 2 is read", rec[127]));
        st.emplace();
        st->format = "CODA 2";
        st->date = *r.date(6, false);
        moves.clear();
        seen_old = seen_new = false;
        last = nullptr;
        break;
      }
      case '1': {
        if (seen_old)
          throw StatementError(
              fmt::format("{}: line {}: a second old balance record 1", file, line_no));
        seen_old = true;
        Account a = account(r, 6);
        st->account = a.id;
        st->currency = a.currency;
        st->sequence = r.text(3, 5);
        st->opening_balance = money(r.amount(43, 44));
        r.date(59, false);
        booked = st->opening_balance;
        break;
      }
      case '2': {
        if (!seen_old || seen_new)
          throw StatementError(fmt::format(
              "{}: line {}: movement record outside the old and new balance", file, line_no));
        const char art = rec[1];
        if (art == '1') {
          Movement m;
          m.sequence = static_cast<int>(r.digits(3, 6));
          m.detail = static_cast<int>(r.digits(7, 10));
          m.type = rec[53];
          if (m.type < '0' || m.type > '9')
            r.fail(54, 54, fmt::format("transaction type \"{}\" is not a digit", m.type));
          Transaction& t = m.t;
          t.source = fmt::format("line {}", line_no);
          t.bank_reference = r.text(11, 31);
          t.amount = money(r.amount(32, 33));
          t.currency = st->currency;
          t.value_date = r.date(48, true);
          const auto entry = r.date(116, true);
          t.booking_date = entry ? *entry : st->date;
          const char comm_type = rec[61];
          if (comm_type != '0' && comm_type != '1')
            r.fail(62, 62, fmt::format("communication type \"{}\" is not 0 or 1", comm_type));
          if (comm_type == '1') {
            const std::string kind(r.raw(63, 65));
            if (kind == "101" || kind == "102") {
              const std::string ogm(r.raw(66, 77));
              if (domain::ogm_valid(ogm))
                t.structured_reference = ogm;
              else
                t.free_text = ogm;  // kept for the user; matching ignores a bad check
            } else {
              t.free_text = r.text(63, 115);
            }
          } else {
            t.free_text = r.text(63, 115);
          }
          if (m.detail == 0) booked += t.amount;
          moves.push_back(std::move(m));
          last = &moves.back();
        } else if (art == '2' || art == '3') {
          if (!last || r.digits(3, 6) != last->sequence)
            throw StatementError(fmt::format(
                "{}: line {}: record 2.{} does not follow its record 2.1", file, line_no, art));
          Transaction& t = last->t;
          if (art == '2') {
            if (t.structured_reference.empty())
              t.free_text += r.text(11, 63).empty() ? "" : " " + r.text(11, 63);
            t.counterparty_bic = r.text(99, 109);
          } else {
            t.counterparty_iban = normalize_iban(r.text(11, 44));
            t.counterparty_name = r.text(48, 82);
            if (t.structured_reference.empty())
              t.free_text += r.text(83, 125).empty() ? "" : " " + r.text(83, 125);
          }
          t.free_text = trim(t.free_text);
        } else {
          r.fail(2, 2, fmt::format("movement record 2.{} does not exist (2.1, 2.2, 2.3)", art));
        }
        break;
      }
      case '3':
        if (rec[1] < '1' || rec[1] > '3') r.fail(2, 2, "information record 3.x is 3.1, 3.2 or 3.3");
        break;
      case '4':
        break;
      case '8': {
        if (!seen_old || seen_new)
          throw StatementError(fmt::format(
              "{}: line {}: new balance record 8 without old balance or twice", file, line_no));
        seen_new = true;
        st->closing_balance = money(r.amount(42, 43));
        st->date = *r.date(58, false);
        if (booked != st->closing_balance)
          throw StatementError(fmt::format(
              "{}: line {}: the new balance {} is not the old balance {} plus the movements ({}): "
              "records are missing or wrong",
              file, line_no, st->closing_balance.to_string(2), st->opening_balance.to_string(2),
              (booked - st->opening_balance).to_string(2)));
        break;
      }
      case '9': {
        if (!seen_new)
          throw StatementError(fmt::format(
              "{}: line {}: trailer record 9 before the new balance record 8", file, line_no));
        // Details (types 5-9, detail number above 0) replace the global movement they detail.
        std::map<int, bool> has_details;
        for (const Movement& m : moves)
          if (m.detail > 0 && m.type >= '5') has_details[m.sequence] = true;
        for (Movement& m : moves) {
          const bool detailed = has_details.count(m.sequence) > 0;
          if ((m.detail == 0 && !detailed) || (m.detail > 0 && detailed && m.type >= '5'))
            st->transactions.push_back(std::move(m.t));
        }
        out.push_back(std::move(*st));
        st.reset();
        moves.clear();
        last = nullptr;
        break;
      }
      default:
        r.fail(1, 1,
               fmt::format("record identification \"{}\" is not 0, 1, 2, 3, 4, 8 or 9",
                           latin1_to_utf8(rec.substr(0, 1))));
    }
  }
  if (records == 0) throw StatementError(fmt::format("{}: not a CODA file: no records", file));
  if (st)
    throw StatementError(fmt::format(
        "{}: line {}: the file ends inside a statement (no trailer record 9)", file, line_no));
  return out;
}
}  // namespace

std::vector<Statement> parse_coda(std::string_view bytes, const std::string& file) {
  try {
    return parse(bytes, file);
  } catch (const domain::DecimalOverflow&) {
    throw StatementError(
        fmt::format("{}: the amounts add up beyond what the program counts (about 9.2e15)", file));
  }
}

}  // namespace invoicing::bank
