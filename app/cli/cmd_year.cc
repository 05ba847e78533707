// invoicing year list | year close YEAR: the fiscal years, and closing one for good.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "store/fiscal_years.h"

namespace invoicing::cli {

namespace {

std::string year_json(const store::FiscalYearState& y) {
  return fmt::format("{{\"fiscal_year\":{},\"start\":{},\"end\":{},\"closed\":{},\"final_documents\":{},\"drafts\":{}}}",
                     y.year, json_string(date_text(y.start)), json_string(date_text(y.end)),
                     y.closed ? "true" : "false", y.finals, y.drafts);
}

}  // namespace

int cmd_year(int argc, char** argv) {
  const char* usage = "usage: invoicing year list | invoicing year close YEAR";
  if (argc < 3) throw UsageError(usage);
  const std::string sub = argv[2];
  Args a = parse(argc, argv, 3, {}, {});
  auto c = open_company(a);
  store::FiscalYears years(*c);
  if (sub == "list" && a.positional.empty()) {
    auto list = years.list();
    if (a.has("json")) {
      std::cout << "[";
      for (size_t i = 0; i < list.size(); ++i) std::cout << (i ? "," : "") << year_json(list[i]);
      std::cout << "]\n";
    } else {
      for (const auto& y : list)
        std::cout << fmt::format("{}  {} .. {}  {:<6}  {} final, {} draft{}\n", y.year, date_text(y.start),
                                 date_text(y.end), y.closed ? "closed" : "open", y.finals, y.drafts,
                                 y.drafts == 1 ? "" : "s");
    }
    return 0;
  }
  if (sub == "close" && a.positional.size() == 1) {
    auto y = years.close(int(id_of(a.positional[0], "a fiscal year")));
    if (a.has("json")) std::cout << year_json(y) << "\n";
    else std::cout << fmt::format("fiscal year {} ({} .. {}) is closed: no document is dated in it any more\n", y.year,
                                  date_text(y.start), date_text(y.end));
    return 0;
  }
  throw UsageError(usage);
}

}  // namespace invoicing::cli
