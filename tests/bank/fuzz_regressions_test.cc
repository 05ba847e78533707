// Replays the sample statements and every input the bank fuzz targets once crashed on
// (data/fuzz-regressions/, added as they are found) through the fuzz harness.
#include <catch2/catch.hpp>
#include <filesystem>

#include "fuzz_harness.h"
#include "test_util.h"

TEST_CASE("Bank fuzz regressions and samples go through both parsers", "[bank][fuzz-regression]") {
  int n = 0;
  for (const char* dir : {"", "/fuzz-regressions"}) {
    const std::filesystem::path p = std::string(BANK_DATA_DIR) + dir;
    if (!std::filesystem::is_directory(p)) continue;
    for (const auto& e : std::filesystem::directory_iterator(p)) {
      if (!e.is_regular_file()) continue;
      const std::string bytes = xbase::test::read_file(e.path());
      const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
      INFO(e.path().string());
      CHECK(invoicing::bank::fuzz::coda_one_input(data, bytes.size()) == 0);
      CHECK(invoicing::bank::fuzz::camt053_one_input(data, bytes.size()) == 0);
      ++n;
    }
  }
  CHECK(n >= 3);
}
