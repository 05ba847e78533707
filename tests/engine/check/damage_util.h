// Damaging a copy of a shared fixture table byte by byte, for the check and repair tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "test_util.h"
#include "xbase/file.h"

namespace xbase::test {

// A private copy of fixtures/SET/FIX.DBF (with its memo and index) in `d`.
inline std::filesystem::path fixture(const std::string& set, const TempDir& d) {
  return copy_table(shared_dir() / "fixtures" / set / "FIX.DBF", d.path());
}

inline void poke(const std::filesystem::path& p, uint64_t off, const std::string& bytes) {
  auto f = FileSystem::os().open(p, OpenMode::read_write);
  f->write_at(off, bytes.data(), bytes.size());
}

inline std::string peek(const std::filesystem::path& p, uint64_t off, size_t n) {
  auto f = FileSystem::os().open(p, OpenMode::read_only);
  std::string s(n, '\0');
  f->read_at(off, s.data(), n);
  return s;
}

}  // namespace xbase::test
