// Index tags as the caller sees them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xbase {

struct TagInfo {
  std::string name;
  std::string key_expr;
  // The fields the key expression reads, in order of first use (empty when it cannot be
  // compiled): what a tool comparing keys of two copies must compare.
  std::vector<std::string> key_fields;
  std::string for_expr;   // empty when the tag has no FOR clause
  std::string collation;  // MACHINE, GENERAL, ... (empty when the file does not say)
  uint16_t key_length = 0;
  char key_type = 0;  // C, N, D, T or L (0 when the key expression cannot be compiled)
  bool unique = false;
  bool candidate = false;  // VFP CANDIDATE: every record indexed, duplicates refused
  bool descending = false;
  bool null_marker = false;  // keys carry VFP's leading null byte
  // A tag on one nullable field without that byte (another writer's, e.g. Harbour's): a null
  // is keyed as the field's blank value, as its writer keys it.
  bool nulls_as_blank = false;
  std::string index_file;  // the .cdx holding the tag
  std::string problem;     // why the engine cannot maintain the tag (empty when it can)
};

// INDEX ON key TAG name [FOR cond] [UNIQUE | CANDIDATE] [DESCENDING]
struct TagSpec {
  std::string name;
  std::string key;
  std::string for_expr;
  bool unique = false;
  bool candidate = false;
  bool descending = false;
};

enum class SeekMode {
  exact,    // the whole key must match (character keys padded with blanks)
  partial,  // character keys: the stored key begins with the given text (SET EXACT OFF)
  soft,     // like partial, else the next key after it (SET NEAR ON)
};

}  // namespace xbase
