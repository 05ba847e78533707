// An import plan's rows (import/import_plan.h: canonical text by field) as the store's input
// for a bulk import (store/bulk_import.h). Empty values stay unset: a new record gets the
// store's default, an updated one keeps what it had.
#pragma once

#include "import/import_plan.h"
#include "store/bulk_import.h"

namespace invoicing::cli {

store::PartyRecord party_record(const import::ImportRow& row);
store::ArticleRecord article_record(const import::ImportRow& row);

}  // namespace invoicing::cli
