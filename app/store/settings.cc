#include "store/settings.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/numbering.h"
#include "domain/vat_number.h"
#include "store/field_rules.h"

namespace invoicing::store {

namespace {

int whole_number(const std::string& key, const std::string& value, int lo, int hi) {
  int n = 0;
  size_t used = 0;
  try {
    n = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (value.empty() || used != value.size() || n < lo || n > hi)
    throw UserError(fmt::format("the setting {} is a whole number {} to {}, not \"{}\"", key, lo, hi, value));
  return n;
}

bool any_document(Company& c) {
  bool found = false;
  c.storage().scan(Tbl::doc, [&](const Row&) {
    found = true;
    return false;
  });
  return found;
}

}  // namespace

const std::vector<SettingInfo>& known_settings() {
  static const std::vector<SettingInfo> k = {
      {"company", "My company", "the company's name on its documents"},
      {"vat", "", "the company's VAT number"},
      {"country", "BE", "the country the company is established in (VAT rules and rates)"},
      {"street", "", "the company's street and number"},
      {"postcode", "", "the company's postcode"},
      {"city", "", "the company's city"},
      {"iban", "", "the account customers pay into"},
      {"bic", "", "the bank's BIC"},
      {"email", "", "the company's e-mail address"},
      {"phone", "", "the company's phone number"},
      {"enterprise_no", "", "the company's enterprise number (BE) or KvK number (NL)"},
      {"logo", "", "the logo file in the data folder's layouts/ (invoicing company set --logo)"},
      {"peppol_id", "", "the company's Peppol endpoint (scheme:value) when not derived from its numbers"},
      {"numbering", "serialized", "serialized or multiuser (invoicing numbering mode)"},
      {"numbering_wait", "60", "seconds a finalization waits for another workstation's numbering"},
      {"fiscal_year_start_month", "1", "the month a fiscal year starts in (1..12); fixed once documents exist"},
      {"document_date_max_days_ahead", "30", "a document is dated at most this many days after today"},
      {"previous_year_grace_days", "31",
       "days into a new fiscal year during which the previous one still takes documents"},
      {"closed_years", "", "fiscal years closed for good (invoicing year close YEAR)"},
      {"negative_stock", "warn", "warn or refuse when a finalization takes stock below zero"},
      {"reminder_first_after_due_days", "14", "first reminder this many days after the due date"},
      {"reminder_second_after_first_days", "14", "second reminder this many days after the first"},
      {"reminder_last_after_second_days", "14", "last reminder this many days after the second"},
      {"accounting_file_id", "", "the file number the accountant uses for this company ([accounting_file_id] in delivery paths)"},
      {"delivery_log_kb", "1024", "the size at which the delivery log is rotated (logs/delivery.log, 5 kept)"},
  };
  return k;
}

void change_setting(Company& c, const std::string& key, const std::string& value) {
  const auto& known = known_settings();
  auto it = std::find_if(known.begin(), known.end(), [&](const SettingInfo& i) { return i.key == key; });
  if (it == known.end()) {
    std::string names;
    for (const auto& i : known) names += (names.empty() ? "" : ", ") + std::string(i.key);
    throw UserError(fmt::format("there is no setting {} (the settings: {})", key, names));
  }
  std::string v = value;
  if (key == "closed_years")
    throw UserError("fiscal years are closed with `invoicing year close YEAR`, and stay closed");
  if (key == "fiscal_year_start_month") {
    int m = whole_number(key, v, 1, 12);
    auto verdict = domain::check_fiscal_start_change(fiscal_settings(c).start_month, m, any_document(c));
    if (!verdict) throw UserError(verdict.message());
  } else if (key == "document_date_max_days_ahead" || key == "previous_year_grace_days") {
    whole_number(key, v, 0, 366);
  } else if (key.rfind("reminder_", 0) == 0) {
    whole_number(key, v, 0, 365);
  } else if (key == "delivery_log_kb") {
    whole_number(key, v, 1, 1048576);
  } else if (key == "numbering_wait") {
    whole_number(key, v, 0, 3600);
  } else if (key == "numbering") {
    if (!domain::numbering_mode_from_name(v))
      throw UserError(fmt::format("the setting numbering is serialized or multiuser, not \"{}\"", v));
  } else if (key == "negative_stock") {
    if (v != "warn" && v != "refuse")
      throw UserError(fmt::format("the setting negative_stock is warn or refuse, not \"{}\"", v));
  } else if (key == "country") {
    for (auto& ch : v) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    if (v.size() != 2 || !std::isalpha(static_cast<unsigned char>(v[0])) || !std::isalpha(static_cast<unsigned char>(v[1])))
      throw UserError(fmt::format("the country is a two-letter code (BE, NL, ...), not \"{}\"", value));
  } else if (key == "vat" && !v.empty()) {
    auto chk = domain::check_vat_number(v);
    if (!chk.valid) throw UserError(fmt::format("VAT number {}: {}", v, chk.reason));
    v = chk.normalized;
  } else if (key == "iban") {
    std::string compact;
    for (char ch : v)
      if (ch != ' ') compact += char(std::toupper(static_cast<unsigned char>(ch)));
    v = compact;
  }
  c.set_setting(key, v);
}

domain::FiscalSettings fiscal_settings(Company& c) {
  domain::FiscalSettings s;
  s.start_month = c.int_setting("fiscal_year_start_month", 1);
  s.max_days_ahead = c.int_setting("document_date_max_days_ahead", 30);
  s.previous_year_grace_days = c.int_setting("previous_year_grace_days", 31);
  try {
    domain::validate(s);
  } catch (const std::invalid_argument& e) {
    throw UserError(fmt::format("the settings are wrong: {} (invoicing setting KEY VALUE)", e.what()));
  }
  return s;
}

std::vector<int> closed_years(Company& c) {
  std::vector<int> out;
  std::string list = c.setting("closed_years");
  size_t i = 0;
  while (i < list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string::npos) j = list.size();
    std::string part = list.substr(i, j - i);
    if (!part.empty()) out.push_back(whole_number("closed_years", part, 1, 9999));
    i = j + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

domain::ReminderSettings reminder_settings(Company& c) {
  domain::ReminderSettings s;
  s.first_after_due_days = c.int_setting("reminder_first_after_due_days", 14);
  s.second_after_first_days = c.int_setting("reminder_second_after_first_days", 14);
  s.last_after_second_days = c.int_setting("reminder_last_after_second_days", 14);
  return s;
}

NegativeStock negative_stock(Company& c) {
  std::string v = c.setting("negative_stock", "warn");
  if (v == "refuse") return NegativeStock::refuse;
  if (v == "warn") return NegativeStock::warn;
  throw UserError(fmt::format("the setting negative_stock is \"{}\" (warn or refuse)", v));
}

std::vector<SettingRecord> settings_with_prefix(Company& c, std::string_view prefix) {
  std::vector<SettingRecord> out;
  c.storage().scan(Tbl::settings, [&](const Row& r) {
    std::string key = r.text(fld::key);
    if (key.rfind(prefix, 0) == 0) out.push_back({key, r.text(fld::value), r.text(fld::note)});
    return true;
  });
  std::sort(out.begin(), out.end(), [](const SettingRecord& a, const SettingRecord& b) { return a.key < b.key; });
  return out;
}

void put_setting_record(Company& c, const std::string& key, const std::string& value, const std::string& note) {
  const std::string k = checked_text(Tbl::settings, fld::key, key, "a setting's name");
  const std::string v = checked_text(Tbl::settings, fld::value, value, "a setting's value");
  Action a(c.storage());
  c.forget_settings();
  auto r = c.storage().find(Tbl::settings, "KEY", {xbase::Value::text(k)});
  if (r) {
    c.storage().lock(Tbl::settings, r->id, c.lock_wait());
    c.storage().update(Tbl::settings, r->id, Row().text(fld::value, v).text(fld::note, note));
  } else {
    Row row;
    row.text(fld::key, k).text(fld::value, v).text(fld::note, note);
    c.storage().insert(Tbl::settings, row);
  }
  a.commit();
}

bool remove_setting_record(Company& c, const std::string& key) {
  Action a(c.storage());
  c.forget_settings();
  auto r = c.storage().find(Tbl::settings, "KEY", {xbase::Value::text(key)});
  if (!r) return false;
  c.storage().lock(Tbl::settings, r->id, c.lock_wait());
  c.storage().remove(Tbl::settings, r->id);
  a.commit();
  return true;
}

}  // namespace invoicing::store
