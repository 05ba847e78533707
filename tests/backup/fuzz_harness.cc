#include "fuzz_harness.h"

#include <string>

#include "backup/archive.h"
#include "backup/manifest.h"
#include "store/errors.h"

namespace backup_fuzz {

void run_one(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  invoicing::backup::ArchiveLimits l;
  l.max_total_bytes = 64u << 20;  // the fuzzer's memory, not a backup's real limit
  l.max_entry_bytes = 16u << 20;
  try {
    auto a = invoicing::backup::BackupArchive::open_memory(bytes, l);
    for (const auto& e : a->entries()) {
      try {
        a->read(e.name, [](const char*, size_t) {});
      } catch (const invoicing::store::UserError&) {
      }
    }
  } catch (const invoicing::store::UserError&) {
  }
  try {
    invoicing::backup::parse_manifest(bytes, 1u << 30);
  } catch (const invoicing::store::UserError&) {
  }
}

}  // namespace backup_fuzz
