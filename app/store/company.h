// A company's data as one program works in it: the storage (the shared data folder), who is
// working (user and workstation, the seat this program holds while it runs), the edition,
// the company's global settings, and the waits its locks use. Every module of the store
// (parties, articles, documents, numbering, ...) works through a Company.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/edition.h"
#include "licence/licence_check.h"
#include "store/errors.h"
#include "store/folder/folder_schema.h"
#include "store/storage.h"

namespace invoicing::store {

using domain::Edition;

struct InitOptions {
  std::string company = "My company";
  std::string vat;                  // normalized, checked by the caller (may be empty)
  std::string country = "BE";
  // A signed licence file's text to install with the folder ("": none, the Free edition). It
  // must be genuine and for this company; with no VAT number given the licence's is taken.
  std::string licence;
  int schema_version = 0;           // 0: the current one; older only to test upgrades
};

struct OpenOptions {
  Identity who;
  bool take_seat = true;
  bool read_only = false;
  // Opened for one command (a CLI run): settings are read once, when first asked for, and kept
  // for the company's life (see Company::Command). A program that runs on and on (the web
  // UI, `invoicing work`) leaves it off and holds a Command per request instead.
  bool one_command = false;
  // How long a change waits for a record another workstation holds (a document being
  // edited); the numbering has its own setting (`numbering_wait`).
  std::chrono::milliseconds lock_wait{10000};
};

using folder::UpgradeReport;

// A data folder as seen from outside, without opening it for work (`invoicing version`).
struct FolderInfo {
  folder::SchemaStamp schema;  // version 0: not a company data folder
  std::string company;         // SETTINGS company
  licence::Verdict licence;    // what its licence means for this program
};

class Company {
 public:
  // Creates a company data folder (complete or not at all).
  static void init(const std::filesystem::path& dir, const InitOptions& opts);
  // Opens a data folder: refuses a newer schema, upgrades an older one (every other program
  // must be out of the folder for that), takes a seat.
  // A `postgresql://...` target instead of a folder opens the company in that database
  // (store/postgres); init creates it there.
  static std::unique_ptr<Company> open(const std::filesystem::path& dir, const OpenOptions& opts);
  // The schema version of a data folder (0: not one), without opening it for work.
  static int schema_version_of(const std::filesystem::path& dir);
  // Rebuilds the indexes the dictionary declares that are missing or differ (everyone else
  // must be out of the folder); returns what was rebuilt.
  static std::vector<std::string> rebuild_indexes(const std::filesystem::path& dir);
  // Schema stamp, company name and licence verdict of a folder, without upgrading it or
  // taking a seat.
  static FolderInfo inspect(const std::filesystem::path& dir);
  ~Company();

  Storage& storage() { return *storage_; }
  const std::filesystem::path& dir() const { return dir_; }
  const Identity& who() const { return who_; }
  // The edition and seats in force: the licence's when it is valid, else Free (the verdict
  // says why; the data stays readable whatever the edition).
  Edition edition() const { return licence_.edition; }
  int seats() const { return licence_.seats; }
  const licence::Verdict& licence() const { return licence_; }
  // Throws NeedsEdition, naming the edition that offers `f`, unless this company's does. The
  // store calls it at its entry points; front ends (import, e-invoice delivery, web) call it
  // before they start.
  void require(domain::Feature f) const;
  // Checks a licence file's text (genuine, for this company; a company without a VAT number
  // takes the licence's), writes it into the folder and records the install. Returns what
  // it means for this program; the new seats apply to programs started from now on.
  licence::Verdict install_licence(const std::string& text);
  int seat() const { return seat_; }  // 0 when none was taken
  const std::optional<UpgradeReport>& upgrade() const { return upgrade_; }
  std::chrono::milliseconds lock_wait() const { return opts_.lock_wait; }

  // Global settings, kept in the data (SETTINGS); the fallback when a key is not set.
  // While a Command lives, SETTINGS is read once (one scan, when first asked) and the values
  // are kept: on a share every read is a network round trip, and a finalization asks for a
  // dozen settings (issue 30). The command's own writes (put_setting, forget_settings) drop
  // them; they are read again once its action has ended (committed or rolled back).
  std::string setting(std::string_view key, std::string_view fallback = "");
  void set_setting(std::string_view key, std::string_view value);
  // The same inside a running action (SETTINGS is written in its turn, see storage.h).
  void put_setting(std::string_view key, std::string_view value);
  // A setting that is a whole number; the fallback when unset, an error naming it when bad.
  int int_setting(std::string_view key, int fallback);

  // After a write of SETTINGS by other means than put_setting (settings.cc's records).
  void forget_settings();

  // One command or request: settings read in it are kept until it ends (nests).
  class Command {
   public:
    explicit Command(Company& c);
    ~Command();
    Command(const Command&) = delete;
    Command& operator=(const Command&) = delete;

   private:
    Company& c_;
  };

  // Who holds a seat, and what they said they are busy with.
  std::vector<SeatHolder> seat_holders();
  // "anna on PC-anna" for every other workstation that said it is busy with `what`
  // (a prefix of its busy text); our own seat is never named.
  std::vector<std::string> busy_with(std::string_view what);
  // "anna on PC-anna" for every other workstation in the program now.
  std::vector<std::string> other_workstations() { return busy_with(""); }

  // Says in our seat what we are doing under a lock others may wait for, while it lives.
  class Doing {
   public:
    Doing(Company& c, const std::string& what);
    ~Doing();
    Doing(const Doing&) = delete;
    Doing& operator=(const Doing&) = delete;

   private:
    Company& c_;
  };

 private:
  Company() = default;
  static std::unique_ptr<Company> open_database(const std::string& target, const OpenOptions& opts);
  licence::Verdict stored_licence();
  void take_seat();
  std::filesystem::path dir_;  // the data folder, or the database target
  Identity who_;
  OpenOptions opts_;
  licence::Verdict licence_;
  int seat_ = 0;
  std::optional<UpgradeReport> upgrade_;
  std::unique_ptr<Storage> storage_;
  // Settings kept for the running command (see setting()): upper-case key -> value.
  int commands_ = 0;
  std::optional<std::map<std::string, std::string, std::less<>>> settings_;
  bool settings_written_ = false;  // by the action running now, if any
  bool kept_setting(std::string_view key, std::optional<std::string>& value);
};

// Whether a company target is a database ("postgresql://...") rather than a data folder.
bool is_database(const std::filesystem::path& target);
// A target as messages show it: a database's without its password.
std::string shown_target(const std::filesystem::path& target);

// "anna on PC-anna".
std::string describe(const Identity& who);

// The program's version ("0.3.0", from CMake) and the name written where data records it
// ("invoicing 0.3.0"); its release date ("2026-12-15").
const char* program_version();
std::string program_name();
const char* program_release_date();
// Compares "invoicing 0.10.2"-like names by their version numbers (-1, 0, 1); a name without a
// version counts as the oldest.
int compare_program_versions(const std::string& a, const std::string& b);

}  // namespace invoicing::store
