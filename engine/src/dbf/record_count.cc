#include "dbf/record_count.h"

namespace xbase::dbf {

RecordCount count_records(File& f, uint64_t header_len, uint64_t record_len, uint64_t size,
                          uint64_t header_count) {
  RecordCount c;
  c.by_size = size > header_len ? (size - header_len) / record_len : 0;
  uint8_t mark = 0;
  c.marked = header_count < c.by_size &&
             f.read_at(header_len + header_count * record_len, &mark, 1) == 1 && mark == 0x1A;
  c.count = c.marked ? header_count : c.by_size;
  c.end = header_len + c.count * record_len;
  c.tail = size > c.end ? size - c.end : 0;
  return c;
}

}  // namespace xbase::dbf
