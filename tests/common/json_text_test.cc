// JSON string quoting (common/text/json_text.h): what both command lines print.
#include <catch2/catch.hpp>

#include "common/text/json_text.h"

TEST_CASE("json strings escape quotes, backslashes, control characters and DEL", "[tools]") {
  CHECK(common::json_string("a\"b\\c") == R"("a\"b\\c")");
  CHECK(common::json_string("l1\nl2\r\t") == R"("l1\nl2\r\t")");
  CHECK(common::json_string(std::string("\x01\x1b[31m", 6)) == R"("\u0001\u001b[31m")");
  CHECK(common::json_string("\x7f") == R"("\u007f")");
  CHECK(common::json_string("Zoë € 🍕") == "\"Zoë € 🍕\"");
  std::string out = "[";
  common::append_json_string(out, "");
  CHECK(out == "[\"\"");
}
