// libFuzzer target: a licence file's bytes, as `invoicing` reads LICENCE.LIC from a data folder
// anyone with write access to the share can change. Parsing must end in a licence or a
// LicenceError; the verdict must never be in force for text the test key did not sign.
#include <cstddef>
#include <cstdint>
#include <string>

#include "licence/licence.h"
#include "licence/licence_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace invoicing::licence;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto s = parse_licence(text);
    // What was read writes back to the same text (modulo CR before LF).
    std::string plain;
    for (size_t i = 0; i < text.size(); ++i)
      if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) plain += text[i];
    if (licence_text(s) != plain) __builtin_trap();
  } catch (const LicenceError&) {
  }
  const ProgramRelease program{"0.1.0", {2026, 12, 15}};
  auto v = judge_licence(text, "", {"BE0431115213", "", ""}, program);
  if (v.in_force() && !v.licence) __builtin_trap();
  (void)judge_new_licence(text, "", program);
  return 0;
}
