// Documents: drafts, their lines and totals, conversions (quote -> order -> delivery note ->
// invoice, invoice -> credit note), finalization with gap-free numbering, stock moves,
// cancellation, and the audit log. Every change is one action over every table it touches.
//
// Each action takes its locks first (the document, the series' numbering, the articles by
// record), then writes tables in dictionary order (NUMBERS, ARTICLE, DOC, DOCLINE, STOCKMOV,
// AUDIT), so that two workstations never wait on each other in a circle.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/document.h"
#include "store/company.h"
#include "store/records.h"

namespace invoicing::store {

struct LineSpec {
  std::string article;        // article code; "" for a free-text line
  std::string text;           // description (default: the article's)
  std::string quantity = "1";
  std::string price;          // unit price excluding VAT (default: the article's)
  std::string discount = "0";  // percent
  std::string vat_rate;       // default: the article's, else the country's standard rate
  std::string vat_category;   // UNCL5305 code S, Z, E, AE, K, G (default: the article's, else S)
};

struct LineView {
  Line line;
  std::string article_code;
};

struct DocView {
  Document doc;
  std::string party_code, party_name;
  std::string label;         // "INV 2026/0042", or "INV draft 17"
  std::string source_label;  // the document it was made from, as a label ("" when none)
  std::vector<LineView> lines;  // show() only
};

struct DocFilter {
  std::optional<domain::DocType> type;
  int year = 0;  // 0: every fiscal year
};

class Documents {
 public:
  explicit Documents(Company& c) : c_(c) {}

  int32_t create(domain::DocType type, const std::string& party_code, std::optional<xbase::Date> date = std::nullopt);
  void add_line(int32_t doc, const LineSpec& line);
  // Assigns the number (serialized numbering), moves stock, sets the due date; one commit.
  DocView finalize(int32_t doc);
  // A new document of type `to` with the source's lines, linked to it; with finalize_now the
  // new document is finalized in the same commit (quote -> invoice in one step).
  int32_t convert(int32_t doc, domain::DocType to, bool finalize_now);
  void cancel(int32_t doc);
  DocView show(int32_t doc);
  std::vector<DocView> list(const DocFilter& f = {});

  // "INV 2026/0042" (final), "INV draft 17" (no number yet).
  static std::string label(const Document& d);

 private:
  Document get(int32_t doc);
  DocView view(const Document& d, bool with_lines);
  std::vector<Line> lines(int32_t doc);
  Company& c_;
};

// What `invoicing verify` checks: numbers per series are 1..n once each (held by a document
// or waiting in the free list), stock equals the sum of the moves, every document's totals
// equal what its lines give, and the storage itself (every table and index). Returns the
// problems found.
std::vector<std::string> verify(Company& c);

}  // namespace invoicing::store
