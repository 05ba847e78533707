// The argument parser both command lines share (common/cli/command_args.h).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/cli/command_args.h"

using common::cli::Args;
using common::cli::parse_args;
using common::cli::UsageError;

namespace {

Args parse(std::vector<std::string> words) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return parse_args(int(argv.size()), argv.data(), 1, {"limit", "codepage"}, {"json", "fix"});
}

}  // namespace

TEST_CASE("command arguments: words, options with a value in either form, flags", "[tools]") {
  Args a = parse({"xbase", "dump", "T.DBF", "--limit", "5", "--codepage=850", "--json", "-", "x"});
  CHECK(a.positional == std::vector<std::string>{"dump", "T.DBF", "-", "x"});
  CHECK(a.get("limit") == "5");
  CHECK(a.get_int("codepage", 0) == 850);
  CHECK(a.get_int("absent", 7) == 7);
  CHECK(a.get("absent", "none") == "none");
  CHECK(a.has("json"));
  CHECK_FALSE(a.has("fix"));
}

TEST_CASE("command arguments that cannot be understood are usage errors naming the option", "[tools]") {
  auto message = [](std::vector<std::string> words) {
    try {
      parse(std::move(words));
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(message({"xbase", "--limit"}) == "--limit needs a value");
  CHECK(message({"xbase", "--colour", "red"}) == "unknown option --colour");
  CHECK(message({"xbase", "--json=yes"}) == "unknown option --json");
  Args a = parse({"xbase", "--limit", "5x"});
  try {
    a.get_int("limit", 0);
    FAIL("5x was taken as a number");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) == "--limit needs a whole number, not \"5x\"");
  }
}
