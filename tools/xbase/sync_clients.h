// What cloud-sync clients leave in a data folder: their conflict copies (`name (conflicted
// copy 2024-05-02).dbf`, `name-HOSTNAME.dbf`, `name.sync-conflict-...`) and the marker files
// that show a folder is synchronised by one. Used by `xbase conflicts` and `xbase doctor`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace xbase::tool {

struct ConflictName {
  std::string client;    // "Dropbox", "OneDrive", "Google Drive", "Syncthing",
                         // "Nextcloud/ownCloud", "iCloud", "Resilio Sync", "Seafile"
  std::string original;  // the file name the copy stands for (as it exists among siblings)
  std::string detail;    // host, device or user the name carries ("" when none)
  std::string date;      // ISO date (YYYY-MM-DD, with time when given) the name carries, or ""
};

// The names in one folder, looked up exactly or in any ASCII case in constant time: a folder
// may hold 100,000 files, and every name is checked against the others.
class Siblings {
 public:
  explicit Siblings(const std::vector<std::string>& names);
  bool has(const std::string& name) const;
  // `name` itself, else (any_case) the first of `names` equal to it in ASCII case.
  std::optional<std::string> find(const std::string& name, bool any_case) const;

 private:
  std::unordered_set<std::string> exact_;
  std::unordered_map<std::string, std::string> lower_;
};

// Whether `name` is a conflict copy made by a sync client. `siblings` are the other names in
// the same folder: patterns that ordinary names can also have (OneDrive's `name-HOST`, Google
// Drive's `name (1)`, iCloud's `name 2`) count only when the original exists beside it.
std::optional<ConflictName> conflict_copy(const std::string& name, const Siblings& siblings);
// The same for one name (builds the lookup each call: for a whole folder use Siblings once).
std::optional<ConflictName> conflict_copy(const std::string& name,
                                          const std::vector<std::string>& siblings);

struct SyncMarker {
  std::string client;           // as in ConflictName::client
  std::filesystem::path path;   // the marker found
  std::string why;              // one line: what it shows
};

// Markers of sync clients in `dir` and every folder above it (a data folder inside a Dropbox
// tree is synchronised even when the marker sits at the top).
std::vector<SyncMarker> sync_markers(const std::filesystem::path& dir);
// Markers in `dir` itself only (a walk down a tree has looked at the folders above already).
std::vector<SyncMarker> sync_markers_here(const std::filesystem::path& dir);

}  // namespace xbase::tool
