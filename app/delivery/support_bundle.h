// What support asks for when a delivery goes wrong, in one ZIP: the delivery logs, the
// configuration (targets, shares and their mount points, where each target resolves to for
// this company now) and the record of every delivery. The configuration holds no secret: the
// targets store paths only (mount credentials live in the system's mount configuration).
#pragma once

#include <filesystem>

#include "store/company.h"

namespace invoicing::delivery {

// Writes the ZIP (complete or not at all); returns how many entries it holds.
size_t export_support_bundle(store::Company& c, const std::filesystem::path& zip);

}  // namespace invoicing::delivery
