// The page of `invoicing ui`: plain JavaScript, no framework. Every figure comes from the
// server's API (app/store and app/domain decide; the page only shows and asks). Text is put
// in with textContent only, never as HTML, so no data can become markup.
"use strict";

const state = { csrf: "", lang: "en", session: null, editing: "" };

function t(key, ...args) {
  const table = I18N[state.lang] || I18N.en;
  let s = table[key] !== undefined ? table[key] : (I18N.en[key] !== undefined ? I18N.en[key] : key);
  args.forEach((a, i) => { s = s.split("{" + i + "}").join(String(a)); });
  return s;
}

// h("td", {class: "num"}, "12.50", otherNode): an element with attributes and children.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}
// A notice outlives the one change of screen that follows it ("saved", then the list).
function showNotice(message) {
  state.noticeScreens = message ? 1 : 0;
  const box = document.getElementById("notice");
  box.textContent = message;
  box.hidden = !message;
}

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: "same-origin" };
  if (method === "POST") {
    opts.headers["X-CSRF-Token"] = state.csrf;
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body || {});
  }
  let res;
  try {
    res = await fetch(path, opts);
  } catch (e) {
    throw new Error(t("error.network"));
  }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const err = new Error((data && data.error) || t("error.status", res.status));
    err.kind = data && data.kind;  // "numbering": another workstation holds the numbering
    throw err;
  }
  return data;
}

// Runs an action; its error is shown on the page (the store's own message).
async function attempt(fn) {
  try {
    showError("");
    return await fn();
  } catch (e) {
    showError(e.message);
    return undefined;
  }
}

// Figures and dates shown as the language writes them, as the PDFs do (app/outputs/labels.cc):
// 1.234,56 and 16/03/2026 in Dutch, 1 234,56 and 16/03/2026 in French, 1,234.56 and 16 Mar
// 2026 in English. The API sends "1234.56" and "2026-03-16"; inputs keep that form (the server
// reads a decimal comma too). Anything else is shown as sent. Whole numbers (stock, quantities,
// counts) are not grouped: "1.234" typed back into a field would be read as 1,234 thousandths.
function num(value) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value ?? ""));
  if (!m) return value;
  const group = m[3] === undefined ? "" : state.lang === "nl" ? "." : state.lang === "fr" ? "\u00a0" : ",";
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return m[1] + whole + (m[3] !== undefined ? (state.lang === "en" ? "." : ",") + m[3] : "");
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function day(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(String(iso ?? ""));
  if (!m) return iso;
  return (state.lang === "en" ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`) + m[4];
}

const view = () => document.getElementById("view");
const q = (s) => encodeURIComponent(s);
const typeName = (code) => t("type." + code);
const statusName = (code) => t("status." + code);
// An audit log action ("FINALIZE") in the screen's words; a code without words as it is.
const actionName = (code) => {
  const key = "action." + code, words = t(key);
  return words === key ? code : words;
};

function table(headers, rows, emptyKey) {
  if (!rows.length) return h("p", { class: "empty" }, t(emptyKey || "none"));
  return h("table", {},
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { class: x.num ? "num" : undefined }, t(x.key))))),
    h("tbody", {}, rows));
}

function docRow(d) {
  return h("tr", { "data-id": d.id },
    h("td", {}, h("a", { href: "#/documents/" + d.id }, d.number ? d.year + "/" + d.number : "#" + d.id)),
    h("td", {}, typeName(d.type)),
    h("td", {}, statusName(d.status)),
    h("td", {}, day(d.date)),
    h("td", {}, d.party_name),
    h("td", { class: "num" }, num(d.total_incl)));
}
// The party column says whose documents they are: "Customer", "Supplier" (purchase
// invoices), or both where a list mixes them.
const docHeaders = (party = "col.party") => [{ key: "col.number" }, { key: "col.type" }, { key: "col.status" },
  { key: "col.date" }, { key: party }, { key: "col.total", num: true }];

// --- dashboard ---------------------------------------------------------------------------
async function dashboard() {
  const d = await api("GET", "/api/dashboard");
  // A list shows its newest rows; the heading says how many there are in all.
  const card = (titleKey, id, content, count) => h("section", { class: "card", id },
    h("h2", {}, t(titleKey), count > 0 ? " (" + count + ")" : ""), content);
  const seats = d.seats.map((s) => h("tr", {}, h("td", {}, s.slot), h("td", {}, s.user), h("td", {}, s.workstation),
    h("td", {}, s.ours ? t("seat.this") : s.busy)));
  const low = d.below_minimum.map((a) => h("tr", {}, h("td", {}, a.code), h("td", {}, a.description),
    h("td", { class: "num" }, num(a.stock)), h("td", { class: "num" }, num(a.min_stock))));
  view().replaceChildren(h("h1", {}, t("nav.dashboard")), h("div", { class: "cards" },
    card("dash.drafts", "dash-drafts", table(docHeaders("col.party_any"), d.drafts.map(docRow)), d.counts.drafts),
    card("dash.open", "dash-open", table(docHeaders(), d.open.map(docRow)), d.counts.open),
    card("dash.overdue", "dash-overdue", table(docHeaders(), d.overdue.map(docRow)), d.counts.overdue),
    card("dash.low", "dash-low", table([{ key: "col.code" }, { key: "col.description" }, { key: "col.stock", num: true },
      { key: "col.min", num: true }], low)),
    card("dash.seats", "dash-seats", h("div", {}, h("p", {}, t("seat.allowed", d.seats_allowed)),
      table([{ key: "col.seat" }, { key: "col.user" }, { key: "col.workstation" }, { key: "col.busy" }], seats)))));
}

// --- customers ---------------------------------------------------------------------------
const PAGE = 25;
// Customers and suppliers share their screens: `kind` is "customers" or "suppliers" (the
// API's path and the route), the words are the kind's.
const one = (kind) => kind === "suppliers" ? "supplier" : "customer";
async function customers(params, kind = "customers") {
  const search = params.get("search") || "";
  const offset = Number(params.get("offset") || 0);
  // Next and Previous name the code beside the page: the server seeks there (a page deep in
  // 10,000 customers costs what the first does); offset only numbers the rows.
  const after = params.get("after") || "", before = params.get("before") || "";
  const key = after ? `&after=${q(after)}` : before ? `&before=${q(before)}` : "";
  const list = await api("GET", `/api/${kind}?search=${q(search)}&offset=${offset}&limit=${PAGE}${key}`);
  const input = h("input", { id: "customer-search", type: "search", value: search, placeholder: t("search.customers") });
  const go = (off, near) => { location.hash = `#/${kind}?search=${q(input.value)}&offset=${off}${near || ""}`; };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") go(0); });
  const first = list.items.length ? list.items[0].code : "", lastCode = list.items.length ? list.items[list.items.length - 1].code : "";
  const rows = list.items.map((c) => h("tr", {},
    h("td", {}, h("a", { href: `#/${kind}/edit/` + q(c.code) }, c.code)),
    h("td", {}, c.name), h("td", {}, c.vat), h("td", {}, c.zip + " " + c.city), h("td", {}, c.country)));
  // The total is known once the list ends on this page; before that, "of more than N".
  const last = list.offset + list.items.length;
  const info = list.total === null ? t("page.info_more", list.offset + 1, last)
    : t("page.info", list.total ? list.offset + 1 : 0, last, list.total);
  view().replaceChildren(h("h1", {}, t("nav." + kind)),
    h("div", { class: "toolbar" }, input,
      h("button", { id: "customer-search-go", onclick: () => go(0) }, t("search")),
      h("button", { id: "customer-new", class: "secondary", onclick: () => { location.hash = `#/${kind}/new`; } }, t(one(kind) + ".new"))),
    table([{ key: "col.code" }, { key: "col.name" }, { key: "col.vat" }, { key: "col.city" }, { key: "col.country" }], rows),
    h("div", { class: "pager" },
      h("button", { id: "page-prev", class: "secondary", disabled: offset <= 0, onclick: () => go(Math.max(0, offset - PAGE), offset - PAGE > 0 ? `&before=${q(first)}` : "") }, t("page.prev")),
      h("span", { id: "page-info" }, info),
      h("button", { id: "page-next", class: "secondary", disabled: !list.more, onclick: () => go(offset + PAGE, `&after=${q(lastCode)}`) }, t("page.next"))));
}

function field(id, labelKey, value, attrs) {
  return [h("label", { for: id }, t(labelKey)), h("input", Object.assign({ id, value: value || "" }, attrs || {})), h("span", { id: id + "-note" })];
}

async function customerForm(code, kind = "customers") {
  const c = code ? await api("GET", `/api/${kind}/` + q(code)) : {};
  const vatNote = () => document.getElementById("customer-vat-note");
  const checkVat = async () => {
    const value = document.getElementById("customer-vat").value.trim();
    const note = vatNote();
    if (!value) { note.textContent = ""; return; }
    const r = await attempt(() => api("GET", "/api/vat-check?number=" + q(value)));
    if (!r) return;
    note.textContent = r.valid ? t("vat.valid", r.normalized) : t("vat.invalid", r.reason);
    note.className = r.valid ? "ok" : "bad";
  };
  const form = h("form", { class: "edit", id: "customer-form" },
    field("customer-code", "col.code", c.code, { readonly: !!code, required: true }),
    field("customer-name", "col.name", c.name, { required: true }),
    field("customer-street", "col.street", c.street),
    field("customer-zip", "col.zip", c.zip),
    field("customer-city", "col.city", c.city),
    field("customer-country", "col.country", c.country || "BE"),
    field("customer-vat", "col.vat", c.vat, { onchange: checkVat, oninput: checkVat }),
    field("customer-email", "col.email", c.email),
    field("customer-phone", "col.phone", c.phone),
    h("label", { for: "customer-business" }, t("customer.business")),
    h("input", { id: "customer-business", type: "checkbox", checked: c.business }), h("span"),
    h("span"), h("button", { id: "customer-save", type: "submit" }, t("save")), h("span"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const val = (id) => document.getElementById(id).value;
    const body = { name: val("customer-name"), street: val("customer-street"), zip: val("customer-zip"),
      city: val("customer-city"), country: val("customer-country"), vat: val("customer-vat"),
      email: val("customer-email"), phone: val("customer-phone"),
      business: document.getElementById("customer-business").checked };
    if (!code) body.code = val("customer-code");
    const saved = await attempt(() => api("POST", code ? `/api/${kind}/` + q(code) : `/api/${kind}`, body));
    if (saved) { showNotice(t(one(kind) + ".saved", saved.code)); location.hash = `#/${kind}?search=` + q(saved.code); }
  });
  view().replaceChildren(h("h1", {}, code ? t(one(kind) + ".edit", code) : t(one(kind) + ".new")), form);
  if (c.vat) checkVat();
  if (code) {
    // The customer's documents, the newest first (the store reads them by its PARTY index).
    const docs = await api("GET", `/api/documents?party=${q(code)}&limit=50${kind === "suppliers" ? "&type=PIN" : ""}`);
    view().append(h("h2", {}, t("customer.history")),
      h("div", { id: "customer-docs" }, table(docHeaders(kind === "suppliers" ? "col.supplier" : "col.party"), docs.items.map(docRow), "customer.no_docs")));
  }
}

// --- articles ----------------------------------------------------------------------------
async function articles(params) {
  const search = params.get("search") || "";
  const list = await api("GET", `/api/articles?search=${q(search)}&limit=200`);
  const input = h("input", { id: "article-search", type: "search", value: search, placeholder: t("search.articles") });
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") location.hash = "#/articles?search=" + q(input.value); });
  const rows = list.items.map((a) => h("tr", {}, h("td", {}, h("a", { href: "#/articles/edit/" + q(a.code) }, a.code)), h("td", {}, a.description),
    h("td", { class: "num" }, num(a.price)), h("td", { class: "num" }, num(a.vat_rate)),
    h("td", { class: "num" }, a.stocked ? num(a.stock) : "—"), h("td", { class: "num" }, a.stocked ? num(a.min_stock) : "—")));
  view().replaceChildren(h("h1", {}, t("nav.articles")),
    h("div", { class: "toolbar" }, input,
      h("button", { id: "article-new", class: "secondary", onclick: () => { location.hash = "#/articles/new"; } }, t("article.new"))),
    table([{ key: "col.code" }, { key: "col.description" }, { key: "col.price", num: true }, { key: "col.vat_rate", num: true },
      { key: "col.stock", num: true }, { key: "col.min", num: true }], rows));
}

async function articleForm(code) {
  // Editing: the stock changes by moves only (a counted stock below), never by the form.
  const a = code ? await api("GET", `/api/articles/${q(code)}?lang=${state.lang}`) : { vat_rate: "21" };
  const form = h("form", { class: "edit", id: "article-form" },
    field("article-code", "col.code", a.code, { required: true, readonly: !!code }),
    field("article-description", "col.description", a.description, { required: true }),
    field("article-price", "col.price", a.price, { inputmode: "decimal", required: true }),
    field("article-vat-rate", "col.vat_rate", a.vat_rate, { inputmode: "decimal" }),
    field("article-unit", "col.unit", a.unit),
    code ? [] : field("article-stock", "article.opening_stock", "", { inputmode: "decimal" }),
    field("article-min", "col.min", code && a.stocked ? a.min_stock : "", { inputmode: "decimal" }),
    h("span"), h("button", { id: "article-save", type: "submit" }, t("save")), h("span"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const val = (id) => document.getElementById(id).value;
    const body = { description: val("article-description"), price: val("article-price"),
      vat_rate: val("article-vat-rate"), unit: val("article-unit"), min_stock: val("article-min") };
    if (!code) Object.assign(body, { code: val("article-code"), opening_stock: val("article-stock") });
    const saved = await attempt(() => api("POST", code ? "/api/articles/" + q(code) : "/api/articles", body));
    if (saved) { showNotice(t("article.saved", saved.code)); location.hash = "#/articles"; }
  });
  view().replaceChildren(h("h1", {}, code ? t("article.edit", code) : t("article.new")), form);
  if (!code) return;
  const count = h("form", { class: "inline", id: "stock-form" },
    h("label", {}, t("article.counted"), h("input", { id: "stock-counted", class: "short", inputmode: "decimal", required: true })),
    h("label", {}, t("article.reason"), h("input", { id: "stock-reason" })),
    h("button", { id: "stock-correct", type: "submit" }, t("article.correct")));
  count.addEventListener("submit", async (e) => {
    e.preventDefault();
    const r = await attempt(() => api("POST", `/api/articles/${q(code)}/stock`,
      { counted: document.getElementById("stock-counted").value, reason: document.getElementById("stock-reason").value }));
    if (r) { showNotice(t("article.corrected", r.code, num(r.stock))); articleForm(code); }
  });
  const moves = a.moves.map((m) => h("tr", {}, h("td", {}, day(m.date)), h("td", { class: "num" }, num(m.quantity)),
    h("td", {}, m.doc ? h("a", { href: "#/documents/" + m.doc }, m.doc_label) : m.reason), h("td", {}, m.user)));
  view().append(h("h2", {}, t("article.moves"), " · ", t("col.stock"), " ", h("span", { id: "article-stock-now" }, num(a.stock))),
    count, h("div", { id: "article-moves" }, table([{ key: "col.date" }, { key: "col.qty", num: true },
      { key: "article.what" }, { key: "article.user" }], moves, "article.no_moves")));
}

// --- documents ---------------------------------------------------------------------------
const TYPES = ["QUO", "ORD", "DEL", "INV", "CRN", "PIN"];
const STATUSES = ["D", "F", "X", "W"];

async function documents(params) {
  const type = params.get("type") || "", status = params.get("status") || "";
  const list = await api("GET", `/api/documents?type=${q(type)}&status=${q(status)}&limit=200`);
  const typeSel = h("select", { id: "doc-filter-type" }, h("option", { value: "" }, t("all")),
    TYPES.map((c) => h("option", { value: c, selected: c === type }, typeName(c))));
  const statusSel = h("select", { id: "doc-filter-status" }, h("option", { value: "" }, t("all")),
    STATUSES.map((c) => h("option", { value: c, selected: c === status }, statusName(c))));
  const refilter = () => { location.hash = `#/documents?type=${q(typeSel.value)}&status=${q(statusSel.value)}`; };
  typeSel.addEventListener("change", refilter);
  statusSel.addEventListener("change", refilter);
  view().replaceChildren(h("h1", {}, t("nav.documents")),
    h("div", { class: "toolbar" }, h("label", {}, t("col.type"), " ", typeSel), h("label", {}, t("col.status"), " ", statusSel),
      h("button", { id: "doc-new", class: "secondary", onclick: () => { location.hash = "#/documents/new"; } }, t("doc.new"))),
    table(docHeaders(type === "PIN" ? "col.supplier" : type ? "col.party" : "col.party_any"), list.items.map(docRow)));
}

// A search-as-you-type picker: an input whose suggestions (a datalist) are the first matches
// the API finds for what is typed, so that it works with 10,000 customers or articles. The
// input's value is the code.
const PICKS = 20;
function picker(id, url, label, attrs) {
  const list = h("datalist", { id: id + "-list" });
  const input = h("input", Object.assign({ id, list: id + "-list", autocomplete: "off" }, attrs || {}));
  let timer = 0, asked = 0;
  const suggest = async () => {
    const mine = ++asked;
    try {
      const r = await api("GET", `${url}?search=${q(input.value)}&limit=${PICKS}`);
      if (mine === asked) list.replaceChildren(...r.items.map((x) => h("option", { value: x.code }, label(x))));
    } catch (e) {
      if (mine === asked) list.replaceChildren();
    }
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 120); });
  suggest();
  return [input, list];
}

async function documentForm() {
  const form = h("form", { class: "edit", id: "doc-form" },
    h("label", { for: "doc-type" }, t("col.type")),
    h("select", { id: "doc-type", onchange: (e) => partyPicker(e.target.value === "PIN" ? "suppliers" : "customers") },
      ["INV", "QUO", "ORD", "DEL", "PIN"].map((c) => h("option", { value: c }, typeName(c)))), h("span"),
    h("label", { for: "doc-party", id: "doc-party-label" }, t("col.party")),
    h("span", { id: "doc-party-box" }), h("span"),
    field("doc-date", "col.date", "", { type: "date" }),
    h("span"), h("button", { id: "doc-create", type: "submit" }, t("doc.create")), h("span"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { type: document.getElementById("doc-type").value, party: document.getElementById("doc-party").value,
      date: document.getElementById("doc-date").value };
    const d = await attempt(() => api("POST", "/api/documents", body));
    if (d) location.hash = "#/documents/" + d.id;
  });
  // A purchase invoice is a supplier's: the picker suggests from the suppliers then.
  const partyPicker = (kind) => {
    document.getElementById("doc-party-label").textContent = t(kind === "suppliers" ? "col.supplier" : "col.party");
    document.getElementById("doc-party-box").replaceChildren(...picker("doc-party", `/api/${kind}`, (c) => c.code + " — " + c.name + (c.city ? ", " + c.city : ""),
      { required: true, placeholder: t("search.customers") }));
  };
  view().replaceChildren(h("h1", {}, t("doc.new")), form);
  partyPicker("customers");
}

function totalsBox(d) {
  return h("div", { class: "totals", id: "doc-totals" },
    h("div", {}, h("span", {}, t("total.excl")), h("span", { id: "total-excl" }, num(d.total_excl))),
    h("div", {}, h("span", {}, t("total.vat")), h("span", { id: "total-vat" }, num(d.total_vat))),
    h("div", {}, h("strong", {}, t("total.incl")), h("strong", { id: "total-incl" }, num(d.total_incl))));
}

// A final invoice's payments (a credit note's refunds): its state and what is left, each
// payment (one entered by mistake can be removed), and a form for the next one whose amount is
// what is left. The store decides what is allowed; its refusal is shown on the page.
const PAYMENT_METHODS = ["transfer", "cash", "card", "debit", "other"];
function paymentsPart(d, id, after) {
  const invoice = d.type === "INV";
  const part = h("section", { id: "doc-payments" }, h("h2", {}, t(invoice ? "pay.title" : "pay.refunds")));
  // Nothing left and nothing paid: credit notes took it all.
  const status = d.payment && d.payment.status === "paid" && !d.payments.length ? "credited" : d.payment && d.payment.status;
  if (d.payment)
    part.append(h("p", { id: "pay-state" }, h("span", { id: "pay-status" }, t("pay.status." + status)), " · ",
      t("pay.open"), " ", h("strong", { id: "pay-open" }, num(d.payment.open))));
  const rows = d.payments.map((p) => h("tr", { "data-payment": p.id },
    h("td", {}, day(p.date)), h("td", { class: "num" }, num(p.amount)), h("td", {}, t("pay.method." + p.method)),
    h("td", {}, p.reference), h("td", {}, p.user),
    h("td", {}, h("button", { class: "secondary", "data-pay-remove": p.id, onclick: () => {
      // Asked first: a payment removed changes what the customer owes.
      if (confirm(t("pay.remove_confirm", num(p.amount), day(p.date))))
        after(() => api("POST", `/api/documents/${id}/payments/${p.id}/remove`), "pay.removed");
    } }, t("pay.remove")))));
  part.append(table([{ key: "col.date" }, { key: "col.amount", num: true }, { key: "col.method" }, { key: "col.reference" },
    { key: "col.user" }, { key: "col.empty" }], rows, "pay.none"));
  const left = d.payment ? d.payment.open : "";
  if (invoice && !(Number(left) > 0)) return part;
  const value = (fid) => document.getElementById(fid).value;
  const form = h("form", { class: "inline", id: "pay-form" },
    h("label", {}, t("col.amount"), h("input", { id: "pay-amount", class: "short", inputmode: "decimal", value: left })),
    h("label", {}, t("col.date"), h("input", { id: "pay-date", type: "date", title: t("pay.date_empty") })),
    h("label", {}, t("col.method"), h("select", { id: "pay-method" },
      PAYMENT_METHODS.map((m) => h("option", { value: m }, t("pay.method." + m))))),
    h("label", {}, t("col.reference"), h("input", { id: "pay-reference" })),
    h("button", { id: "pay-add", type: "submit" }, t(invoice ? "pay.add" : "pay.add_refund")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    after(() => api("POST", `/api/documents/${id}/payments`, { amount: value("pay-amount"), date: value("pay-date"),
      method: value("pay-method"), reference: value("pay-reference") }), "pay.added");
  });
  part.append(form);
  return part;
}

// `page`: the document's page as an action's answer gave it (a finalization's), not asked again.
async function documentView(id, page) {
  const d = page || await api("GET", `/api/documents/${id}?lang=${state.lang}`);
  // A draft another workstation has open is shown read-only, saying who has it.
  const inUse = d.status === "D" && d.in_use_by.length > 0;
  const draft = d.status === "D" && !inUse;
  if (d.status === "D" && !inUse) {
    await api("POST", "/api/editing", { doc: Number(id) });
    state.editing = String(id);
  }
  const after = async (fn, noticeKey) => {
    const r = await attempt(fn);
    if (!r) return;
    if (noticeKey) showNotice(t(noticeKey, r.label));
    if (String(r.id) === String(id)) documentView(id); else location.hash = "#/documents/" + r.id;
  };
  const lineRows = d.lines.map((l) => h("tr", {},
    h("td", {}, l.lineno), h("td", {}, l.article), h("td", {}, l.description),
    h("td", { class: "num" }, num(l.quantity)), h("td", { class: "num" }, num(l.price)), h("td", { class: "num" }, num(l.discount)),
    h("td", {}, l.vat_category + " " + num(l.vat_rate) + "%"), h("td", { class: "num" }, num(l.net)),
    h("td", {}, draft ? [l.lineno > 1 ? h("button", { class: "secondary", "data-up": l.lineno, title: t("line.up"),
        onclick: () => after(() => api("POST", `/api/documents/${id}/lines/${l.lineno}/move`, { to: l.lineno - 1 })) }, "↑") : "", " ",
      l.lineno < d.lines.length ? h("button", { class: "secondary", "data-down": l.lineno, title: t("line.down"),
        onclick: () => after(() => api("POST", `/api/documents/${id}/lines/${l.lineno}/move`, { to: l.lineno + 1 })) }, "↓") : "", " ",
      h("button", { class: "secondary", "data-edit": l.lineno, onclick: () => editLine(l) }, t("line.edit")), " ",
      h("button", { class: "secondary", "data-remove": l.lineno,
        onclick: () => after(() => api("POST", `/api/documents/${id}/lines/${l.lineno}/remove`)) }, t("line.remove"))] : "")));
  // Editing a line: its values go into the line form, whose button then saves that line.
  let editing = 0;
  const editLine = (l) => {
    editing = l.lineno;
    const set = (fid, v) => { document.getElementById(fid).value = v; };
    set("line-article", l.article); set("line-text", l.description); set("line-qty", l.quantity);
    set("line-price", l.price); set("line-disc", l.discount); set("line-vat", l.vat_rate);
    document.getElementById("line-add").textContent = t("line.save", l.lineno);
    document.getElementById("line-preview").textContent = "";
  };
  const parts = [
    h("h1", { id: "doc-label" }, d.label),
    h("p", {}, h("span", { class: "status", id: "doc-status" }, statusName(d.status)), " · ", typeName(d.type), " · ",
      day(d.date), " · ", d.party_code + " " + d.party_name,
      d.source_label ? " · " + t("doc.from", d.source_label) : "", d.due_date ? " · " + t("doc.due", day(d.due_date)) : ""),
    d.warnings.length ? h("ul", { class: "warning" }, d.warnings.map((w) => h("li", {}, w))) : "",
    inUse ? h("p", { class: "warning", id: "doc-in-use" },
      t("doc.in_use", d.in_use_by.map((w) => t("who.at", w.user, w.workstation)).join(", "))) : "",
    table([{ key: "col.line" }, { key: "col.article" }, { key: "col.description" }, { key: "col.qty", num: true },
      { key: "col.price", num: true }, { key: "col.discount", num: true }, { key: "col.line_vat" }, { key: "col.net", num: true },
      { key: "col.empty" }], lineRows, "doc.no_lines")];
  if (draft) {
    const preview = h("div", { class: "preview", id: "line-preview" });
    const lineBody = () => ({ article: document.getElementById("line-article").value,
      text: document.getElementById("line-text").value, quantity: document.getElementById("line-qty").value,
      price: document.getElementById("line-price").value, discount: document.getElementById("line-disc").value,
      vat_rate: document.getElementById("line-vat").value });
    let timer = 0, asked = 0;
    const live = () => {
      clearTimeout(timer);
      if (editing) return;  // the preview adds a line; an edited one is shown once saved
      timer = setTimeout(async () => {
        const mine = ++asked;
        try {
          const p = await api("POST", `/api/documents/${id}/preview`, lineBody());
          if (mine === asked) preview.textContent = t("line.preview", num(p.line_net), num(p.total_excl), num(p.total_vat), num(p.total_incl));
        } catch (e) {
          if (mine === asked) preview.textContent = e.message;
        }
      }, 150);
    };
    const form = h("form", { class: "inline", id: "line-form", oninput: live, onchange: live },
      h("label", {}, t("col.article"), picker("line-article", "/api/articles", (a) => a.code + " — " + a.description,
        { placeholder: t("line.free_text") })),
      h("label", {}, t("col.description"), h("input", { id: "line-text" })),
      h("label", {}, t("col.qty"), h("input", { id: "line-qty", class: "short", value: "1", inputmode: "decimal" })),
      h("label", {}, t("col.price"), h("input", { id: "line-price", class: "short", inputmode: "decimal" })),
      h("label", {}, t("col.discount"), h("input", { id: "line-disc", class: "short", value: "0", inputmode: "decimal" })),
      h("label", {}, t("col.vat_rate"), h("input", { id: "line-vat", class: "short", inputmode: "decimal" })),
      h("button", { id: "line-add", type: "submit" }, t("line.add")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!editing) return after(() => api("POST", `/api/documents/${id}/lines`, lineBody()));
      // Only what is filled in changes (an empty article keeps a free-text line free text).
      const body = Object.fromEntries(Object.entries(lineBody()).filter(([, v]) => v !== ""));
      after(() => api("POST", `/api/documents/${id}/lines/${editing}`, body));
    });
    parts.push(h("h2", {}, t("line.new")), form, preview);
  }
  parts.push(totalsBox(d));
  if (d.status === "F" && (d.type === "INV" || d.type === "CRN")) parts.push(paymentsPart(d, id, after));
  const actions = h("div", { class: "toolbar", id: "doc-actions" });
  if (draft) {
    // When another workstation holds the numbering longer than its wait, the message names
    // it and the user may keep waiting (try again) or cancel (the draft stays a draft).
    const finalize = async () => {
      try {
        showError("");
        const r = await api("POST", `/api/documents/${id}/finalize?lang=${state.lang}`);
        showNotice(t("doc.finalized", r.label));
        documentView(id, r.history ? r : undefined);  // the page, unless it could not be read
      } catch (e) {
        showError(e.message);
        if (e.kind === "numbering")
          document.getElementById("error").append(" ",
            h("button", { id: "numbering-wait", onclick: finalize }, t("numbering.keep_waiting")), " ",
            h("button", { id: "numbering-cancel", class: "secondary", onclick: () => showError("") }, t("numbering.cancel")));
      }
    };
    actions.append(h("button", { id: "doc-finalize", onclick: finalize }, t("doc.finalize")));
    actions.append(h("button", { id: "doc-cancel", class: "secondary",
      onclick: () => after(() => api("POST", `/api/documents/${id}/cancel`), "doc.cancelled") }, t("doc.cancel")));
    actions.append(h("button", { id: "doc-delete", class: "secondary", onclick: async () => {
      if (!confirm(t("doc.delete_confirm", d.label))) return;
      if (await attempt(() => api("POST", `/api/documents/${id}/delete`))) location.hash = "#/documents";
    } }, t("doc.delete")));
  }
  if (d.status === "F" && (d.type === "QUO" || d.type === "ORD" || d.type === "DEL"))
    actions.append(h("button", { id: "doc-convert", onclick: () => after(() => api("POST", `/api/documents/${id}/convert`, { to: "INV" }), "doc.converted") }, t("doc.convert")));
  // A credit note only while something is left to credit (a fully credited invoice has none).
  if (d.status === "F" && d.type === "INV" && Number(d.credit_left) > 0)
    actions.append(h("button", { id: "doc-credit", onclick: () => after(() => api("POST", `/api/documents/${id}/credit`), "doc.credited") }, t("doc.credit")));
  actions.append(h("a", { id: "doc-pdf", href: `/api/documents/${id}/pdf?lang=${state.lang}`, target: "_blank", rel: "noopener" }, t("doc.pdf")));
  if (d.status === "F" && (d.type === "INV" || d.type === "CRN"))
    actions.append(" ", h("a", { id: "doc-ubl", href: `/api/documents/${id}/ubl`, download: "" }, t("doc.ubl")));
  parts.push(actions);
  if (d.made_from_it.length)
    parts.push(h("h2", {}, t("doc.made_from_it")), h("ul", {}, d.made_from_it.map((m) => h("li", {}, h("a", { href: "#/documents/" + m.id }, m.label)))));
  // Who did what to it, from the audit log (the text is the log's own, in the company's words).
  if (d.history.length)
    parts.push(h("section", { id: "doc-history" }, h("h2", {}, t("doc.history")),
      table([{ key: "col.when" }, { key: "col.user" }, { key: "col.action" }, { key: "col.description" }],
        d.history.map((e) => h("tr", {}, h("td", {}, day(e.when)), h("td", {}, t("who.at", e.user, e.workstation)), h("td", {}, actionName(e.action)), h("td", {}, e.text))))));
  view().replaceChildren(...parts.filter((x) => x !== ""));
}

// --- settings ----------------------------------------------------------------------------
async function settings() {
  const s = await api("GET", "/api/settings");
  view().replaceChildren(h("h1", {}, t("nav.settings")), h("h2", {}, t("settings.global")),
    table([{ key: "col.key" }, { key: "col.value" }, { key: "col.meaning" }],
      s.settings.map((x) => h("tr", {}, h("td", {}, x.key), h("td", {}, x.value), h("td", {}, x.meaning)))),
    h("p", { class: "empty" }, t("settings.readonly")),
    // This workstation's own settings, kept on it and apart from the company's.
    h("h2", { id: "settings-local-title" }, t("settings.local")),
    h("p", {}, t("settings.local_file", s.local.file)),
    h("div", { id: "settings-local" }, table([{ key: "col.key" }, { key: "col.value" }, { key: "settings.scope" }, { key: "col.meaning" }],
      s.local.settings.map((x) => h("tr", {}, h("td", {}, x.key), h("td", {}, x.value),
        h("td", {}, x.scope ? t("settings.scope_folder") : t("settings.scope_all")), h("td", {}, x.meaning))))),
    localForm(s.local.settings));
}

// Changes one local setting the way its command does (the server checks it as the command
// line does; a refusal is shown with its reason). `unc` is set by `invoicing setup workstation`.
function localForm(local) {
  const editable = local.filter((x) => ["data", "user", "pdf_dir", "backup_dir"].includes(x.key));
  const which = h("select", { id: "local-key" }, editable.map((x, i) => h("option", { value: i },
    x.key + " — " + (x.scope ? t("settings.scope_folder") : t("settings.scope_all")))));
  const value = h("input", { id: "local-value", type: "text", size: 50 });
  const pick = () => { value.value = editable[Number(which.value)].value; };
  which.addEventListener("change", pick);
  pick();
  const form = h("form", { class: "edit", id: "local-form" },
    h("label", { for: "local-key" }, t("settings.local_change")), which, h("span"),
    h("label", { for: "local-value" }, t("col.value")), value, h("span"),
    h("span"), h("button", { id: "local-save", type: "submit" }, t("save")), h("span"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const x = editable[Number(which.value)];
    const r = await attempt(() => api("POST", "/api/settings/local", { key: x.key, scope: x.scope ? "folder" : "all", value: value.value }));
    if (r) { await settings(); showNotice(t("settings.local_saved", x.key)); }
  });
  return h("div", {}, h("p", { class: "empty" }, t("settings.local_editable")), form);
}

// --- routing -----------------------------------------------------------------------------
async function route() {
  const shown = location.hash;  // what this screen is drawn for (the tests wait for it)
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean);
  // Leaving a draft: this workstation no longer has it open.
  if (state.editing && !(parts[0] === "documents" && parts[1] === state.editing)) {
    state.editing = "";
    await attempt(() => api("POST", "/api/editing", { doc: 0 }));
  }
  for (const a of document.querySelectorAll("header nav a"))
    a.classList.toggle("active", a.getAttribute("href") === "#/" + (parts[0] || ""));
  view().setAttribute("data-screen", parts[0] || "dashboard");
  view().setAttribute("aria-busy", "true");
  await attempt(async () => {
    if (!parts.length) return dashboard();
    if (parts[0] === "customers" && parts[1] === "new") return customerForm("");
    if (parts[0] === "customers" && parts[1] === "edit") return customerForm(decodeURIComponent(parts[2]));
    if (parts[0] === "customers") return customers(params);
    if (parts[0] === "suppliers" && parts[1] === "new") return customerForm("", "suppliers");
    if (parts[0] === "suppliers" && parts[1] === "edit") return customerForm(decodeURIComponent(parts[2]), "suppliers");
    if (parts[0] === "suppliers") return customers(params, "suppliers");
    if (parts[0] === "articles" && parts[1] === "new") return articleForm("");
    if (parts[0] === "articles" && parts[1] === "edit") return articleForm(decodeURIComponent(parts[2]));
    if (parts[0] === "articles") return articles(params);
    if (parts[0] === "documents" && parts[1] === "new") return documentForm();
    if (parts[0] === "documents" && parts[1]) return documentView(parts[1]);
    if (parts[0] === "documents") return documents(params);
    if (parts[0] === "settings") return settings();
    throw new Error(t("error.no_screen"));
  });
  view().setAttribute("data-shown", shown);
  view().setAttribute("aria-busy", "false");
}

// --- start-up safety ----------------------------------------------------------------------
// What makes the data folder unsafe (a sync client, conflict copies, a failed lock test) covers
// the page until it is fixed: each finding with what to do, and a button to check again.
async function safety(recheck) {
  const s = recheck ? await api("POST", "/api/safety/check") : await api("GET", "/api/safety");
  state.safety = s;
  drawSafety();
}

function drawSafety() {
  const s = state.safety;
  let box = document.getElementById("safety");
  if (!s || !s.findings.length) {
    if (box) box.remove();
    return;
  }
  if (!box) {
    box = h("div", { id: "safety", class: "blocking", role: "alertdialog", "aria-modal": "true" });
    document.body.append(box);
  }
  box.replaceChildren(h("div", { class: "dialog" },
    h("h1", {}, t("safety.title")),
    h("p", {}, t("safety.intro", s.data)),
    h("ul", { id: "safety-findings" }, s.findings.map((f) => h("li", {}, h("strong", {}, f.message),
      f.fix ? h("div", {}, t("safety.fix"), " ", f.fix) : ""))),
    h("p", {}, t("safety.after")),
    h("button", { id: "safety-check", onclick: () => attempt(() => safety(true)) }, t("safety.check"))));
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.getAttribute("data-t"));
  document.getElementById("lang").value = state.lang;
  const s = state.session;
  if (s) document.getElementById("who").textContent = t("who", s.user, s.workstation, s.seat);
  drawSafety();
}

async function start() {
  const saved = localStorage.getItem("invoicing.lang");
  state.lang = I18N[saved] ? saved : ((navigator.language || "en").slice(0, 2) in I18N ? navigator.language.slice(0, 2) : "en");
  applyLanguage();
  document.getElementById("lang").addEventListener("change", (e) => {
    state.lang = e.target.value;
    localStorage.setItem("invoicing.lang", state.lang);
    applyLanguage();
    showNotice("");
    route();
  });
  const s = await attempt(() => api("GET", "/api/session"));
  if (!s) return;
  state.csrf = s.csrf;
  state.session = s;
  document.getElementById("company").textContent = s.company;
  applyLanguage();
  await attempt(() => safety(false));
  window.addEventListener("hashchange", () => {
    if (state.noticeScreens > 0) state.noticeScreens--; else showNotice("");
    route();
  });
  route();
}

document.addEventListener("DOMContentLoaded", start);
