// A company data folder: the tables of the data dictionary opened for shared use, the global
// settings kept in it, the schema version (upgraded in place when older), and the seat this
// program holds while it runs.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/dictionary.h"
#include "xbase/table.h"

namespace invoicing::store {

// Something the user asked for that cannot be done; the message says why (exit code 1).
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Identity {
  std::string user;
  std::string workstation;
};

enum class Edition { free, basic, pro, full };
const char* edition_name(Edition e);
int seat_count(Edition e);
std::optional<Edition> edition_from_name(std::string_view s);

struct InitOptions {
  std::string company = "My company";
  std::string vat;                     // BE0123456749 (checked by the caller)
  Edition edition = Edition::free;     // written to LICENCE.TXT
  int schema_version = kSchemaVersion; // older only to test upgrades
};

struct OpenOptions {
  Identity who;
  bool take_seat = true;
  // Waits for record locks other workstations hold (the numbering lock has its own setting).
  std::chrono::milliseconds lock_wait{30000};
};

struct UpgradeReport {
  int from = 0, to = 0;
  std::filesystem::path backup;
};

class Company {
 public:
  // Creates the folder's tables (refuses a folder that has them already).
  static void init(const std::filesystem::path& dir, const InitOptions& opts);
  // Opens a data folder: refuses a newer schema, upgrades an older one (every other program
  // must be out of the folder for that), takes a seat.
  static std::unique_ptr<Company> open(const std::filesystem::path& dir, const OpenOptions& opts);
  ~Company();

  xbase::Table& table(std::string_view name);
  const std::filesystem::path& dir() const { return dir_; }
  const Identity& who() const { return who_; }
  int schema_version() const { return version_; }
  const std::optional<UpgradeReport>& upgrade() const { return upgrade_; }
  Edition edition() const { return edition_; }
  int seat() const { return seat_; }  // 0 when none was taken

  std::string setting(std::string_view key, std::string_view fallback = "");
  void set_setting(std::string_view key, std::string_view value);

  // Says in our seat's record what we are doing under a lock others may wait for ("" clears).
  void set_busy(const std::string& what);
  // Who holds a seat and what they said they are doing: "user on workstation (busy)".
  std::vector<std::string> seat_holders();

 private:
  Company() = default;
  void open_tables(bool exclusive);
  void take_seat();
  std::filesystem::path dir_;
  Identity who_;
  OpenOptions opts_;
  int version_ = 0;
  Edition edition_ = Edition::free;
  int seat_ = 0;
  std::optional<UpgradeReport> upgrade_;
  std::map<std::string, std::unique_ptr<xbase::Table>, std::less<>> tables_;
  std::unique_ptr<xbase::Table> seats_;  // opened on its own: seat locks are never waited for
};

// Reads the folder's schema version without opening it for work (0 when it is not one).
int folder_schema_version(const std::filesystem::path& dir);

// Values of N fields as text of exact decimals (no binary floating point for money).
std::string decimal_text(const xbase::Value& v);

}  // namespace invoicing::store
