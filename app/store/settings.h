// The company's settings (SETTINGS) as the rules read them: which keys exist, their defaults
// and meaning, what each may hold, and typed readers for the store's modules. A setting is
// checked before it is stored, so a bad value is refused where it is typed, never later in
// the middle of a finalization.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/fiscal_year.h"
#include "domain/payments.h"
#include "store/company.h"

namespace invoicing::store {

struct SettingInfo {
  std::string_view key;
  std::string_view fallback;  // the value when it is not set
  std::string_view meaning;
};

// Every setting `invoicing setting` shows and changes, in the order it lists them.
const std::vector<SettingInfo>& known_settings();

// Checks and stores a setting. Refused: an unknown key, a value the setting cannot hold, a
// fiscal year start once documents exist (domain::check_fiscal_start_change), and the closed
// years (they are closed with `invoicing year close`, never reopened).
void change_setting(Company& c, const std::string& key, const std::string& value);

domain::FiscalSettings fiscal_settings(Company& c);
std::vector<int> closed_years(Company& c);
domain::ReminderSettings reminder_settings(Company& c);

// What a finalization does when it takes an article's stock below zero.
enum class NegativeStock { warn, refuse };
NegativeStock negative_stock(Company& c);

// Settings a module keeps for itself under its own keys (the delivery targets: "deliver:NAME"),
// with text of any length in the record's memo. `invoicing setting` neither lists nor takes them.
struct SettingRecord {
  std::string key, value, note;
};
std::vector<SettingRecord> settings_with_prefix(Company& c, std::string_view prefix);
// Writes the record (one action); the key and value are checked against their field lengths.
void put_setting_record(Company& c, const std::string& key, const std::string& value, const std::string& note);
// Removes it; false when there was none.
bool remove_setting_record(Company& c, const std::string& key);

}  // namespace invoicing::store
