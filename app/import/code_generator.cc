#include "import/code_generator.h"

#include "import/text_fold.h"

namespace invoicing::import {

namespace {
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}
}  // namespace

CodeGenerator::CodeGenerator(size_t max_length, std::set<std::string> taken, std::string fallback)
    : max_length_(max_length < 1 ? 1 : max_length), fallback_(std::move(fallback)) {
  for (const auto& t : taken) taken_.insert(upper(t));
}

void CodeGenerator::reserve(std::string_view code) { taken_.insert(upper(code)); }

std::string CodeGenerator::make(std::string_view name) {
  std::string base = ascii_upper_alnum(name);
  if (base.empty()) base = fallback_;
  std::string candidate = base.substr(0, max_length_);
  for (uint64_t n = 2; taken_.count(candidate); ++n) {
    std::string suffix = std::to_string(n);
    if (suffix.size() >= max_length_) suffix = suffix.substr(suffix.size() - max_length_);
    candidate = base.substr(0, max_length_ - suffix.size()) + suffix;
  }
  taken_.insert(candidate);
  return candidate;
}

}  // namespace invoicing::import
