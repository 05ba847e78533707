#include "store/audit.h"

#include <algorithm>
#include <deque>

#include "store/clock.h"
#include "store/dates.h"
#include "store/field_rules.h"
#include "store/text_search.h"

namespace invoicing::store {

void audit(Company& c, const std::string& action, int32_t doc, const std::string& text) {
  Row r;
  r.set(fld::when, xbase::Value::datetime(now_datetime()));
  r.text(fld::user, c.who().user).text(fld::workstation, c.who().workstation);
  r.text(fld::action, fitted_text(Tbl::audit, fld::action, action)).integer(fld::doc_id, doc);
  r.text(fld::text, fitted_text(Tbl::audit, fld::text, text));
  c.storage().insert(Tbl::audit, r);
}

std::vector<AuditEntry> audit_log(Company& c, const AuditFilter& f) {
  const std::string from = iso(f.from), to = iso(f.to);
  const std::string user = upper_text(f.user), action = upper_text(f.action);
  std::deque<AuditEntry> kept;
  auto take = [&](const Row& r) {
    AuditEntry e;
    e.id = int32_t(r.integer(fld::id));
    e.doc = int32_t(r.integer(fld::doc_id));
    e.when = datetime_text(r.get(fld::when));
    e.user = r.text(fld::user);
    e.workstation = r.text(fld::workstation);
    e.action = r.text(fld::action);
    e.text = r.text(fld::text);
    const std::string on = e.when.substr(0, 10);
    if ((!from.empty() && on < from) || (!to.empty() && on > to)) return true;
    const bool by_user = user.empty() || upper_text(e.user) == user || upper_text(e.workstation) == user;
    if (!by_user || (!action.empty() && upper_text(e.action) != action)) return true;
    kept.push_back(std::move(e));
    if (f.last && kept.size() > f.last) kept.pop_front();
    return true;
  };
  if (f.doc) c.storage().range(Tbl::audit, "DOC", {xbase::Value::integer(*f.doc)}, take);
  else c.storage().scan(Tbl::audit, take);
  // The log in the order it was written (a document's entries come by its index in any order).
  std::vector<AuditEntry> out(kept.begin(), kept.end());
  std::stable_sort(out.begin(), out.end(), [](const AuditEntry& a, const AuditEntry& b) { return a.id < b.id; });
  return out;
}

}  // namespace invoicing::store
