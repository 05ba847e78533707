#include "domain/document_label.h"

#include <fmt/format.h>

#include <cctype>

namespace invoicing::domain {

namespace {
// 0 English, 1 Dutch, 2 French.
int lang_index(std::string_view lang) {
  if (lang.size() != 2) return 0;
  const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(lang[0])));
  const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(lang[1])));
  if (a == 'n' && b == 'l') return 1;
  if (a == 'f' && b == 'r') return 2;
  return 0;
}
}  // namespace

std::string doc_type_name(DocType type, std::string_view lang) {
  // Belgian usage for Dutch and French (bestelbon, leveringsbon, note de crédit).
  static const char* const kNames[][3] = {
      {"quote", "offerte", "devis"},
      {"order", "bestelbon", "bon de commande"},
      {"delivery note", "leveringsbon", "bon de livraison"},
      {"invoice", "factuur", "facture"},
      {"credit note", "creditnota", "note de crédit"},
      {"purchase invoice", "aankoopfactuur", "facture d'achat"},
  };
  return kNames[static_cast<int>(type)][lang_index(lang)];
}

std::string document_label(DocType type, int year, int64_t number, std::string_view lang) {
  const int l = lang_index(lang);
  const std::string name = doc_type_name(type, lang);
  if (number == 0) {
    if (l == 1) return "concept" + name;  // Dutch compounds: "conceptfactuur"
    if (l == 2) return "brouillon de " + name;
    return "draft " + name;
  }
  return fmt::format("{} {}/{}", name, year, number);
}

std::string document_label(const DocRef& doc, std::string_view lang) {
  return document_label(doc.type, doc.year, doc.number, lang);
}

}  // namespace invoicing::domain
