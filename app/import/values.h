// Values as old invoicing and accounting packages write them: decimal comma or point with
// thousands separators, day-first dates, Excel serial dates, yes/no in three languages.
// All numbers stay decimal text: no binary floating point touches a value handed on.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace invoicing::import {

// Spreadsheet number text ("12.5", "1.2345E-3", "12.300000000000001") as plain decimal text
// rounded to 15 significant digits (Excel's precision): "12.5", "0.0012345", "12.3".
// nullopt when it is not a number.
std::optional<std::string> normalize_number(std::string_view text);

// A binary double (XLS cells) as the same plain text: 15 significant digits.
std::string number_from_double(double value);

// An Excel serial day number ("45352", "45352.75") as ISO "2024-03-01" (with " 18:00:00"
// when it has a time), or "18:00:00" when `time_only`. 1900 system: serial 1 is
// 1900-01-01 and Excel's phantom 1900-02-29 (serial 60) is refused; 1904 system: serial 0 is
// 1904-01-01. nullopt outside 1900..9999 or for what is not a number.
std::optional<std::string> date_from_serial(std::string_view number_text, bool date1904,
                                            bool time_only = false);

// Decimal text with either mark and optional thousands separators ('.', ',', spaces), an
// optional sign (leading, or trailing as some accounting exports write it) and an optional
// "€"/"EUR": "1.234,56", "1,234.56", "1234,5", "-12", "12,50-" -> "1234.56", "1234.5", ...
// `mark` (',' or '.') decides the one ambiguous shape, a single separator followed by
// exactly three digits ("1.234"). nullopt when it is not a number.
std::optional<std::string> parse_decimal_text(std::string_view text, char mark);

// The decimal mark a text number shows beyond doubt (',' or '.'), or 0 when it shows none
// ("12", "1.234", or not a number).
char decimal_mark_evidence(std::string_view text);

// "dd/mm/yyyy", "dd-mm-yyyy", "dd.mm.yyyy" (day and month of one or two digits) or ISO
// "yyyy-mm-dd", optionally followed by a time, as ISO "yyyy-mm-dd"; nullopt for anything
// else and for days that do not exist.
std::optional<std::string> parse_date_text(std::string_view text);

// ja/nee, oui/non, yes/no, j/n, o/n, y/n, 1/0, x, true/false, waar/onwaar, vrai/faux (any
// case); nullopt for anything else.
std::optional<bool> parse_boolean_text(std::string_view text);

// CSV exports (ours, and the problem report) put a "'" before a text that a spreadsheet would
// run as a formula: one starting with '=', '+', '-', '@', a tab or a CR, and also one that
// starts with apostrophes followed by one of those, so that the rule can be undone without
// doubt. This takes one such "'" off again: "'=SUM(A1)" -> "=SUM(A1)", "''+32" -> "'+32";
// nullopt when `text` has no guard ("'t Fonteintje" stays as it is).
std::optional<std::string> without_formula_guard(std::string_view text);

// Leading and trailing spaces, tabs and no-break spaces removed.
std::string_view trim(std::string_view text);

}  // namespace invoicing::import
