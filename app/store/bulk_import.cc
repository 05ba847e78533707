#include "store/bulk_import.h"

#include <fmt/format.h>

#include <algorithm>

namespace invoicing::store {

namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// One field of an input struct, by the name the import gives it, so that a refused row can
// be tried field by field to find the one at fault.
template <class In>
struct InputField {
  const char* name;
  std::function<bool(In& to, const In& from)> copy;  // false when `from` leaves it unset
  const char* partner = nullptr;                     // checked together with this one
};

template <class In, class T>
InputField<In> field(const char* name, std::optional<T> In::*member,
                     const char* partner = nullptr) {
  return {name,
          [member](In& to, const In& from) {
            if (!(from.*member)) return false;
            to.*member = from.*member;
            return true;
          },
          partner};
}

const std::vector<InputField<PartyInput>>& party_fields() {
  using P = PartyInput;
  static const std::vector<InputField<P>> f = {field("code", &P::code),
                                               field("name", &P::name),
                                               field("street", &P::street),
                                               field("zip", &P::zip),
                                               field("city", &P::city),
                                               field("country", &P::country),
                                               field("vat", &P::vat),
                                               field("enterprise_number", &P::enterprise_no),
                                               field("email", &P::email),
                                               field("phone", &P::phone),
                                               field("iban", &P::iban),
                                               field("bic", &P::bic),
                                               field("terms", &P::terms),
                                               field("lang", &P::lang),
                                               field("business", &P::business),
                                               field("renovation", &P::renovation),
                                               field("contractor", &P::contractor),
                                               field("note", &P::note)};
  return f;
}

const std::vector<InputField<ArticleInput>>& article_fields() {
  using A = ArticleInput;
  // A rate is right or wrong only with its category ("0" is right for Z, wrong for S).
  static const std::vector<InputField<A>> f = {field("code", &A::code),
                                               field("description", &A::description),
                                               field("unit", &A::unit),
                                               field("price", &A::price),
                                               field("vat_rate", &A::vat_rate, "vat_category"),
                                               field("vat_category", &A::vat_category, "vat_rate"),
                                               field("kind", &A::kind),
                                               field("stocked", &A::stocked),
                                               field("stock", &A::opening_stock),
                                               field("min_stock", &A::min_stock),
                                               field("construction", &A::construction),
                                               field("note", &A::note)};
  return f;
}

// The first field that `fails` refuses on its own (with what it needs besides: `base`).
template <class In>
std::string field_at_fault(const std::vector<InputField<In>>& fields, const In& in, const In& base,
                           const std::function<bool(const In&)>& fails) {
  for (const auto& f : fields) {
    In probe = base;
    if (!f.copy(probe, in)) continue;
    if (f.partner) {
      for (const auto& p : fields)
        if (std::string_view(p.name) == f.partner) p.copy(probe, in);
    }
    if (fails(probe)) return f.name;
  }
  return "";
}

}  // namespace

// --- what both share --------------------------------------------------------------------------

std::set<std::string> BulkImport::existing_codes() const {
  std::set<std::string> out;
  for (const auto& [code, known] : codes_)
    if (known.row != 0) out.insert(code);
  return out;
}

RowCheck BulkImport::plan(RowCheck check, RowId row) {
  if (check.fate == RowFate::refused) ++refused_;
  if (check.fate == RowFate::update) updated_[row] = planned_.size();
  planned_.push_back({check.fate, row});
  return check;
}

const BulkImport::Known* BulkImport::by_code(const std::string& code) const {
  auto it = codes_.find(upper(code));
  return it == codes_.end() ? nullptr : &it->second;
}

std::vector<RowId> BulkImport::rows_to_lock() const {
  std::vector<RowId> rows;
  for (const auto& [row, index] : updated_) rows.push_back(row);  // in record order (a map)
  return rows;
}

// --- customers and suppliers ------------------------------------------------------------------

PartyImport::PartyImport(Company& c, PartyKind kind, OnDuplicate on_duplicate)
    : BulkImport(c, on_duplicate), parties_(c, kind) {
  c.storage().scan(parties_.table(), [&](const Row& r) {
    std::string code = r.text(fld::code), vat = r.text(fld::vat);
    codes_[upper(code)] = {r.id, code};
    if (!vat.empty()) vats_.emplace(vat, Known{r.id, code});
    return true;
  });
}

std::string PartyImport::refusal_field(const PartyInput& in, const Party* existing) {
  PartyInput base;
  if (!existing) {
    base.code = "X";
    base.name = "X";
  }
  return field_at_fault<PartyInput>(party_fields(), in, base, [&](const PartyInput& probe) {
    try {
      if (existing) {
        Party p = *existing;
        parties_.apply(p, probe);
      } else {
        parties_.validate(probe);
      }
      return false;
    } catch (const UserError&) {
      return true;
    }
  });
}

RowCheck PartyImport::check(const PartyRecord& r) {
  const std::string what = parties_.what();
  Party p;
  try {
    p = parties_.validate(r.input);
  } catch (const UserError& e) {
    return plan({RowFate::refused, refusal_field(r.input, nullptr), e.what(), ""});
  }
  const Known* code = by_code(p.code);
  const Known* vat = nullptr;
  if (auto it = vats_.find(p.vat); !p.vat.empty() && it != vats_.end()) vat = &it->second;
  if (!code && !vat) {
    codes_[upper(p.code)] = {0, p.code};
    if (!p.vat.empty()) vats_.emplace(p.vat, Known{0, p.code});
    return plan({RowFate::add, "", "", ""});
  }
  const Known& match = code ? *code : *vat;
  const char* key = code ? "code" : "vat";
  const std::string how =
      code ? fmt::format("{} {} exists already (same code)", what, match.code)
           : fmt::format("{} {} has the same VAT number ({})", what, match.code, p.vat);
  if (match.row == 0)
    return plan({RowFate::refused, key,
                 code
                     ? fmt::format("code {} is also on an earlier row of this import", p.code)
                     : fmt::format("VAT number {} is also on an earlier row of this import", p.vat),
                 ""});
  if (code && vat && code->row != vat->row && on_duplicate_ != OnDuplicate::skip)
    return plan({RowFate::refused, "vat",
                 fmt::format("{} {} has this code, but {} {} has VAT number {}", what, code->code,
                             what, vat->code, p.vat),
                 ""});
  switch (on_duplicate_) {
    case OnDuplicate::skip:
      return plan({RowFate::skip, "", how, match.code});
    case OnDuplicate::fail:
      return plan({RowFate::refused, key, how, ""});
    case OnDuplicate::update:
      break;
  }
  if (auto it = updated_.find(match.row); it != updated_.end())
    return plan({RowFate::refused, key,
                 fmt::format("{}, and an earlier row of this import updates it", how), ""});
  auto stored = c_.storage().get(parties_.table(), match.row);
  if (!stored)
    throw UserError(
        fmt::format("{} {} was removed during the import; try again", what, match.code));
  const Party before = party_from(*stored);
  Party after = before;
  PartyInput in = r.input;
  in.code.reset();  // the code names the record; an update keeps it
  try {
    parties_.apply(after, in);
  } catch (const UserError& e) {
    return plan({RowFate::refused, refusal_field(in, &before), e.what(), ""});
  }
  return plan({RowFate::update, "", how, match.code}, match.row);
}

BulkResult PartyImport::write(const std::function<PartyRecord(size_t)>& record,
                              const BulkProgressFn& progress) {
  Storage& s = c_.storage();
  const Tbl t = parties_.table();
  BulkResult res;
  Company::Doing doing(c_, fmt::format("an import of {}s", parties_.what()));
  Action act(s);
  s.lock_all(t, rows_to_lock(), c_.lock_wait());
  const uint64_t total = planned_.size();
  for (size_t i = 0; i < planned_.size(); ++i) {
    const Planned& pl = planned_[i];
    if (pl.fate == RowFate::skip) ++res.skipped;
    if (pl.fate == RowFate::add) {
      PartyRecord r = record(i);
      Party p = parties_.validate(r.input);
      if (r.archived) p.archived = *r.archived;
      Row row = row_of(p);
      try {
        s.insert(t, row);
      } catch (const DuplicateKey&) {
        throw UserError(fmt::format(
            "{} code {} was added by another workstation during the import; nothing was "
            "imported, try again",
            parties_.what(), p.code));
      }
      ++res.added;
    } else if (pl.fate == RowFate::update) {
      PartyRecord r = record(i);
      r.input.code.reset();
      Party p = party_from(*s.get(t, pl.row));  // as it is now that it is locked
      parties_.apply(p, r.input);
      if (r.archived) p.archived = *r.archived;
      s.update(t, pl.row, row_of(p));
      ++res.updated;
    }
    if (progress && (i + 1) % 1000 == 0) progress({i + 1, total});
  }
  if (progress) progress({total, total});
  act.commit();
  return res;
}

// --- articles ---------------------------------------------------------------------------------

ArticleImport::ArticleImport(Company& c, OnDuplicate on_duplicate)
    : BulkImport(c, on_duplicate), articles_(c) {
  c.storage().scan(Tbl::article, [&](const Row& r) {
    std::string code = r.text(fld::code);
    codes_[upper(code)] = {r.id, code};
    return true;
  });
}

std::string ArticleImport::refusal_field(const ArticleInput& in, const Article* existing) {
  ArticleInput base;
  if (!existing) {
    base.code = "X";
    base.description = "X";
  }
  return field_at_fault<ArticleInput>(article_fields(), in, base, [&](const ArticleInput& probe) {
    try {
      if (existing) {
        Article a = *existing;
        articles_.apply(a, probe);
      } else {
        articles_.validate(probe);
      }
      return false;
    } catch (const UserError&) {
      return true;
    }
  });
}

RowCheck ArticleImport::check(const ArticleRecord& r) {
  Article a;
  try {
    a = articles_.validate(r.input);
  } catch (const UserError& e) {
    return plan({RowFate::refused, refusal_field(r.input, nullptr), e.what(), ""});
  }
  const Known* code = by_code(a.code);
  if (!code) {
    codes_[upper(a.code)] = {0, a.code};
    return plan({RowFate::add, "", "", ""});
  }
  const std::string how = fmt::format("article {} exists already (same code)", code->code);
  if (code->row == 0)
    return plan({RowFate::refused, "code",
                 fmt::format("code {} is also on an earlier row of this import", a.code), ""});
  switch (on_duplicate_) {
    case OnDuplicate::skip:
      return plan({RowFate::skip, "", how, code->code});
    case OnDuplicate::fail:
      return plan({RowFate::refused, "code", how, ""});
    case OnDuplicate::update:
      break;
  }
  if (updated_.count(code->row))
    return plan({RowFate::refused, "code",
                 fmt::format("{}, and an earlier row of this import updates it", how), ""});
  auto stored = c_.storage().get(Tbl::article, code->row);
  if (!stored)
    throw UserError(fmt::format("article {} was removed during the import; try again", code->code));
  const Article before = article_from(*stored);
  Article after = before;
  ArticleInput in = r.input;
  in.code.reset();
  const bool stock_given = in.opening_stock.has_value();
  in.opening_stock.reset();  // an existing article's stock moves only through documents and counts
  try {
    articles_.apply(after, in);
  } catch (const UserError& e) {
    return plan({RowFate::refused, refusal_field(in, &before), e.what(), ""});
  }
  return plan(
      {RowFate::update, "", stock_given ? how + "; its stock is left as it is" : how, code->code},
      code->row);
}

BulkResult ArticleImport::write(const std::function<ArticleRecord(size_t)>& record,
                                const BulkProgressFn& progress) {
  Storage& s = c_.storage();
  BulkResult res;
  Company::Doing doing(c_, "an import of articles");
  Action act(s);
  s.lock_all(Tbl::article, rows_to_lock(), c_.lock_wait());
  std::vector<StockChange> openings;
  const uint64_t total = planned_.size();
  for (size_t i = 0; i < planned_.size(); ++i) {
    const Planned& pl = planned_[i];
    if (pl.fate == RowFate::skip) ++res.skipped;
    if (pl.fate == RowFate::add) {
      ArticleRecord r = record(i);
      Article a = articles_.validate(r.input);
      if (r.archived) a.archived = *r.archived;
      Row row = row_of(a);
      try {
        s.insert(Tbl::article, row);
      } catch (const DuplicateKey&) {
        throw UserError(
            fmt::format("article code {} was added by another workstation during the import; "
                        "nothing was imported, try again",
                        a.code));
      }
      // The opening stock is a move, so that the stock stays the sum of the moves.
      if (!a.stock.is_zero()) openings.push_back({row.id, int32_t(row.integer(fld::id)), a.stock});
      ++res.added;
    } else if (pl.fate == RowFate::update) {
      ArticleRecord r = record(i);
      r.input.code.reset();
      r.input.opening_stock.reset();
      Article a = article_from(*s.get(Tbl::article, pl.row));
      articles_.apply(a, r.input);
      if (r.archived) a.archived = *r.archived;
      s.update(Tbl::article, pl.row, row_of(a));
      ++res.updated;
    }
    if (progress && (i + 1) % 1000 == 0) progress({i + 1, total});
  }
  // STOCKMOV after ARTICLE: every action writes tables in dictionary order.
  articles_.record_moves(openings, 0, "opening stock");
  res.stock_moves = openings.size();
  if (progress) progress({total, total});
  act.commit();
  return res;
}

}  // namespace invoicing::store
