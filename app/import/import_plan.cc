#include "import/import_plan.h"

#include <fmt/format.h>

#include <charconv>
#include <deque>
#include <map>

#include "import/code_generator.h"
#include "import/field_check.h"
#include "import/text_fold.h"
#include "import/values.h"

namespace invoicing::import {

ImportRow::ImportRow(const TargetDef& target, uint64_t source_row,
                     const std::vector<std::string>& values)
    : target_(&target), source_row_(source_row) {
  for (const auto& v : values) {
    data_ += v;
    ends_.push_back(static_cast<uint32_t>(data_.size()));
  }
}

std::string_view ImportRow::at(size_t field) const {
  if (field >= ends_.size()) return {};
  size_t begin = field == 0 ? 0 : ends_[field - 1];
  return std::string_view(data_).substr(begin, ends_[field] - begin);
}

std::string_view ImportRow::get(std::string_view field) const {
  int i = target_->index(field);
  if (i < 0) throw std::out_of_range(fmt::format("{} have no field '{}'", target_->name, field));
  return at(static_cast<size_t>(i));
}

std::optional<domain::Decimal> ImportRow::decimal(std::string_view field) const {
  auto v = get(field);
  if (v.empty()) return std::nullopt;
  return domain::Decimal::parse(v);
}

std::optional<bool> ImportRow::boolean(std::string_view field) const {
  auto v = get(field);
  if (v.empty()) return std::nullopt;
  return v == "1";
}

std::optional<int> ImportRow::integer(std::string_view field) const {
  auto v = get(field);
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return out;
}

void ImportRow::set(size_t field, std::string_view value) {
  std::vector<std::string> values;
  for (size_t i = 0; i < ends_.size(); ++i) values.emplace_back(i == field ? value : at(i));
  *this = ImportRow(*target_, source_row_, values);
}

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string> header_texts(const SheetRow& row) {
  std::vector<std::string> out;
  for (const auto& c : row.cells) out.emplace_back(trim(c.value));
  return out;
}

size_t mapped_fields(const ColumnMapping& m) {
  size_t n = 0;
  for (int c : m.field_column) n += c >= 0;
  return n;
}

}  // namespace

class PlanBuilder {
 public:
  PlanBuilder(const std::filesystem::path& path, const ImportOptions& options)
      : path_(path), o_(options), def_(target_def(options.target)) {
    plan_.file = path.filename().string();
    plan_.target = options.target;
  }

  ImportPlan build() {
    ReadOptions ro = o_.read;
    MappingPairs pairs;
    char mark = o_.decimal_mark;
    if (o_.profile) {
      if (o_.profile->target != o_.target) {
        throw ImportError(fmt::format("profile '{}' is for {}, not {}", o_.profile->name,
                                      target_name(o_.profile->target), def_.name));
      }
      if (ro.sheet.empty()) ro.sheet = o_.profile->sheet;
      if (ro.encoding.empty()) ro.encoding = o_.profile->encoding;
      if (!ro.separator) ro.separator = o_.profile->separator;
      if (!mark) mark = o_.profile->decimal_mark;
      pairs = o_.profile->mapping;
    }
    for (auto& p : parse_mapping(o_.mapping)) pairs.push_back(std::move(p));
    reader_ = open_sheet(path_, ro);
    plan_.format = reader_->format();

    find_header(pairs);
    check_required_columns();
    decide_decimal_mark(mark);

    FieldContext ctx;
    ctx.decimal_mark = plan_.decimal_mark;
    ctx.supplier_country = o_.supplier_country;
    for (auto& row : pending_) take(row, ctx);
    pending_.clear();
    SheetRow row;
    while (reader_->next(row)) take(row, ctx);
    if (plan_.rows_read == 0) {
      throw ImportError(fmt::format("{}: only a header row (row {}), no data rows", plan_.file,
                                    plan_.header_row));
    }
    generate_codes();
    report_progress();
    return std::move(plan_);
  }

 private:
  // The header is the first row, unless one of the next rows maps more fields (a title line
  // or two above the table).
  void find_header(const MappingPairs& pairs) {
    SheetRow row;
    while (pending_.size() < 10 && reader_->next(row)) pending_.push_back(std::move(row));
    if (pending_.empty()) {
      throw ImportError(plan_.format.sheet.empty() ? fmt::format("{}: holds no rows", plan_.file)
                                                   : fmt::format("{}: sheet '{}' is empty",
                                                                 plan_.file, plan_.format.sheet));
    }
    // Of the first ten rows, the one that maps the most fields (at least two), unless the
    // first row maps as many: a title such as "Klant" mapping one field does not win. With
    // a mapping (given, or a saved profile's), the first row that has every column it names.
    size_t chosen = 0;
    if (!pairs.empty()) {
      // A field the target lacks is wrong whatever the header: said as such, first.
      std::vector<std::string> named;
      for (const auto& p : pairs) named.push_back(p.first);
      map_columns(def_, named, pairs, plan_.file);
      for (size_t i = 0; i < pending_.size(); ++i) {
        try {
          map_columns(def_, header_texts(pending_[i]), pairs, plan_.file);
          chosen = i;
          break;
        } catch (const ImportError&) {
        }
      }
    } else {
      size_t first = mapped_fields(map_columns(def_, header_texts(pending_[0]), {}, plan_.file));
      size_t best = first;
      for (size_t i = 1; i < pending_.size(); ++i) {
        size_t n = mapped_fields(map_columns(def_, header_texts(pending_[i]), {}, plan_.file));
        if (n >= 2 && n > best) {
          best = n;
          chosen = i;
        }
      }
    }
    plan_.header_row = pending_[chosen].number;
    plan_.mapping = map_columns(def_, header_texts(pending_[chosen]), pairs, plan_.file);
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(chosen) + 1);
  }

  void check_required_columns() {
    code_field_ = def_.index("code");
    plan_.codes_generated = *def_.code_source && plan_.mapping.field_column[code_field_] < 0;
    for (size_t f = 0; f < def_.fields.size(); ++f) {
      const FieldDef& d = def_.fields[f];
      if (!d.required || plan_.mapping.field_column[f] >= 0) continue;
      std::string columns;
      for (size_t c = 0; c < plan_.mapping.headers.size(); ++c) {
        columns += (c ? ", " : "") + plan_.mapping.column_label(c);
      }
      throw ImportError(fmt::format(
          "{}: no column for the required field '{}' (columns: {}); name one with a mapping "
          "such as 'Column={}'",
          plan_.file, d.name, columns, d.name));
    }
  }

  // Text numbers of the numeric columns tell the decimal mark ("12,50"); read ahead up to
  // 1,000 rows for them. Without any, the format's custom decides.
  void decide_decimal_mark(char given) {
    if (given) {
      plan_.decimal_mark = given;
      return;
    }
    std::vector<size_t> columns;
    for (size_t f = 0; f < def_.fields.size(); ++f) {
      auto k = def_.fields[f].kind;
      int c = plan_.mapping.field_column[f];
      if (c >= 0 && (k == FieldKind::decimal || k == FieldKind::vat_rate || k == FieldKind::days)) {
        columns.push_back(static_cast<size_t>(c));
      }
    }
    size_t comma = 0, point = 0;
    auto scan = [&](const SheetRow& r) {
      for (size_t c : columns) {
        if (c < r.cells.size() && r.cells[c].kind == CellKind::text) {
          char e = decimal_mark_evidence(r.cells[c].value);
          comma += e == ',';
          point += e == '.';
        }
      }
    };
    for (const auto& r : pending_) scan(r);
    SheetRow row;
    while (!columns.empty() && pending_.size() < 1000 && comma + point < 50 && reader_->next(row)) {
      scan(row);
      pending_.push_back(std::move(row));
    }
    if (comma + point > 0) {
      plan_.decimal_mark = comma >= point ? ',' : '.';
      plan_.decimal_mark_detected = true;
    } else {
      plan_.decimal_mark = plan_.format.separator == ',' ? '.' : ',';
    }
  }

  void problem(uint64_t row, size_t column, std::string value, std::string reason) {
    if (plan_.problems.size() >= o_.max_problems) {
      ++plan_.problems_not_kept;
      return;
    }
    plan_.problems.push_back(
        {row, plan_.mapping.column_label(column), std::move(value), std::move(reason)});
  }

  void take(const SheetRow& row, FieldContext& ctx) {
    if (++plan_.rows_read > o_.max_rows) {
      throw ImportError(fmt::format(
          "{}: more than {} data rows (row {} and on); split the file or raise the limit",
          plan_.file, o_.max_rows, row.number));
    }
    if (plan_.rows_read % 1000 == 0) report_progress();
    const auto& m = plan_.mapping;
    std::vector<std::string> values(def_.fields.size());
    bool bad = false;
    static const Cell kEmpty;
    auto cell_of = [&](int c) -> const Cell& {
      return c >= 0 && static_cast<size_t>(c) < row.cells.size() ? row.cells[c] : kEmpty;
    };
    // The country first: the VAT and enterprise numbers are read in its light.
    ctx.row_country.clear();
    int country = def_.index("country");
    std::vector<size_t> order;
    if (country >= 0) order.push_back(static_cast<size_t>(country));
    for (size_t f = 0; f < def_.fields.size(); ++f) {
      if (static_cast<int>(f) != country) order.push_back(f);
    }
    for (size_t f : order) {
      int c = m.field_column[f];
      if (c < 0) continue;
      const Cell& cell = cell_of(c);
      // A text file's "'=..." is a formula guard a CSV export put there (values.h).
      std::optional<std::string> unguarded;
      if (plan_.format.type == "csv" && cell.kind == CellKind::text)
        unguarded = without_formula_guard(cell.value);
      FieldResult r =
          check_field(def_.fields[f], unguarded ? Cell{CellKind::text, *unguarded} : cell, ctx);
      if (!r.ok()) {
        problem(row.number, static_cast<size_t>(c), cell.value, r.reason);
        bad = true;
        continue;
      }
      values[f] = std::move(r.value);
      if (static_cast<int>(f) == country) ctx.row_country = values[f];
    }
    for (size_t f = 0; f < def_.fields.size(); ++f) {
      const FieldDef& d = def_.fields[f];
      int c = m.field_column[f];
      if (d.required && values[f].empty() && c >= 0 && cell_of(c).kind == CellKind::empty) {
        problem(row.number, static_cast<size_t>(c), "", fmt::format("{} is required", d.name));
        bad = true;
      }
    }
    if (code_field_ >= 0 && !values[code_field_].empty()) {
      auto [it, fresh] = codes_.emplace(upper(values[code_field_]), row.number);
      if (!fresh) {
        problem(row.number, static_cast<size_t>(m.field_column[code_field_]), values[code_field_],
                fmt::format("code {} is also on row {}", values[code_field_], it->second));
        bad = true;
      }
    }
    int vat = def_.index("vat");
    if (vat >= 0 && !values[vat].empty()) {
      auto [it, fresh] = vats_.emplace(values[vat], row.number);
      if (!fresh) {
        problem(row.number, static_cast<size_t>(m.field_column[vat]), values[vat],
                fmt::format("VAT number {} is also on row {}", values[vat], it->second));
        bad = true;
      }
    }
    if (bad) {
      ++plan_.rows_rejected;
      return;
    }
    plan_.rows.emplace_back(def_, row.number, values);
  }

  void generate_codes() {
    if (!*def_.code_source || code_field_ < 0) return;
    int source = def_.index(def_.code_source);
    CodeGenerator gen(static_cast<size_t>(def_.fields[code_field_].max_length), o_.existing_codes,
                      def_.target == Target::suppliers ? "S" : "C");
    for (const auto& [code, row] : codes_) gen.reserve(code);
    for (auto& r : plan_.rows) {
      if (!r.at(code_field_).empty()) continue;
      r.set(static_cast<size_t>(code_field_), gen.make(r.at(static_cast<size_t>(source))));
      r.code_generated_ = true;
    }
  }

  void report_progress() {
    if (!o_.progress) return;
    ReadProgress p = reader_->progress();
    o_.progress({plan_.rows_read, p.bytes_read, p.bytes_total});
  }

  std::filesystem::path path_;
  const ImportOptions& o_;
  const TargetDef& def_;
  ImportPlan plan_;
  std::unique_ptr<SheetReader> reader_;
  std::deque<SheetRow> pending_;
  int code_field_ = -1;
  std::map<std::string, uint64_t> codes_;
  std::map<std::string, uint64_t> vats_;
};

ImportPlan build_import_plan(const std::filesystem::path& path, const ImportOptions& options) {
  return PlanBuilder(path, options).build();
}

}  // namespace invoicing::import
