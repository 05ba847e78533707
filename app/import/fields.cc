#include "import/fields.h"

namespace invoicing::import {

namespace {

using K = FieldKind;

// Headers of the party fields (customers and suppliers alike).
constexpr const char* kStreet =
    "straat|adres|straatennummer|straatnr|adresregel1|adres1|rue|adresse|adresse1|rueetnumero|"
    "street|address|address1|addressline1|streetaddress";
constexpr const char* kZip = "postcode|postnummer|codepostal|cp|zip|zipcode|postalcode";
constexpr const char* kCity =
    "gemeente|plaats|woonplaats|stad|localite|ville|commune|city|town|locality";
constexpr const char* kCountry = "land|landcode|pays|codepays|country|countrycode";
constexpr const char* kVat =
    "btw|btwnummer|btwnr|btwno|btwid|btwidnummer|tva|ntva|notva|numerotva|numerodetva|"
    "vat|vatnumber|vatno|vatnr|vatid|taxid";
constexpr const char* kEnterprise =
    "ondernemingsnummer|ondernemingsnr|kbo|kbonummer|kbonr|kvk|kvknummer|kvknr|"
    "numerodentreprise|numeroentreprise|bce|numerobce|enterprisenumber|companynumber|"
    "registrationnumber|chamberofcommerce";
constexpr const char* kEmail =
    "email|mail|emailadres|epost|courriel|adressemail|adresseemail|emailaddress";
constexpr const char* kPhone =
    "telefoon|tel|telefoonnummer|telnr|gsm|mobiel|telephone|numerodetelephone|portable|"
    "phone|phonenumber|mobile";
constexpr const char* kIban =
    "iban|rekeningnummer|rekening|bankrekening|bankrekeningnummer|comptebancaire|"
    "numerodecompte|compte|bankaccount|accountnumber";
constexpr const char* kBic = "bic|swift|bicswift|swiftbic|biccode";
constexpr const char* kTerms =
    "betalingstermijn|betaaltermijn|termijn|vervaltermijn|delaidepaiement|delaipaiement|"
    "conditionsdepaiement|echeance|paymentterms|terms|paymentdays|duedays";
constexpr const char* kLang = "taal|taalcode|langue|codelangue|language|lang";
// What the store keeps besides: a VAT-registered business or a private person, the 6 %
// renovation attestation, a Belgian contractor (reverse charge), archived (hidden from lists).
constexpr const char* kBusiness =
    "business|btwplichtig|btwplichtige|onderneming|assujetti|assujettitva|professionnel|"
    "vatregistered|businesscustomer";
constexpr const char* kRenovation =
    "renovation|renovatie|renovatieattest|attestrenovatie|attestationrenovation|"
    "renovationattestation";
constexpr const char* kContractor =
    "contractor|aannemer|geregistreerdaannemer|entrepreneurenregistre|registeredcontractor";
constexpr const char* kArchived = "archived|gearchiveerd|archief|archive|inactief|inactive|inactif";
constexpr const char* kNote =
    "opmerking|opmerkingen|notitie|notities|memo|commentaar|remarque|remarques|note|notes|"
    "commentaire|commentaires|comment|comments|remarks";

std::vector<FieldDef> party_fields(const char* code_aliases, const char* name_aliases) {
  return {
      {"code", K::code, 10, false, 0, false, 0, code_aliases},
      {"name", K::text, 60, true, 0, false, 0, name_aliases},
      {"street", K::text, 60, false, 0, false, 0, kStreet},
      {"zip", K::text, 10, false, 0, false, 0, kZip},
      {"city", K::text, 40, false, 0, false, 0, kCity},
      {"country", K::country, 2, false, 0, false, 0, kCountry},
      {"vat", K::vat_number, 20, false, 0, false, 0, kVat},
      {"enterprise_number", K::enterprise_number, 20, false, 0, false, 0, kEnterprise},
      {"email", K::email, 80, false, 0, false, 0, kEmail},
      {"phone", K::phone, 30, false, 0, false, 0, kPhone},
      {"iban", K::iban, 34, false, 0, false, 0, kIban},
      {"bic", K::bic, 11, false, 0, false, 0, kBic},
      {"terms", K::days, 3, false, 0, false, 365, kTerms},
      {"lang", K::language, 2, false, 0, false, 0, kLang},
      {"business", K::boolean, 0, false, 0, false, 0, kBusiness},
      {"renovation", K::boolean, 0, false, 0, false, 0, kRenovation},
      {"contractor", K::boolean, 0, false, 0, false, 0, kContractor},
      {"archived", K::boolean, 0, false, 0, false, 0, kArchived},
      {"note", K::memo, 0, false, 0, false, 0, kNote},
  };
}

const TargetDef kCustomers{
    Target::customers, "customers",
    party_fields("code|klantcode|klantnummer|klantnr|nummer|nr|codeclient|numeroclient|nclient|"
                 "noclient|refclient|reference|ref|customercode|customerno|customernumber|"
                 "customerid|clientcode|clientnumber|relatiecode|relatienummer|id",
                 "naam|nom|name|klantnaam|naamklant|bedrijfsnaam|firmanaam|firma|bedrijf|klant|"
                 "nomclient|client|raisonsociale|societe|entreprise|denomination|customername|"
                 "customer|companyname|company"),
    "name"};

const TargetDef kSuppliers{
    Target::suppliers, "suppliers",
    party_fields("code|leverancierscode|leveranciercode|leveranciersnummer|leveranciernr|nummer|"
                 "nr|codefournisseur|numerofournisseur|nfournisseur|nofournisseur|reference|ref|"
                 "suppliercode|supplierno|suppliernumber|supplierid|vendorcode|vendorid|"
                 "relatiecode|relatienummer|id",
                 "naam|nom|name|leveranciersnaam|leveranciernaam|bedrijfsnaam|firmanaam|firma|"
                 "bedrijf|leverancier|nomfournisseur|fournisseur|raisonsociale|societe|"
                 "entreprise|denomination|suppliername|supplier|vendor|companyname|company"),
    "name"};

const TargetDef kArticles{
    Target::articles,
    "articles",
    {
        {"code", K::code, 20, true, 0, false, 0,
         "code|artikelcode|artikelnummer|artikelnr|artnr|artikel|productcode|productnummer|"
         "codearticle|numeroarticle|narticle|reference|ref|referentie|itemcode|itemnumber|"
         "itemno|sku|productid|nummer|nr"},
        {"description", K::text, 60, true, 0, false, 0,
         "omschrijving|beschrijving|benaming|naam|artikelnaam|productnaam|description|"
         "libelle|designation|nom|nomarticle|name|itemname|productname"},
        {"unit", K::text, 6, false, 0, false, 0, "eenheid|eh|unite|unit|uom|maateenheid"},
        {"price", K::decimal, 0, false, 4, false, 0,
         "prijs|eenheidsprijs|verkoopprijs|prijsexclbtw|prijsexcl|prix|prixunitaire|"
         "prixdevente|prixhtva|pu|price|unitprice|salesprice|sellingprice"},
        {"vat_rate", K::vat_rate, 0, false, 2, false, 0,
         "btw%|btwtarief|btwvoet|btwpercentage|btw|tarief|tauxtva|tauxdetva|tva%|tva|vat%|"
         "vatrate|vat|taxrate"},
        {"vat_category", K::vat_category, 2, false, 0, false, 0,
         "btwcategorie|btwcode|categorietva|codetva|vatcategory|vatcode|taxcategory"},
        {"stocked", K::boolean, 0, false, 0, false, 0,
         "voorraadbeheer|voorraadartikel|opvoorraad|gestionstock|gestiondestock|stocke|"
         "stocked|stockitem|trackstock"},
        {"stock", K::decimal, 0, false, 3, true, 0,
         "voorraad|stock|aantalinvoorraad|quantiteenstock|qtestock|stockquantity|onhand"},
        {"min_stock", K::decimal, 0, false, 3, false, 0,
         "minimumvoorraad|minvoorraad|minimalevoorraad|stockminimum|stockmin|stockminimal|"
         "minstock|minimumstock|reorderlevel"},
        {"kind", K::article_kind, 1, false, 0, false, 0,
         "kind|soort|artikelsoort|soortartikel|goederendienst|naturearticle|typearticle|"
         "bienouservice|goodsorservice|itemtype|producttype"},
        {"construction", K::boolean, 0, false, 0, false, 0,
         "construction|bouw|bouwwerk|bouwwerken|bouwdienst|travauxconstruction|"
         "constructionwork"},
        {"archived", K::boolean, 0, false, 0, false, 0, kArchived},
        {"note", K::memo, 0, false, 0, false, 0, kNote},
    },
    ""};

}  // namespace

const char* target_name(Target t) { return target_def(t).name; }

std::optional<Target> target_from_name(std::string_view name) {
  for (Target t : {Target::customers, Target::suppliers, Target::articles}) {
    if (name == target_def(t).name) return t;
  }
  return std::nullopt;
}

int TargetDef::index(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (field == fields[i].name) return static_cast<int>(i);
  }
  return -1;
}

const TargetDef& target_def(Target t) {
  switch (t) {
    case Target::customers:
      return kCustomers;
    case Target::suppliers:
      return kSuppliers;
    case Target::articles:
      break;
  }
  return kArticles;
}

}  // namespace invoicing::import
