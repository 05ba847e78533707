// How values become CDX key bytes, as Visual FoxPro writes them (reference 4.8): the byte forms
// a reader of a CDX file needs to make sense of its keys. Building a key from an expression's
// value is expr::encode_key, on top of these.
#pragma once

#include <cstdint>
#include <string>

namespace xbase::cdx {

// The first byte of a key of a nullable expression: null sorts before every value.
constexpr char kNullKeyMarker = '\x00';
constexpr char kValueKeyMarker = '\x80';

// 8 bytes that sort as the doubles do: big-endian, the sign bit flipped for positives, every
// bit flipped for negatives; -0.0 is +0.0. Numbers, dates (their Julian day) and datetimes.
std::string double_key(double d);

// A bare VFP integer field's 4-byte key: big-endian with the sign bit flipped.
inline void int32_key(int32_t v, char* out) {
  uint32_t u = uint32_t(v) ^ 0x80000000u;
  out[0] = char(u >> 24), out[1] = char(u >> 16), out[2] = char(u >> 8), out[3] = char(u);
}

}  // namespace xbase::cdx
