// Documents: drafts (made, their lines and header changed, deleted or cancelled), finalization
// with numbers in date order, conversions (quote -> order -> delivery note -> invoice) once per
// target type, credit notes within what their invoice allows, withdrawal of final quotes and
// orders, and reading them back. Every change is one action over every table it touches.
//
// Each action takes its locks first (the document, then the document it was made from, the
// series' numbering, the articles by record), then writes tables in dictionary order (NUMBERS,
// ARTICLE, DOC, DOCLINE, STOCKMOV, AUDIT), so that two workstations never wait on each other in
// a circle. The rules are domain's (docs/business-rules.md); refusals are UserErrors whose
// text is the rule's reason and advice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/document.h"
#include "domain/payments.h"
#include "store/company.h"
#include "store/records.h"

namespace invoicing::store {

// A line as a user gives it: text as typed, checked before anything is stored.
struct LineSpec {
  std::string article;         // article code; "" for a free-text line
  std::string text;            // description (default: the article's)
  std::string quantity = "1";
  std::string price;           // unit price excluding VAT (default: the article's)
  std::string discount = "0";  // percent
  // The rate the line has at home (default: the article's; a free-text line 21). The VAT
  // regime of the customer decides from it: a Dutch business customer's line is K or AE 0 %.
  std::string vat_rate;
  // An override: the category (S, Z, E, AE, K, G), checked against the customer and article;
  // with it, `vat_rate` is the rate of that category and `vat_reason` names an exemption (E).
  std::string vat_category;
  std::string vat_reason;
  std::string kind;  // a free-text line: G goods or S services (default S)
};

// A change to a draft's line: only what is set changes.
struct LineChange {
  std::optional<std::string> article, text, quantity, price, discount, vat_rate, vat_category, vat_reason, kind;
};

// A change to a draft's header: only what is set changes.
struct DraftChange {
  std::optional<std::string> party;  // another customer (supplier): every line's VAT is decided again
  std::optional<xbase::Date> date;
  std::optional<std::string> customer_ref, note;
};

struct FinalizeOptions {
  bool finalize = false;            // convert, credit: finalize the new document in the same commit
  std::optional<xbase::Date> date;  // convert, credit: the new document's date (default today)
  // The user confirmed: a date before the last final document of the series (or after the
  // next one, for a number reserved earlier) becomes that document's date.
  bool redate = false;
  // finalize: the answer as show() gives it (lines, what was made from the document, its
  // payment state), made of what the action read and wrote where it can (the web front end's
  // answer: reading the document, its party, lines and articles again after the commit was
  // 13 round trips on a share).
  bool shown = false;
  std::string lang = "en";  // the answer's labels: en, nl or fr
};

// Which part of an invoice a credit note credits.
struct CreditSpec {
  enum class Mode { whole, lines, line_quantity, amount } mode = Mode::whole;
  std::vector<int> lines;  // lines: the invoice's line numbers, credited in full
  int line = 0;            // line_quantity: the line; amount: the line whose VAT it takes (0: the only one)
  std::string quantity;    // line_quantity
  std::string amount;      // amount: excluding VAT
};

struct LineView {
  Line line;
  std::string article_code;
  std::optional<Article> article;  // as read for the view: the outputs need it too (one read)
};

struct LinkView {
  int32_t id = 0;
  std::string label;
  domain::DocStatus status = domain::DocStatus::draft;
};

struct DocView {
  Document doc;
  Party party;  // the customer (supplier) record as it is now
  std::string party_code, party_name;
  std::string label;         // "invoice 2026/42", or "draft invoice (document 17)"
  std::string source_label;  // the document it was made from ("" when none)
  std::vector<LinkView> made_from_it;  // show() only: conversions and credit notes of it
  std::vector<LineView> lines;         // show() and changes of lines only
  std::vector<std::string> warnings;   // from the change that returned it: VAT notes, stock below zero
  std::optional<domain::InvoiceState> payment;  // a final invoice: paid, open, overdue as of today
};

struct DocFilter {
  std::optional<domain::DocType> type;
  std::optional<domain::DocStatus> status;
  std::string party;  // a customer's (supplier's) code
  int year = 0;       // 0: every fiscal year
  std::optional<xbase::Date> from, to;
  int64_t number_from = 0, number_to = 0;  // 0: no limit
  bool open = false;     // final invoices with something still to pay
  bool overdue = false;  // ... past their due date
  // The newest first (by document id, walking its index back) and at most `limit` of them (0:
  // all): a page reads its documents, their parties and their customers' ledgers only.
  bool newest_first = false;
  size_t limit = 0;
};

// The dashboard's lists: the newest `rows` drafts, open and overdue invoices, with the count
// of each.
struct DocSummary {
  std::vector<DocView> drafts, open, overdue;
  size_t n_drafts = 0, n_open = 0, n_overdue = 0;
};

class Documents {
 public:
  explicit Documents(Company& c) : c_(c) {}

  // A draft; its date is held to the date rules already (multi-user numbering reserves its
  // number now, in date order).
  int32_t create(domain::DocType type, const std::string& party_code, std::optional<xbase::Date> date = std::nullopt);
  DocView add_line(int32_t doc, const LineSpec& line);
  DocView edit_line(int32_t doc, int line_no, const LineChange& change);
  DocView remove_line(int32_t doc, int line_no);
  // Puts line `line_no` at place `to` (1..the number of lines); the others close up.
  DocView move_line(int32_t doc, int line_no, int to);
  DocView change(int32_t doc, const DraftChange& change);
  // Deletes a draft and its lines; a number reserved for it goes back to the free list.
  void remove(int32_t doc);
  // Marks a draft cancelled (it stays on file); a reserved number goes back.
  void cancel(int32_t doc);

  // Numbers it (in date order), decides its VAT again for the customer as they are now, moves
  // stock, sets the due date, keeps the customer's name, address and VAT number; one commit.
  DocView finalize(int32_t doc, const FinalizeOptions& o = {});
  // A new document of type `to` from a final one, once per target type; a credit note of an
  // invoice is credit(doc, {}).
  DocView convert(int32_t doc, domain::DocType to, const FinalizeOptions& o = {});
  // A credit note for part or all of a final invoice, within what is left to credit.
  DocView credit(int32_t invoice, const CreditSpec& spec, const FinalizeOptions& o = {});
  // A final quote or order called off (status withdrawn); it stays on file.
  DocView withdraw(int32_t doc);

  DocView show(int32_t doc, const std::string& lang = "en");
  // show() in the language of the document's party (its_language()), the party read once:
  // `doc show` read the whole document twice, the first time only to learn that language.
  DocView show_in_party_language(int32_t doc);
  // The language a document is written in for a party's language: nl, fr, otherwise en
  // (German gets English: the rules have texts in these three).
  static std::string its_language(const std::string& party_lang);
  std::vector<DocView> list(const DocFilter& f = {});
  // Drafts by the STATUS index (no other document read); open and overdue invoices counted
  // by the OPEN index (store/open_amounts.h) and the `rows` due last listed; parties and
  // ledgers read for the listed rows only.
  DocSummary summary(size_t rows);

  // "invoice 2026/42" (in "en", "nl" or "fr"), "draft invoice (document 17)".
  static std::string label(const Document& d, const std::string& lang = "en");

 private:
  // `party`, `source`: the document's party and the document it was made from as the action
  // read them already (not read again: a read after an action's commit would first give back
  // the locks the commit left to the closes, one unlock call each; Storage::leave_locks_to_close).
  DocView view(const Document& d, bool with_lines, const std::string& lang = "en",
               const std::optional<Party>* party = nullptr, const Document* source = nullptr);
  // show()'s view: lines, what was made from it, the payment state.
  DocView shown(const Document& d, const std::string& lang, const std::optional<Party>* party = nullptr);
  // What show() adds to a view besides the lines: what was made from it, the payment state.
  void add_links(DocView& v, const std::string& lang);
  // The views of `lines`, each with its article from `arts` (by ID; missing: none).
  static std::vector<LineView> line_views(const std::vector<Line>& lines, const std::map<int32_t, Article>& arts);
  std::vector<DocView> page(const DocFilter& f);
  DocView changed_draft(int32_t doc, std::vector<std::string> warnings);
  // finalize() once; `may_make_series`: a missing series is made in the finalization's commit
  // (else in one of its own first).
  DocView finalize_once(int32_t doc, const FinalizeOptions& o, bool may_make_series);
  Company& c_;
};

// The total as it counts for the customer's balance and in lists and exports: a credit
// note's is negative.
domain::Decimal signed_total(const Document& d);

// What `invoicing verify` checks (store/verify.cc): numbers per series are 1..n once each (held
// by a document or waiting in the free list), in date order; stock equals the sum of the
// moves; every document's totals equal what its lines give; conversions once per target
// type; credit notes within their invoice; payments on final invoices of their customer;
// balances from documents and payments; and the storage itself (every table and index).
// Returns the problems found.
std::vector<std::string> verify(Company& c);

}  // namespace invoicing::store
