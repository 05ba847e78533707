// invoicing import customers|suppliers|articles FILE: another program's file read, mapped and
// checked by the import library, every row checked again by the store's own rules and against
// the data, then written in one action (all or nothing), with a problem report for Excel.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli.h"
#include "import/import_report.h"
#include "import/text_fold.h"
#include "import_rows.h"
#include "progress_bar.h"
#include "store/import_profiles.h"

namespace invoicing::cli {

namespace {

namespace imp = invoicing::import;

const char* kUsage =
    "usage: invoicing import customers|suppliers|articles FILE [--sheet NAME] [--map "
    "\"Column=field,...\"] "
    "[--profile NAME] [--save-profile NAME] [--on-duplicate skip|update|fail] [--dry-run] "
    "[--report FILE.csv] "
    "[--skip-bad] [--decimal ,|.] [--encoding utf-8|windows-1252] [--separator ';'|,|tab]";

// A profile's name as a file-safe key: compared as headers are (case, accents, spaces and
// punctuation do not count), so "Klanten Winbooks" and "klanten-winbooks" are one profile.
std::string profile_key(const std::string& name) {
  std::string key;
  for (char c : imp::fold_key(name))
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '%') key += c;
  if (key.empty())
    throw UsageError(
        fmt::format("an import profile's name needs letters or digits, not \"{}\"", name));
  return key;
}

imp::ImportProfile load_profile(store::Company& c, const std::string& name) {
  store::ImportProfiles profiles(c);
  auto text = profiles.load(profile_key(name));
  if (!text) {
    std::string known;
    for (const auto& k : profiles.keys()) known += (known.empty() ? "" : ", ") + k;
    throw store::UserError(fmt::format(
        "no import profile \"{}\" in this data folder ({})", name,
        known.empty() ? "it has none; make one with --save-profile" : "it has: " + known));
  }
  try {
    return imp::parse_profile(*text);
  } catch (const imp::ImportError& e) {
    throw store::UserError(fmt::format("import profile \"{}\": {}", name, e.what()));
  }
}

// What the user told this time (and the profile before): the explicit column pairs and the
// reading options. Headers found by themselves are found again next time and are not kept,
// so that a profile does not pin what it need not.
imp::ImportProfile profile_of(const std::string& name, const imp::ImportOptions& o) {
  imp::ImportProfile p;
  p.name = name;
  p.target = o.target;
  if (o.profile) p.mapping = o.profile->mapping;
  for (auto& pair : imp::parse_mapping(o.mapping)) {
    std::erase_if(p.mapping, [&](const auto& q) { return q.first == pair.first; });
    p.mapping.push_back(std::move(pair));
  }
  p.sheet = o.read.sheet.empty() && o.profile ? o.profile->sheet : o.read.sheet;
  p.encoding = o.read.encoding.empty() && o.profile ? o.profile->encoding : o.read.encoding;
  p.separator = !o.read.separator && o.profile ? o.profile->separator : o.read.separator;
  p.decimal_mark = !o.decimal_mark && o.profile ? o.profile->decimal_mark : o.decimal_mark;
  return p;
}

char separator_option(const std::string& s) {
  if (s.empty()) return 0;
  if (s == ";" || s == "," || s == "\t") return s[0];
  if (s == "tab") return '\t';
  throw UsageError(fmt::format("--separator is ';', ',' or tab, not \"{}\"", s));
}

store::OnDuplicate on_duplicate_option(const std::string& s) {
  if (s == "skip") return store::OnDuplicate::skip;
  if (s == "update") return store::OnDuplicate::update;
  if (s.empty() || s == "fail") return store::OnDuplicate::fail;
  throw UsageError(fmt::format("--on-duplicate is skip, update or fail, not \"{}\"", s));
}

// The rows' fates and the store's refusals, added to the plan as problems of their rows.
struct StoreVerdicts {
  uint64_t add = 0, update = 0, skip = 0, refused = 0;
  std::vector<bool> refused_rows;  // by plan row
};

template <class Importer, class Convert>
StoreVerdicts check_rows(imp::ImportPlan& plan, Importer& importer, Convert convert,
                         ProgressBar& bar) {
  StoreVerdicts v;
  v.refused_rows.assign(plan.rows.size(), false);
  const auto& def = imp::target_def(plan.target);
  for (size_t i = 0; i < plan.rows.size(); ++i) {
    const imp::ImportRow& row = plan.rows[i];
    store::RowCheck check = importer.check(convert(row));
    switch (check.fate) {
      case store::RowFate::add:
        ++v.add;
        break;
      case store::RowFate::update:
        ++v.update;
        break;
      case store::RowFate::skip:
        ++v.skip;
        break;
      case store::RowFate::refused: {
        ++v.refused;
        v.refused_rows[i] = true;
        std::string column = check.field.empty() ? "" : check.field;
        std::string value;
        if (int f = check.field.empty() ? -1 : def.index(check.field); f >= 0) {
          int col = plan.mapping.field_column[size_t(f)];
          column = col >= 0 ? plan.mapping.column_label(size_t(col))
                            : check.field + " (made from the name)";
          value = std::string(row.at(size_t(f)));
        }
        plan.problems.push_back({row.source_row(), column, value, check.reason});
        break;
      }
    }
    if ((i + 1) % 1000 == 0 || i + 1 == plan.rows.size())
      bar.show("checking", i + 1, "rows", i + 1, plan.rows.size());
  }
  plan.rows_rejected += v.refused;
  // The report in the file's order, the store's refusals among the library's.
  std::stable_sort(plan.problems.begin(), plan.problems.end(),
                   [](const imp::Problem& a, const imp::Problem& b) { return a.row < b.row; });
  return v;
}

std::string summary_json(const imp::ImportPlan& plan, const StoreVerdicts& v,
                         const store::BulkResult* done, const std::string& report) {
  return fmt::format(
      "{{\"target\":{},\"file\":{},\"format\":{},\"rows_read\":{},\"rows_with_problems\":{},"
      "\"problems\":{},"
      "\"to_add\":{},\"to_update\":{},\"skipped\":{},\"written\":{},\"added\":{},\"updated\":{},"
      "\"report\":{}}}",
      json_string(imp::target_name(plan.target)), json_string(plan.file),
      json_string(plan.format.type), plan.rows_read, plan.rows_rejected,
      plan.problems.size() + plan.problems_not_kept, v.add, v.update, v.skip,
      done ? "true" : "false", done ? done->added : 0, done ? done->updated : 0,
      json_string(report));
}

void print_problems(const imp::ImportPlan& plan, size_t max) {
  for (size_t i = 0; i < plan.problems.size() && i < max; ++i) {
    const auto& p = plan.problems[i];
    std::cerr << fmt::format("  row {}{}: {}{}\n", p.row, p.column.empty() ? "" : ", " + p.column,
                             p.value.empty() ? "" : "\"" + p.value + "\": ", p.reason);
  }
  size_t all = plan.problems.size() + plan.problems_not_kept;
  if (all > max) std::cerr << fmt::format("  ... and {} more\n", with_thousands(all - max));
}

}  // namespace

int cmd_import(int argc, char** argv) {
  if (argc < 4) throw UsageError(kUsage);
  auto target = imp::target_from_name(argv[2]);
  if (!target)
    throw UsageError(fmt::format("import what? customers, suppliers or articles, not \"{}\" ({})",
                                 argv[2], kUsage));
  Args a = parse(argc, argv, 3,
                 {"sheet", "map", "profile", "save-profile", "on-duplicate", "report", "decimal",
                  "encoding", "separator"},
                 {"dry-run", "skip-bad"});
  if (a.positional.size() != 1) throw UsageError(kUsage);
  const std::string file = a.positional[0];
  const bool dry_run = a.has("dry-run"), json = a.has("json");
  const store::OnDuplicate on_duplicate = on_duplicate_option(a.get("on-duplicate"));

  imp::ImportOptions o;
  o.target = *target;
  o.read.sheet = a.get("sheet");
  o.read.encoding = a.get("encoding");
  if (!o.read.encoding.empty() && o.read.encoding != "utf-8" && o.read.encoding != "windows-1252")
    throw UsageError(
        fmt::format("--encoding is utf-8 or windows-1252, not \"{}\"", o.read.encoding));
  o.read.separator = separator_option(a.get("separator"));
  const std::string mark = a.get("decimal");
  if (!mark.empty() && mark != "," && mark != ".")
    throw UsageError(fmt::format("--decimal is , or ., not \"{}\"", mark));
  o.decimal_mark = mark.empty() ? 0 : mark[0];
  o.mapping = a.get("map");
  if (a.options.count("save-profile"))
    profile_key(a.get("save-profile"));  // a bad name before any work

  auto c = open_company(a, !dry_run);
  std::optional<imp::ImportProfile> profile;
  if (a.options.count("profile")) profile = load_profile(*c, a.get("profile"));
  o.profile = profile ? &*profile : nullptr;
  o.supplier_country = c->setting("country", "BE");

  const bool parties = *target != imp::Target::articles;
  std::optional<store::PartyImport> party_import;
  std::optional<store::ArticleImport> article_import;
  if (parties)
    party_import.emplace(
        *c,
        *target == imp::Target::customers ? store::PartyKind::customer : store::PartyKind::supplier,
        on_duplicate);
  else
    article_import.emplace(*c, on_duplicate);
  o.existing_codes = parties ? party_import->existing_codes() : article_import->existing_codes();

  ProgressBar bar(!json);
  o.progress = [&](const imp::ImportProgress& p) {
    bar.show("reading", p.rows_read, "rows", p.bytes_read, p.bytes_total);
  };
  imp::ImportPlan plan;
  try {
    plan = imp::build_import_plan(file, o);
  } catch (const imp::ImportError& e) {
    bar.clear();
    // The file as a whole cannot be imported (unreadable, empty, a mapping that does not fit).
    throw store::UserError(fmt::format("{}; nothing was imported", e.what()));
  }
  if (a.options.count("save-profile")) {
    const std::string name = a.get("save-profile");
    store::ImportProfiles(*c).save(profile_key(name), imp::serialize_profile(profile_of(name, o)));
  }

  StoreVerdicts v = parties ? check_rows(plan, *party_import, party_record, bar)
                            : check_rows(plan, *article_import, article_record, bar);
  const std::string report = a.get("report");
  if (!report.empty()) imp::write_problems_csv(plan, report);
  const uint64_t bad_rows = plan.rows_rejected;
  const std::string what = imp::target_name(*target);
  const bool refused = bad_rows > 0 && !a.has("skip-bad");

  if (dry_run) {
    bar.clear();
    // The rows the store refuses are shown as the problems they are, not as rows to import.
    std::vector<imp::ImportRow> kept;
    for (size_t i = 0; i < plan.rows.size(); ++i)
      if (!v.refused_rows[i]) kept.push_back(std::move(plan.rows[i]));
    plan.rows = std::move(kept);
    if (json) {
      std::cout << summary_json(plan, v, nullptr, report) << "\n";
    } else {
      std::cout << imp::dry_run_text(plan);
      std::cout << fmt::format(
          "Against the data: {} new, {} to update, {} already there and skipped.\n",
          with_thousands(v.add), with_thousands(v.update), with_thousands(v.skip));
      std::cout
          << (refused ? fmt::format(
                            "An import would refuse the file: {} row(s) with problems (--skip-bad "
                            "leaves them out).\n",
                            with_thousands(bad_rows))
                      : std::string("Dry run: nothing was written.\n"));
    }
    return refused ? 1 : 0;
  }

  if (refused) {
    bar.clear();
    if (json) std::cout << summary_json(plan, v, nullptr, report) << "\n";
    std::cerr << fmt::format(
        "invoicing import: {}: {} of {} rows have problems; nothing was imported\n", plan.file,
        with_thousands(bad_rows), with_thousands(plan.rows_read));
    print_problems(plan, 10);
    std::cerr
        << (report.empty()
                ? "  --report FILE.csv lists every problem; --skip-bad imports the other rows\n"
                : fmt::format("  {} lists every problem; --skip-bad imports the other rows\n",
                              report));
    return 1;
  }

  store::BulkResult done;
  if (v.add + v.update > 0) {
    auto progress = [&](const store::BulkProgress& p) {
      bar.show(p.done < p.total ? "writing" : "committing", p.done, "rows", p.done, p.total);
    };
    if (parties)
      done = party_import->write([&](size_t i) { return party_record(plan.rows[i]); }, progress);
    else
      done =
          article_import->write([&](size_t i) { return article_record(plan.rows[i]); }, progress);
  }
  done.skipped = v.skip;
  bar.clear();
  if (json) {
    std::cout << summary_json(plan, v, &done, report) << "\n";
  } else {
    std::cout << fmt::format("{}: {} {} added, {} updated, {} skipped (already there)", plan.file,
                             with_thousands(done.added), what, with_thousands(done.updated),
                             with_thousands(done.skipped));
    if (done.stock_moves)
      std::cout << fmt::format(", {} opening stocks", with_thousands(done.stock_moves));
    if (bad_rows)
      std::cout << fmt::format("; {} rows with problems left out{}", with_thousands(bad_rows),
                               report.empty() ? "" : " (see " + report + ")");
    std::cout << "\n";
  }
  return 0;
}

}  // namespace invoicing::cli
