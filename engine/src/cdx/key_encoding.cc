#include "cdx/key_encoding.h"

#include <cstring>

#include "util/coding.h"

namespace xbase::cdx {

std::string double_key(double d) {
  if (d == 0) d = 0;  // -0.0 sorts as +0.0
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  bits = (bits & (uint64_t(1) << 63)) ? ~bits : bits ^ (uint64_t(1) << 63);
  std::string out(8, '\0');
  coding::put_be64(reinterpret_cast<uint8_t*>(out.data()), bits);
  return out;
}

}  // namespace xbase::cdx
