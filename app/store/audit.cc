#include "store/audit.h"

#include "store/clock.h"
#include "store/field_rules.h"

namespace invoicing::store {

void audit(Company& c, const std::string& action, int32_t doc, const std::string& text) {
  Row r;
  r.set(fld::when, xbase::Value::datetime(now_datetime()));
  r.text(fld::user, c.who().user).text(fld::workstation, c.who().workstation);
  r.text(fld::action, fitted_text(Tbl::audit, fld::action, action)).integer(fld::doc_id, doc);
  r.text(fld::text, fitted_text(Tbl::audit, fld::text, text));
  c.storage().insert(Tbl::audit, r);
}

}  // namespace invoicing::store
