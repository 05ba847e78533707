// The text of PostgreSQL targets and names, apart from libpq: every build knows a
// postgresql:// target when it sees one, also the one without the backend (pg_absent.cc).
#include "store/postgres/pg_connection.h"

#include <algorithm>

namespace invoicing::store::postgres {

bool is_database_target(const std::string& target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

std::string display_target(const std::string& target) {
  // postgresql://user:secret@host/db?sslmode=require&password=x -> postgresql://user@host/db?sslmode=require
  std::string out = target;
  const size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const size_t authority_end = std::min(out.find_first_of("/?", scheme + 3), out.size());
  const size_t at = out.rfind('@', authority_end);
  if (at != std::string::npos && at > scheme) {
    const size_t colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
  }
  const size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::string kept;
  size_t from = query + 1;
  while (from <= out.size()) {
    size_t amp = out.find('&', from);
    if (amp == std::string::npos) amp = out.size();
    const std::string param = out.substr(from, amp - from);
    if (!param.empty() && param.rfind("password=", 0) != 0) kept += (kept.empty() ? "" : "&") + param;
    from = amp + 1;
  }
  return out.substr(0, query) + (kept.empty() ? "" : "?" + kept);
}

std::string quote_ident(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace invoicing::store::postgres
