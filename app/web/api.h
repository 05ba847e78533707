// The JSON API the page works through: every read and every change goes to app/store (and
// the PDF to app/outputs) exactly as the command line's do. Answers are JSON; a refusal of
// the store (UserError and its kinds) is {"error": the store's message, "kind": ...} with a
// 4xx status, anything else that escapes is {"error": ...} with 500: the page shows the
// message, never a blank page.
//
//   GET  /api/session                       who, which company, the CSRF token for POSTs
//   GET  /api/dashboard                     drafts, open and overdue invoices, low stock, seats
//   GET  /api/customers?search=&offset=&limit=     POST /api/customers (new)
//   GET  /api/customers/CODE                POST /api/customers/CODE (edit)
//   GET  /api/vat-check?number=BE...        the VAT number check of app/domain
//   GET  /api/articles?search=&offset=&limit=      POST /api/articles (new)
//   GET  /api/documents?type=INV&status=D&offset=&limit=   POST /api/documents (new draft)
//   GET  /api/documents/ID                  with lines and totals
//   POST /api/documents/ID/lines            add a line; .../lines/N/remove
//   POST /api/documents/ID/preview          the totals with a line being typed (not stored)
//   POST /api/documents/ID/finalize | convert {"to":"INV"} | credit
//   GET  /api/documents/ID/pdf?lang=nl      the PDF (app/outputs)
//   GET  /api/settings                      the company's global settings
#pragma once

#include <string>

#include "store/company.h"
#include "web/server.h"

namespace invoicing::web {

class Api {
 public:
  Api(store::Company& c, std::string csrf) : c_(c), csrf_(std::move(csrf)) {}
  ApiResponse handle(const ApiRequest& r);

 private:
  store::Company& c_;
  std::string csrf_;
};

}  // namespace invoicing::web
