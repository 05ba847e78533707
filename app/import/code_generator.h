// Codes made from names for rows that have none ("Brasserie 't Fonteintje" -> "BRASSERIET"):
// upper-case ASCII letters and digits, within the field's length, unique within the import
// and against the codes the company already has (a number replaces the end on a clash:
// "BRASSERIE2").
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace invoicing::import {

class CodeGenerator {
 public:
  // `taken`: codes already in use, compared upper case.
  CodeGenerator(size_t max_length, std::set<std::string> taken, std::string fallback = "X");

  // Marks a code as used (one given in the file).
  void reserve(std::string_view code);
  // A new code from `name`, and marks it used.
  std::string make(std::string_view name);

 private:
  size_t max_length_;
  std::set<std::string> taken_;
  std::string fallback_;
};

}  // namespace invoicing::import
