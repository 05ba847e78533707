// A temporary folder of our own, removed with what it holds when it goes out of scope (local:
// a backup's copy is compressed from it; a database's backup and restore pass through a data
// folder made in it).
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "xbase/error.h"
#include "xbase/file.h"

namespace invoicing::backup {

struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    auto& fs = xbase::FileSystem::os();
    path = std::filesystem::temp_directory_path() / fmt::format("invoicing-backup-{}-{:016x}", getpid(), fs.random());
    fs.create_directories(path);
  }
  ~TempFolder() {
    try {
      xbase::FileSystem::os().remove_all(path);
    } catch (const xbase::Error&) {
    }
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
};

}  // namespace invoicing::backup
