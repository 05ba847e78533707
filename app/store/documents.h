// Documents on the store: drafts, lines, totals, conversions, finalization with gap-free
// numbering, stock moves, customer balances, cancellation, the audit log. Every change that
// touches several tables is one xbase::Transaction.
//
// Numbering (setting `numbering`):
// - serialized (default): a number is assigned at finalization, under the lock of the
//   NUMBERS record of the document type and fiscal year, held for the short finalization
//   commit. A workstation that waits longer than `numbering_wait` seconds is told who holds it.
// - multiuser: a number is reserved when the draft is created (the same lock, held for that
//   commit only); a cancelled draft's number goes to the record's FREE list and is handed to
//   the next new document of that type and year.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/document.h"
#include "store/company.h"

namespace invoicing::store {

// The numbering lock was held by another workstation longer than `numbering_wait`; the
// message names who holds it. Nothing was changed: the caller may try again or give up.
struct NumberingBusy : UserError {
  using UserError::UserError;
};

struct LineSpec {
  std::string article;       // article code; "" for a free-text line
  std::string text;          // description (default: the article's)
  std::string quantity = "1";
  std::string price;         // unit price excluding VAT (default: the article's)
  std::string discount = "0";  // percent
  std::string vat_rate;      // default: the article's, else the country's standard rate
  std::string vat_category;  // UNCL5305 code S, Z, E, AE, K, G (default: the article's, else S)
};

struct DocLine {
  int lineno = 0;
  int32_t article = 0;
  std::string article_code, text, quantity, price, discount, vat_category, vat_rate, net;
};

struct DocView {
  int32_t id = 0;
  domain::DocType type = domain::DocType::quote;
  int year = 0;
  int number = 0;  // 0: none yet
  domain::DocStatus status = domain::DocStatus::draft;
  int32_t party = 0;
  std::string party_code, party_name;
  xbase::Date date;
  std::string reference;  // structured payment reference (invoices)
  int32_t source = 0;     // the document this one was converted from
  std::string total_excl, total_vat, total_incl;
  std::string user, workstation;
  std::vector<DocLine> lines;  // show() only
};

class Documents {
 public:
  explicit Documents(Company& c) : c_(c) {}

  int32_t create(domain::DocType type, const std::string& party_code,
                 std::optional<xbase::Date> date = std::nullopt);
  void add_line(int32_t doc, const LineSpec& line);
  // Assigns the number (serialized numbering), moves stock, books the balance.
  DocView finalize(int32_t doc);
  // A new document of type `to` with the source's lines, linked to it; with finalize_now the
  // new document is finalized in the same commit (quote -> invoice in one step).
  int32_t convert(int32_t doc, domain::DocType to, bool finalize_now);
  void cancel(int32_t doc);
  DocView show(int32_t doc);
  std::vector<DocView> list(std::optional<domain::DocType> type = std::nullopt, int year = 0);

 private:
  Company& c_;
};

// What `invoicing verify` checks in a data folder: numbers per type and year are 1..n once
// each (finalized, reserved by a draft, or waiting in the FREE list), stock equals the sum of
// the moves, every table and tag passes xbase check. Returns the problems found.
std::vector<std::string> verify_folder(Company& c);

xbase::Date today();

}  // namespace invoicing::store
