// Customers and suppliers: added and changed with their input checked against the dictionary
// and the VAT rules first, found by code (however it is typed), listed and searched.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/company.h"
#include "store/records.h"

namespace invoicing::store {

enum class PartyKind { customer, supplier };

// What a user gives for a party; unset fields are left as they are (edit) or defaulted (add).
struct PartyInput {
  std::optional<std::string> code, name, street, zip, city, country, vat, enterprise_no, email, phone, iban,
      bic, lang, note;
  std::optional<std::string> terms;  // "30", "EOM+30" (domain::parse_payment_terms)
  std::optional<bool> business, renovation, contractor;
};

struct PartyFilter {
  std::string search;  // in code, name, VAT number and city, however it is typed (ë = Ë)
  bool archived = false;  // also archived parties
  // At most this many (0: all), in code order: a page of a long list stops reading there.
  size_t limit = 0;
  // A page by the code next to it (the CODE index is sought, not counted from the start):
  // the codes after `after` (the next page), or the last `limit` codes before `before` (the
  // previous page; still in code order). Compared as the index does, case-insensitively.
  std::string after = {}, before = {};
};

class Parties {
 public:
  Parties(Company& c, PartyKind kind) : c_(c), kind_(kind) {}

  // The party add() would store for `in`, checked by every rule add() applies (nothing is
  // written); throws UserError. A bulk import checks each row with it before its action.
  Party validate(const PartyInput& in);
  // Checks `in` and applies it to `p` (the rules of edit()); throws UserError.
  void apply(Party& p, const PartyInput& in);
  Party add(const PartyInput& in);
  Party edit(const std::string& code, const PartyInput& in);
  std::optional<Party> find(const std::string& code);
  Party get(const std::string& code);  // throws UserError "no customer with code X"
  std::optional<Party> by_id(int32_t id);
  std::vector<Party> list(const PartyFilter& f = {});
  // Every party, archived ones too, sorted by upper-case code (the CODE index's order for
  // codes in ASCII): the table read in storage order (on a share a read per 64 KiB instead of a
  // read per party, as a walk of the CODE index).
  std::vector<Party> all();
  // Deletes a party no document and no payment names; refused otherwise (archive it instead).
  void remove(const std::string& code);
  // Archived: hidden from lists and refused on new documents, kept for the documents that
  // name it. Final documents keep the name, address and VAT number they were issued to, so
  // an edit never rewrites them.
  Party set_archived(const std::string& code, bool archived);

  const char* what() const { return kind_ == PartyKind::customer ? "customer" : "supplier"; }
  Tbl table() const { return kind_ == PartyKind::customer ? Tbl::customer : Tbl::supplier; }

 private:
  // The company's country (of parties given without one), read once.
  const std::string& home_country();
  Company& c_;
  PartyKind kind_;
  std::string home_country_;
};

}  // namespace invoicing::store
