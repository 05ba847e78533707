#include "store/deliveries.h"

#include <fmt/format.h>

#include "store/clock.h"
#include "store/field_rules.h"

namespace invoicing::store {

namespace {
Delivery delivery_from(const Row& r) {
  Delivery d;
  d.doc_id = int32_t(r.integer(fld::doc_id));
  d.target = r.text(fld::target);
  d.kind = r.text(fld::kind);
  d.file = r.text(fld::file);
  d.sha256 = r.text(fld::sha256);
  d.when = datetime_text(r.get(fld::when));
  d.user = r.text(fld::user);
  return d;
}
}  // namespace

std::vector<Delivery> deliveries_of(Company& c, int32_t doc_id) {
  std::vector<Delivery> out;
  c.storage().range(Tbl::delivery, "DOC", {xbase::Value::integer(doc_id)}, [&](const Row& r) {
    out.push_back(delivery_from(r));
    return true;
  });
  return out;
}

std::vector<Delivery> all_deliveries(Company& c) {
  std::vector<Delivery> out;
  c.storage().scan(Tbl::delivery, [&](const Row& r) {
    out.push_back(delivery_from(r));
    return true;
  });
  return out;
}

void record_delivery(Company& c, const Delivery& d) {
  Row r;
  r.integer(fld::doc_id, d.doc_id);
  r.text(fld::target,
         checked_text(Tbl::delivery, fld::target, d.target, "a delivery target's name"));
  r.text(fld::kind, d.kind);
  r.text(fld::file, checked_text(Tbl::delivery, fld::file, d.file, "a delivered file's path"));
  r.text(fld::sha256, d.sha256);
  r.set(fld::when, xbase::Value::datetime(now_datetime()));
  r.text(fld::user, fitted_text(Tbl::delivery, fld::user, c.who().user));
  r.text(fld::workstation, fitted_text(Tbl::delivery, fld::workstation, c.who().workstation));
  Action a(c.storage());
  c.storage().insert(Tbl::delivery, r);
  a.commit();
}

}  // namespace invoicing::store
