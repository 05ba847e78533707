// invoicing setting [KEY [VALUE]]: the company's settings, their defaults and meaning.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "store/settings.h"

namespace invoicing::cli {

int cmd_setting(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {});
  if (a.positional.size() > 2) throw UsageError("usage: invoicing setting [KEY [VALUE]]");
  auto c = open_company(a);
  if (a.positional.size() == 2) {
    store::change_setting(*c, a.positional[0], a.positional[1]);
    std::cout << fmt::format("{} = {}\n", a.positional[0], c->setting(a.positional[0]));
    return 0;
  }
  bool first = true;
  if (a.has("json")) std::cout << "[";
  for (const auto& s : store::known_settings()) {
    if (a.positional.size() == 1 && a.positional[0] != s.key) continue;
    const std::string value = c->setting(s.key, s.fallback);
    if (a.has("json"))
      std::cout << fmt::format("{}{{\"key\":{},\"value\":{},\"default\":{},\"meaning\":{}}}", first ? "" : ",",
                               json_string(std::string(s.key)), json_string(value), json_string(std::string(s.fallback)),
                               json_string(std::string(s.meaning)));
    else
      std::cout << fmt::format("{:<34} {:<24} {}\n", s.key, value, s.meaning);
    first = false;
  }
  if (a.has("json")) std::cout << "]\n";
  if (first && a.positional.size() == 1) throw store::UserError(fmt::format("there is no setting {}", a.positional[0]));
  return 0;
}

}  // namespace invoicing::cli
