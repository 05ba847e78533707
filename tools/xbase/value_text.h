// Field values as text for dump/load: the JSONL canonical form and CSV cells.
#pragma once

#include <string>
#include <string_view>

#include "json.h"
#include "xbase/schema.h"
#include "xbase/value.h"

namespace xbase::tool {

// Appends the JSON form of v (see README: numbers exactly as stored, dates as strings,
// binary as {"base64": ...}).
void append_json_value(std::string& out, const Value& v);
// The CSV form: the same scalars as JSON without quotes; null/empty as an empty cell;
// binary as "base64:<data>".
std::string csv_text(const Value& v);
void append_csv_cell(std::string& out, std::string_view text);

// Reading back, checked against the field's type; throws std::runtime_error with a message
// naming the field.
Value value_from_json(const Field& f, const json::Node& n);
Value value_from_csv(const Field& f, std::string_view cell);

std::string base64_encode(std::string_view bytes);
bool base64_decode(std::string_view text, std::string& out);

std::string date_text(const Date& d);           // YYYY-MM-DD
std::string datetime_text(const DateTime& t);   // YYYY-MM-DDTHH:MM:SS.mmm

}  // namespace xbase::tool
