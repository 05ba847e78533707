#include "bank/camt053.h"

#include <fmt/format.h>

#include <cstring>
#include <pugixml.hpp>

#include "bank/text.h"
#include "domain/ogm.h"

// Paths follow ISO 20022 camt.053.001.02 … .08 (BankToCustomerStatementV02 … V08):
//   Document/BkToCstmrStmt/Stmt: Id, ElctrncSeqNb, Acct/Id/IBAN (or Othr/Id), Acct/Ccy,
//   Bal (Tp/CdOrPrtry/Cd OPBD or PRCD = opening, CLBD = closing; Amt@Ccy, CdtDbtInd, Dt/Dt),
//   Ntry (Amt, CdtDbtInd, Sts — text up to V05, Sts/Cd from V06 on —, BookgDt, ValDt,
//   AcctSvcrRef, AddtlNtryInf, NtryDtls/TxDtls: Amt (V03+) or AmtDtls/TxAmt/Amt,
//   AmtDtls/InstdAmt/Amt (the instructed amount, foreign currency), RltdPties/Dbtr|Cdtr
//   (Nm, or Pty/Nm from V08), DbtrAcct|CdtrAcct/Id/IBAN, RltdAgts/DbtrAgt|CdtrAgt/FinInstnId
//   /BIC or BICFI, RmtInf/Ustrd, RmtInf/Strd/CdtrRefInf/Ref).
// Element names are compared without their namespace prefix; the root's namespace must be
// one of the versions above.

namespace invoicing::bank {

namespace {

using domain::Date;
using domain::Decimal;

const char* local(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}

pugi::xml_node child(pugi::xml_node n, const char* name) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && std::strcmp(local(c.name()), name) == 0) return c;
  return {};
}

// child(child(n, a), b) ... along a '/'-separated path.
pugi::xml_node path(pugi::xml_node n, const char* p) {
  std::string part;
  for (const char* c = p;; ++c) {
    if (*c == '/' || *c == 0) {
      n = child(n, part.c_str());
      if (!n || *c == 0) return n;
      part.clear();
    } else {
      part += *c;
    }
  }
}

std::string text(pugi::xml_node n) { return n ? trim(n.child_value()) : std::string(); }

class Parser {
 public:
  Parser(std::string_view bytes, const std::string& file) : bytes_(bytes), file_(file) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw StatementError(fmt::format("{}: {}: {}", file_, where, what));
  }
  [[noreturn]] void fail(pugi::xml_node n, const std::string& where,
                         const std::string& what) const {
    fail(fmt::format("{} (line {})", where, line_of(n.offset_debug())), what);
  }

  size_t line_of(ptrdiff_t offset) const {
    if (offset < 0) return 0;
    size_t line = 1;
    for (size_t i = 0; i < static_cast<size_t>(offset) && i < bytes_.size(); ++i)
      if (bytes_[i] == '\n') ++line;
    return line;
  }

  Decimal amount(pugi::xml_node n, const std::string& where) const {
    if (!n) fail(where, "the amount is missing");
    const std::string t = text(n);
    auto d = Decimal::parse(t);
    if (!d || d->is_negative() || t.empty() || t[0] == '+' || t[0] == '.' || t.back() == '.')
      fail(n, where, fmt::format("\"{}\" is not an amount (digits and an optional '.')", t));
    return *d;
  }
  // Sign from CdtDbtInd beside the amount.
  Decimal signed_amount(pugi::xml_node parent, const char* amt, const std::string& where) const {
    Decimal a = amount(child(parent, amt), where + "/" + amt);
    const std::string ind = text(child(parent, "CdtDbtInd"));
    if (ind == "CRDT") return a;
    if (ind == "DBIT") return -a;
    fail(where + "/CdtDbtInd", fmt::format("\"{}\" is not CRDT or DBIT", ind));
  }
  Date date(pugi::xml_node holder, const std::string& where) const {
    // <Dt>2026-03-01</Dt> or <DtTm>2026-03-01T10:00:00</DtTm>
    pugi::xml_node d = child(holder, "Dt");
    std::string t = text(d);
    if (!d) {
      d = child(holder, "DtTm");
      t = text(d).substr(0, 10);
    }
    if (!d) fail(where, "the date (Dt or DtTm) is missing");
    auto v = domain::parse_iso_date(t);
    if (!v) fail(d, where, fmt::format("\"{}\" is not a date YYYY-MM-DD", text(d)));
    return *v;
  }

  std::vector<Statement> run() {
    pugi::xml_document doc;
    const pugi::xml_parse_result res =
        doc.load_buffer(bytes_.data(), bytes_.size(), pugi::parse_default | pugi::parse_doctype,
                        pugi::encoding_utf8);
    if (!res)
      fail(fmt::format("line {}", line_of(res.offset)),
           fmt::format("not well-formed XML: {}", res.description()));
    for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling())
      if (n.type() == pugi::node_doctype)
        fail(n, "DOCTYPE",
             "a document type declaration (DTD) is not accepted in a bank statement: it can define "
             "entities that expand or load other files");
    pugi::xml_node root = doc.document_element();
    if (!root || std::strcmp(local(root.name()), "Document") != 0)
      fail("root element",
           fmt::format("\"{}\" is not a camt.053 Document", root ? root.name() : ""));
    const std::string prefix(root.name(), local(root.name()) - root.name());
    const std::string ns_attr =
        prefix.empty() ? "xmlns" : "xmlns:" + prefix.substr(0, prefix.size() - 1);
    const std::string ns = root.attribute(ns_attr.c_str()).value();
    const std::string base = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.0";
    if (ns.size() != base.size() + 1 || ns.compare(0, base.size(), base) != 0 || ns.back() < '2' ||
        ns.back() > '8')
      fail(root, "Document", fmt::format("namespace \"{}\" is not camt.053.001.02 to .08", ns));
    const std::string format = ns.substr(ns.find("camt.053"));
    pugi::xml_node body = child(root, "BkToCstmrStmt");
    if (!body) fail(root, "Document", "BkToCstmrStmt is missing");
    std::vector<Statement> out;
    int si = 0;
    for (pugi::xml_node s = body.first_child(); s; s = s.next_sibling()) {
      if (s.type() != pugi::node_element || std::strcmp(local(s.name()), "Stmt") != 0) continue;
      out.push_back(statement(s, fmt::format("Stmt[{}]", ++si), format));
    }
    if (out.empty()) fail(body, "BkToCstmrStmt", "no Stmt");
    return out;
  }

 private:
  Statement statement(pugi::xml_node s, const std::string& where, const std::string& format) {
    Statement st;
    st.format = format;
    pugi::xml_node acct = child(s, "Acct");
    if (!acct) fail(s, where, "Acct is missing");
    st.account = normalize_iban(text(path(acct, "Id/IBAN")));
    if (st.account.empty()) st.account = text(path(acct, "Id/Othr/Id"));
    if (st.account.empty())
      fail(acct, where + "/Acct", "the account (Id/IBAN or Id/Othr/Id) is missing");
    st.currency = text(child(acct, "Ccy"));
    st.sequence = text(child(s, "ElctrncSeqNb"));
    if (st.sequence.empty()) st.sequence = text(child(s, "Id"));
    bool opening = false, closing = false;
    int bi = 0;
    for (pugi::xml_node b = s.first_child(); b; b = b.next_sibling()) {
      if (b.type() != pugi::node_element || std::strcmp(local(b.name()), "Bal") != 0) continue;
      const std::string bw = fmt::format("{}/Bal[{}]", where, ++bi);
      const std::string code = text(path(b, "Tp/CdOrPrtry/Cd"));
      if (code == "OPBD" || code == "PRCD") {
        if (!opening) st.opening_balance = signed_amount(b, "Amt", bw);
        opening = true;
      } else if (code == "CLBD") {
        st.closing_balance = signed_amount(b, "Amt", bw);
        st.date = date(child(b, "Dt"), bw + "/Dt");
        closing = true;
        if (st.currency.empty()) st.currency = child(b, "Amt").attribute("Ccy").value();
      }
    }
    if (!opening) fail(s, where, "no opening balance (Bal with Tp/CdOrPrtry/Cd OPBD or PRCD)");
    if (!closing) fail(s, where, "no closing balance (Bal with Tp/CdOrPrtry/Cd CLBD)");
    Decimal booked = st.opening_balance;
    bool all_booked = true;
    int ni = 0;
    for (pugi::xml_node e = s.first_child(); e; e = e.next_sibling()) {
      if (e.type() != pugi::node_element || std::strcmp(local(e.name()), "Ntry") != 0) continue;
      const std::string ew = fmt::format("{}/Ntry[{}]", where, ++ni);
      pugi::xml_node sts = child(e, "Sts");
      std::string status = text(child(sts, "Cd"));
      if (status.empty()) status = text(sts);
      if (status != "BOOK") {
        if (status != "PDNG" && status != "INFO")
          fail(e, ew + "/Sts", fmt::format("status \"{}\" is not BOOK, PDNG or INFO", status));
        all_booked = false;
        continue;
      }
      entry(e, ew, st);
      booked += signed_amount(e, "Amt", ew);
    }
    if (all_booked && booked != st.closing_balance)
      fail(s, where,
           fmt::format("the closing balance {} is not the opening balance {} plus the entries ({})",
                       st.closing_balance.to_string(2), st.opening_balance.to_string(2),
                       (booked - st.opening_balance).to_string(2)));
    return st;
  }

  void entry(pugi::xml_node e, const std::string& ew, Statement& st) {
    const Decimal total = signed_amount(e, "Amt", ew);
    Transaction base;
    base.currency = child(e, "Amt").attribute("Ccy").value();
    if (base.currency.empty()) base.currency = st.currency;
    base.amount = total;
    base.booking_date = date(child(e, "BookgDt"), ew + "/BookgDt");
    if (pugi::xml_node v = child(e, "ValDt")) base.value_date = date(v, ew + "/ValDt");
    base.bank_reference = text(child(e, "AcctSvcrRef"));
    base.free_text = text(child(e, "AddtlNtryInf"));
    base.source = ew;
    std::vector<pugi::xml_node> details;
    for (pugi::xml_node d = child(e, "NtryDtls"); d; d = d.next_sibling()) {
      if (d.type() != pugi::node_element || std::strcmp(local(d.name()), "NtryDtls") != 0) continue;
      for (pugi::xml_node t = d.first_child(); t; t = t.next_sibling())
        if (t.type() == pugi::node_element && std::strcmp(local(t.name()), "TxDtls") == 0)
          details.push_back(t);
    }
    if (details.empty()) {
      st.transactions.push_back(base);
      return;
    }
    const bool credit = total.sign() >= 0;
    Decimal sum;
    for (size_t i = 0; i < details.size(); ++i) {
      pugi::xml_node d = details[i];
      const std::string dw = fmt::format("{}/NtryDtls/TxDtls[{}]", ew, i + 1);
      Transaction t = base;
      t.source = dw;
      // The detail's own amount where a batch has several; else the entry's.
      pugi::xml_node amt = child(d, "Amt");
      if (!amt) amt = path(d, "AmtDtls/TxAmt/Amt");
      if (details.size() > 1) {
        if (!amt)
          fail(d, dw,
               "an entry with several transactions needs each one's amount (Amt or "
               "AmtDtls/TxAmt/Amt)");
        const Decimal a = amount(amt, dw + "/Amt");
        t.amount = credit ? a : -a;
        sum += t.amount;
      }
      if (pugi::xml_node instd = path(d, "AmtDtls/InstdAmt/Amt")) {
        const std::string ccy = instd.attribute("Ccy").value();
        if (!ccy.empty() && ccy != t.currency) {
          t.original_amount = amount(instd, dw + "/AmtDtls/InstdAmt/Amt");
          t.original_currency = ccy;
        }
      }
      const char* party = credit ? "Dbtr" : "Cdtr";
      pugi::xml_node rp = child(d, "RltdPties");
      pugi::xml_node p = child(rp, party);
      t.counterparty_name = text(child(p, "Nm"));
      if (t.counterparty_name.empty()) t.counterparty_name = text(path(p, "Pty/Nm"));
      t.counterparty_iban =
          normalize_iban(text(path(rp, credit ? "DbtrAcct/Id/IBAN" : "CdtrAcct/Id/IBAN")));
      pugi::xml_node agent =
          path(d, credit ? "RltdAgts/DbtrAgt/FinInstnId" : "RltdAgts/CdtrAgt/FinInstnId");
      t.counterparty_bic = text(child(agent, "BIC"));
      if (t.counterparty_bic.empty()) t.counterparty_bic = text(child(agent, "BICFI"));
      pugi::xml_node rmt = child(d, "RmtInf");
      std::string ustrd;
      for (pugi::xml_node u = rmt.first_child(); u; u = u.next_sibling()) {
        if (u.type() != pugi::node_element) continue;
        if (std::strcmp(local(u.name()), "Ustrd") == 0) {
          ustrd += (ustrd.empty() ? "" : " ") + text(u);
        } else if (std::strcmp(local(u.name()), "Strd") == 0 && t.structured_reference.empty()) {
          const std::string ref = text(path(u, "CdtrRefInf/Ref"));
          auto base_ogm = domain::ogm_base(ref);
          t.structured_reference = base_ogm ? fmt::format("{:010}{:02}", *base_ogm,
                                                          *base_ogm % 97 == 0 ? 97 : *base_ogm % 97)
                                            : ref;
        }
      }
      if (!ustrd.empty()) t.free_text = ustrd;
      st.transactions.push_back(std::move(t));
    }
    if (details.size() > 1 && sum != total)
      fail(e, ew,
           fmt::format("the entry's amount {} is not the sum of its transactions ({})",
                       total.to_string(2), sum.to_string(2)));
  }

  std::string_view bytes_;
  const std::string& file_;
};

}  // namespace

std::vector<Statement> parse_camt053(std::string_view bytes, const std::string& file_name) {
  try {
    return Parser(bytes, file_name).run();
  } catch (const domain::DecimalOverflow&) {
    throw StatementError(fmt::format(
        "{}: an amount, or the sum of the amounts, is beyond what the program counts", file_name));
  }
}

}  // namespace invoicing::bank
