// Codepages: the DBF codepage mark, and conversion between the table's bytes and UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace xbase {

class Codepage {
 public:
  virtual ~Codepage() = default;
  int number() const { return number_; }  // Windows/DOS number: 1252, 850, ...
  // Table bytes -> UTF-8. Never fails: every byte of a single-byte codepage maps somewhere.
  virtual std::string decode(std::string_view bytes) const = 0;
  // UTF-8 -> table bytes. Throws xbase::Error(codepage) naming the first character that
  // does not exist in this codepage.
  virtual std::string encode(std::string_view utf8) const = 0;
  // UPPER()/LOWER() on table bytes with this codepage's letters (é -> É in 1252, ä -> Ä in
  // 850); a letter whose other case the codepage lacks stays as it is.
  virtual std::string upper(std::string_view bytes) const = 0;
  virtual std::string lower(std::string_view bytes) const = 0;
  // Single-byte codepages: UPPER() as a table of 256 bytes (nullptr for multi-byte text).
  virtual const uint8_t* upper_map() const { return nullptr; }
  // Printable ASCII (0x20-0x7E) is stored as itself, so such text needs no conversion.
  virtual bool ascii_identity() const { return false; }

  // Shared instances; throws xbase::Error(unsupported) for an unknown number.
  static const Codepage& get(int number);
  static bool known(int number);

 protected:
  explicit Codepage(int number) : number_(number) {}

 private:
  int number_;
};

// DBF header byte 29 -> codepage number (0 when the mark is 0 or unknown).
int codepage_from_mark(uint8_t mark);
// codepage number -> the mark VFP writes (0 when VFP has none).
uint8_t mark_from_codepage(int number);

}  // namespace xbase
