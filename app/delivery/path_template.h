// Path templates of the accounting targets:
// `\\SERVER\Winbooks\Data\[enterprise_identifier]\inbound` or `/srv/acc/[enterprise_name]/sales`. A
// template names a fixed root (everything before the first folder holding a variable) and folders
// below it; each variable's value becomes one safe path component, so no company name or file id
// can lead the files out of the root. UNC names (\\SERVER\Share) are mapped to the mount points a
// Linux service reaches them by.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace invoicing::delivery {

// The variables a template may use, without brackets: enterprise_name, enterprise_identifier,
// accounting_file_id.
const std::vector<std::string_view>& template_variables();

// The longest component a variable yields, in bytes (UTF-8 never cut inside a character).
inline constexpr size_t kMaxComponentBytes = 64;

// One value as one safe file or folder name: no separators, none of <>:"/\|?* or control
// characters (each becomes '_'), no leading dot (a hidden file, or ".."), no leading space,
// no trailing dot or space, not a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9,
// with or without an extension: "_CON"), at most kMaxComponentBytes. Bytes that are not UTF-8
// become '_'. "" when nothing usable is left (an empty value, "..", " . ").
std::string safe_component(std::string_view value);

// A template as checked when it is configured. Throws std::invalid_argument saying what is
// wrong: empty, relative, a drive letter (a service has none), "." or ".." anywhere, an
// unknown [variable], an unclosed '[', a variable in the server or share name, no fixed folder
// before the first variable.
struct PathTemplate {
  std::string text;                     // as configured
  std::string unc_share;                // "\\SERVER\Share" (as typed), "" for a local path
  std::vector<std::string> root_parts;  // fixed folders (below the share for UNC)
  std::vector<std::string> var_parts;   // the folders from the first one with a variable on
};
PathTemplate parse_template(std::string_view text);

// Where this machine reaches a UNC share: its mount point, or (`local`) the folder the share
// exports when the service runs on the server itself.
struct Mount {
  std::filesystem::path dir;
  bool local = false;
};
// UNC share -> mount, matched without regard to case (as Windows does).
using MountMap = std::map<std::string, Mount>;
// "\\SERVER\Share" in the form the map keys it by ("\\server\share"); throws
// std::invalid_argument when `unc` is not \\SERVER\Share.
std::string unc_key(std::string_view unc);

struct ResolvedPath {
  std::filesystem::path root;   // must exist for the target to be reachable
  std::filesystem::path dir;    // below root; created when missing
  std::filesystem::path mount;  // a UNC share's mount point, which must be mounted ("" when none)
};

// True when `dir` is a mount point of this machine (/proc/self/mountinfo).
bool is_mount_point(const std::filesystem::path& dir);

// The folder a template names for these values (variable name -> value). Throws
// std::invalid_argument naming the variable whose value leaves nothing usable, the share
// without a mount point, or a result outside the root.
ResolvedPath resolve(const PathTemplate& t, const std::map<std::string, std::string>& values,
                     const MountMap& mounts);

// True when `p` (lexically normal) is `root` or lies below it.
bool is_within(const std::filesystem::path& p, const std::filesystem::path& root);

}  // namespace invoicing::delivery
