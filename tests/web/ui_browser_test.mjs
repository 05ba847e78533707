// The screens of `invoicing ui` in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): a new user's path from an empty company to a finalized invoice
// with stock articles, a quote converted to an invoice, a credit note, a refusal shown on the
// page, search and paging; lines moved; then every screen in Dutch, French and English without
// a console error (the settings with this workstation's own apart), each kept as a screenshot;
// last the start-up safety screen over a folder with a conflict copy.
// Args: INVOICING LICENCE_ISSUER TEST_KEY NODE_DIR WORK_DIR
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { makeCompany, startUi, launchChromium, watchedPage, ready as readyOn } from "./ui_harness.mjs";

const [invoicing, issuer, key, nodeDir, work] = process.argv.slice(2);
const shots = path.join(work, "screenshots");
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });
const started = Date.now();
const step = (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);

// An empty company with a Basic licence (stock needs it), and its server.
const data = path.join(work, "data");
makeCompany(invoicing, issuer, key, data);
// What an e-invoice needs of the seller (the page's settings are read-only).
execFileSync(invoicing, ["company", "set", "--data", data, "--street", "Kerkstraat 1", "--postcode", "9000", "--city", "Gent",
  "--vat", "BE0431115213", "--iban", "BE68539007547034"], { stdio: ["ignore", "ignore", "inherit"] });
// This workstation's settings (the settings page shows them apart from the company's).
const config = path.join(work, "config");
fs.mkdirSync(path.join(config, "xbase-invoicing"), { recursive: true });
const backups = path.join(work, "backups");
fs.writeFileSync(path.join(config, "xbase-invoicing", "local.ini"), `data=${data}\n[${data}]\nbackup_dir=${backups}\n`);
const ui = await startUi(invoicing, data, "anna", "PC-anna", { XDG_CONFIG_HOME: config });
const { url, base } = ui;

const browser = await launchChromium(nodeDir);
const problems = [];
let failed = false;
try {
  const page = await watchedPage(browser, problems);

  // Screens are drawn after their API call: wait until the router says it is done.
  const ready = () => readyOn(page);
  const go = async (hash) => {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((h) => location.hash === h, hash);
    await ready();
  };
  const text = (sel) => page.locator(sel).innerText();
  const noError = async (what) => {
    const hidden = await page.locator("#error").isHidden();
    assert.ok(hidden, `${what}: the page shows an error: ${hidden ? "" : await text("#error")}`);
  };

  step("open the printed URL");
  await page.goto(url);
  assert.equal(page.url(), base + "/", "the token stays in the address bar");
  await ready();
  await page.selectOption("#lang", "en");
  await ready();
  assert.equal(await text("#company"), "Web Test Bv");
  assert.match(await text("#dash-seats"), /anna\s+PC-anna/);

  step("a customer, with the VAT number checked as it is typed");
  await go("#/customers/new");
  await page.fill("#customer-code", "C1");
  await page.fill("#customer-name", "Garage Peeters");
  await page.fill("#customer-city", "Gent");
  await page.fill("#customer-vat", "BE0123456748");
  await page.waitForFunction(() => /not valid/.test(document.getElementById("customer-vat-note").textContent));
  assert.match(await text("#customer-vat-note"), /check digits/);
  await page.fill("#customer-vat", "BE 0123.456.749");
  await page.waitForFunction(() => /^valid: BE0123456749/.test(document.getElementById("customer-vat-note").textContent));
  await page.check("#customer-business");
  await page.click("#customer-save");
  await page.waitForFunction(() => location.hash.startsWith("#/customers?"));
  await ready();
  await noError("customer saved");
  assert.match(await text("#notice"), /Customer C1 saved/);
  assert.match(await text("#view table"), /Garage Peeters/);

  step("the customer edited");
  await go("#/customers/edit/C1");
  assert.equal(await page.inputValue("#customer-vat"), "BE0123456749");
  await page.fill("#customer-street", "Kerkstraat 1");
  await page.click("#customer-save");
  await page.waitForFunction(() => location.hash.startsWith("#/customers?"));
  await ready();
  await noError("customer edited");
  await go("#/customers/edit/C1");
  assert.equal(await page.inputValue("#customer-street"), "Kerkstraat 1");

  step("the store's refusal is shown on the page");
  const before = problems.length;
  await go("#/customers/new");
  await page.fill("#customer-code", "C1");
  await page.fill("#customer-name", "Someone else");
  await page.click("#customer-save");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await text("#error"), /customer code C1 exists already/);
  // Chromium logs the refused call (422) on the console: expected here, and only here.
  assert.ok(problems.slice(before).every((p) => /status of 422/.test(p)), problems.slice(before).join("\n"));
  problems.splice(before);

  step("an article with stock");
  await go("#/articles/new");
  await noError("article form");
  await page.fill("#article-code", "BOLT");
  await page.fill("#article-description", "Bolt M8");
  await page.fill("#article-price", "2.50");
  await page.fill("#article-stock", "10");
  await page.fill("#article-min", "5");
  await page.click("#article-save");
  await page.waitForFunction(() => location.hash === "#/articles");
  await ready();
  assert.match(await text("#view table"), /BOLT\s+Bolt M8\s+2\.50\s+21\s+10\s+5/);

  step("an invoice with lines, totals live from the server, finalized");
  await go("#/documents/new");
  await page.selectOption("#doc-type", "INV");
  await page.fill("#doc-party", "C1");
  await page.click("#doc-create");
  await page.waitForFunction(() => /^#\/documents\/\d+$/.test(location.hash));
  await ready();
  const invoiceHash = await page.evaluate(() => location.hash);
  assert.match(await text("#doc-label"), /draft invoice/);
  await page.fill("#line-article", "BOLT");
  await page.fill("#line-qty", "8");
  // 8 × 2.50 = 20.00, VAT 21 % 4.20, before the line is added.
  await page.waitForFunction(() => /20\.00 \+ VAT 4\.20 = 24\.20/.test(document.getElementById("line-preview").textContent));
  await page.click("#line-add");
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "24.20");
  await page.fill("#line-text", "Labour");
  await page.fill("#line-qty", "1.5");
  await page.fill("#line-price", "40");
  await page.fill("#line-vat", "21");
  await page.click("#line-add");
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "96.80");
  assert.equal(await text("#total-excl"), "80.00");
  assert.equal(await text("#total-vat"), "16.80");
  await page.click('button[data-remove="2"]');
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "24.20");
  await page.fill("#line-article", "");
  await page.fill("#line-text", "Labour");
  await page.fill("#line-qty", "2");
  await page.fill("#line-price", "40");
  await page.click("#line-add");
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "121.00");
  // The finalization's answer is the document's page: the screen shows it without asking for it
  // again (issue 30: on a share the page read again was some 25 round trips more).
  const sent = [];
  const note = (req) => { if (new URL(req.url()).pathname.startsWith("/api/documents/")) sent.push(req.method() + " " + new URL(req.url()).pathname); };
  page.on("request", note);
  const answered = page.waitForResponse((res) => res.request().method() === "POST" && /\/finalize\b/.test(res.url()));
  await page.click("#doc-finalize");
  const posted = await (await answered).json();
  await page.waitForFunction(() => document.getElementById("doc-status")?.textContent === "final");
  await ready();
  page.off("request", note);
  // The answer is the page GET gives (its warnings apart: the finalization's own).
  const docPath = new URL(page.url()).hash.replace("#", "");
  const got = await (await page.request.get(`${base}/api${docPath}?lang=en`)).json();
  delete posted.warnings;
  delete got.warnings;
  assert.deepEqual(posted, got, "the finalization's answer is not the document's page");
  assert.deepEqual(sent.filter((a) => a.startsWith("GET ")), [], `the page asked again: ${sent.join(", ")}`);
  assert.ok(sent.some((a) => a.startsWith("POST ") && a.endsWith("/finalize")), `no finalization sent: ${sent.join(", ")}`);
  assert.match(await text("#doc-label"), /invoice 2026\/1\b/, "the number is shown");
  assert.match(await text("#notice"), /invoice 2026\/1 is final/);
  // The page from the answer is whole: its history says who finalized it, its payments what is open.
  assert.match(await text("#doc-history tbody"), /anna on PC-anna\s+finalized\s+invoice 2026\/1 total 121\.00/);
  assert.equal(await text("#pay-open"), "121.00");
  await page.screenshot({ path: path.join(shots, "path-invoice-final.png"), fullPage: true });

  step("its PDF");
  const pdfHref = await page.getAttribute("#doc-pdf", "href");
  const pdf = await page.request.get(base + pdfHref);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()["content-type"], "application/pdf");
  assert.equal((await pdf.body()).subarray(0, 5).toString(), "%PDF-");

  step("its e-invoice (UBL), the PDF inside");
  const ubl = await page.request.get(base + (await page.getAttribute("#doc-ubl", "href")));
  const ublText = await ubl.text();
  assert.equal(ubl.status(), 200, ublText);
  assert.match(ubl.headers()["content-disposition"], /^attachment; filename=".+\.xml"$/);
  assert.match(ublText, /<Invoice [^>]*xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/);
  assert.match(ublText, /<cbc:ID>2026\/1<\/cbc:ID>|<cbc:ID>[^<]*1<\/cbc:ID>/);
  assert.match(ublText, /mimeCode="application\/pdf"/);
  assert.match(ublText, /<cbc:PayableAmount currencyID="EUR">121\.00<\/cbc:PayableAmount>/);

  step("the dashboard: the unpaid invoice and the article under its minimum (10 - 8 < 5)");
  await go("#/");
  assert.match(await text("#dash-open"), /2026\/1/);
  assert.match(await text("#dash-low"), /BOLT\s+Bolt M8\s+2\s+5/);

  step("a quote converted to an invoice");
  await go("#/documents/new");
  await page.selectOption("#doc-type", "QUO");
  await page.fill("#doc-party", "C1");
  await page.click("#doc-create");
  await page.waitForFunction((h) => /^#\/documents\/\d+$/.test(location.hash) && location.hash !== h, invoiceHash);
  await ready();
  await page.fill("#line-article", "BOLT");
  await page.fill("#line-qty", "1");
  await page.click("#line-add");
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "3.03");
  await page.click("#doc-finalize");
  await page.waitForSelector("#doc-convert");
  assert.match(await text("#doc-label"), /quote 2026\/1\b/);
  await page.click("#doc-convert");
  await page.waitForFunction(() => /draft invoice/.test(document.getElementById("doc-label")?.textContent || ""));
  await ready();
  assert.match(await text("#view"), /made from quote 2026\/1/);
  await page.click("#doc-finalize");
  await page.waitForFunction(() => /invoice 2026\/2\b/.test(document.getElementById("doc-label")?.textContent || ""));

  step("invoice 2026/2 paid: in part, too much refused, the rest; a payment removed and entered again");
  await ready();
  assert.equal(await text("#pay-open"), "3.03");
  assert.equal(await page.inputValue("#pay-amount"), "3.03", "the amount offered is what is left");
  await page.fill("#pay-amount", "1");
  await page.selectOption("#pay-method", "cash");
  await page.fill("#pay-reference", "at the counter");
  await page.click("#pay-add");
  await page.waitForFunction(() => document.getElementById("pay-open")?.textContent === "2.03");
  await noError("payment recorded");
  assert.equal(await text("#pay-status"), "partly paid");
  assert.match(await text("#doc-payments tbody"), /\d\d? [A-Z][a-z]{2} 2026\s+1\.00\s+cash\s+at the counter\s+anna/);
  const beforePay = problems.length;
  await page.fill("#pay-amount", "5");
  await page.click("#pay-add");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await text("#error"), /invoice 2026\/2 has 2\.03 left to pay; a payment of 5\.00 is more/);
  assert.ok(problems.slice(beforePay).every((p) => /status of 422/.test(p)), problems.slice(beforePay).join("\n"));
  problems.splice(beforePay);
  assert.equal(await text("#pay-open"), "2.03", "nothing was recorded");
  await page.fill("#pay-amount", "2.03");
  await page.click("#pay-add");
  await page.waitForFunction(() => document.getElementById("pay-open")?.textContent === "0.00");
  await noError("the rest paid");
  assert.equal(await text("#pay-status"), "paid");
  assert.equal(await page.$("#pay-form"), null, "a paid invoice offers no payment form");
  assert.equal(await page.locator("#doc-payments tbody tr").count(), 2);
  // Removing asks first: declined, nothing changes; accepted, the payment goes.
  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); d.dismiss(); });
  await page.click("#doc-payments tbody tr:first-child button[data-pay-remove]");
  assert.match(asked, /Remove the payment of 1\.00 of \d\d? [A-Z][a-z]{2} 2026\?/);
  assert.equal(await page.locator("#doc-payments tbody tr").count(), 2, "declined: still two payments");
  page.once("dialog", (d) => d.accept());
  await page.click("#doc-payments tbody tr:first-child button[data-pay-remove]");
  await page.waitForFunction(() => document.getElementById("pay-open")?.textContent === "1.00");
  assert.equal(await text("#pay-status"), "partly paid");
  assert.match(await text("#notice"), /payment removed/);
  await page.click("#pay-add");
  await page.waitForFunction(() => document.getElementById("pay-open")?.textContent === "0.00");
  await page.screenshot({ path: path.join(shots, "path-invoice-paid.png"), fullPage: true });
  // Its history: made from the quote, finalized, three payments and one removed, by anna.
  const history = await text("#doc-history tbody");
  for (const what of [/converted\s+draft invoice \(document \d+\) from quote 2026\/1/, /finalized\s+invoice 2026\/2 total 3\.03/,
    /payment\s+paid 1\.00 invoice 2026\/2/, /payment removed\s+payment \d+ of 1\.00/])
    assert.match(history, what);
  assert.match(history, /anna on PC-anna/);
  await go("#/");
  assert.doesNotMatch(await text("#dash-open"), /2026\/2/, "a paid invoice is not unpaid");

  step("a credit note of the first invoice");
  await go(invoiceHash);
  await page.click("#doc-credit");
  await page.waitForFunction(() => /draft credit note/.test(document.getElementById("doc-label")?.textContent || ""));
  await ready();
  assert.equal(await text("#total-incl"), "121.00");
  await page.click("#doc-finalize");
  await page.waitForFunction(() => /credit note 2026\/1\b/.test(document.getElementById("doc-label")?.textContent || ""));
  await noError("credit note");
  await go(invoiceHash);
  assert.equal(await text("#pay-status"), "credited in full");
  assert.equal(await text("#pay-open"), "0.00");
  assert.equal(await page.locator("#doc-credit").count(), 0, "a fully credited invoice offers no credit note");

  step("documents by type and status");
  await go("#/documents");
  assert.equal(await page.locator("#view tbody tr").count(), 4);
  await page.selectOption("#doc-filter-type", "INV");
  await page.waitForFunction(() => /type=INV/.test(location.hash));
  await ready();
  assert.equal(await page.locator("#view tbody tr").count(), 2);
  await page.selectOption("#doc-filter-status", "F");
  await page.waitForFunction(() => /status=F/.test(location.hash));
  await ready();
  assert.match(await text("#view tbody"), /2026\/2[\s\S]*2026\/1/);

  step("a draft's line edited; the draft cancelled: kept on file, no longer a draft; the customer's history lists it first");
  await go("#/documents/new");
  await page.fill("#doc-party", "C1");
  await page.click("#doc-create");
  await page.waitForFunction(() => /^#\/documents\/\d+$/.test(location.hash));
  await ready();
  const draftId = (await page.evaluate(() => location.hash)).split("/").pop();
  await page.fill("#line-text", "Labour");
  await page.fill("#line-price", "40");
  await page.fill("#line-vat", "21");
  await page.click("#line-add");
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "48.40");
  await page.click('button[data-edit="1"]');
  assert.equal(await page.inputValue("#line-text"), "Labour");
  assert.equal(await text("#line-add"), "Save line 1");
  await page.fill("#line-qty", "2.5");
  await page.click("#line-add");
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "121.00");
  assert.match(await text("#view tbody"), /Labour\s+2\.5\s+40\.00/);
  await page.fill("#line-text", "Travel");
  await page.fill("#line-qty", "1");
  await page.fill("#line-price", "10");
  await page.click("#line-add");
  await page.waitForFunction(() => document.getElementById("total-incl")?.textContent === "133.10");
  await page.click('button[data-up="2"]');
  await page.waitForFunction(() => /^1\s+Travel/.test(document.querySelector("#view tbody tr")?.innerText || ""));
  assert.match(await text("#view tbody"), /1\s+Travel[\s\S]*2\s+Labour/);
  assert.equal(await page.$('button[data-down="2"]'), null, "the last line has no way down");
  step("a line moved one place down, in nl, fr and en");
  const downTitle = { nl: "Eén plaats lager", fr: "Une place plus bas", en: "One place down" };
  let order = ["Travel", "Labour"];
  for (const lang of ["nl", "fr", "en"]) {
    await page.selectOption("#lang", lang);
    await ready();
    assert.equal(await page.getAttribute('button[data-down="1"]', "title"), downTitle[lang]);
    await page.click('button[data-down="1"]');
    order = [order[1], order[0]];
    await page.waitForFunction((first) => new RegExp("^1\\s+" + first).test(document.querySelector("#view tbody tr")?.innerText || ""), order[0]);
    assert.match(await text("#view tbody"), new RegExp(`1\\s+${order[0]}[\\s\\S]*2\\s+${order[1]}`));
    await noError(`${lang}: line moved down`);
  }
  assert.equal(await text("#total-incl"), "133.10");
  await page.click("#doc-cancel");
  await page.waitForFunction(() => document.getElementById("doc-status")?.textContent === "cancelled");
  assert.match(await text("#notice"), new RegExp(`cancelled invoice \\(document ${draftId}\\): kept on file`));
  assert.equal(await page.$("#doc-finalize"), null, "a cancelled draft cannot be finalized");
  assert.equal(await page.$("#doc-ubl"), null, "only a final invoice offers its e-invoice");
  const refused = await page.request.get(`${base}/api/documents/${draftId}/ubl`);
  assert.equal(refused.status(), 422);
  assert.match((await refused.json()).error, /only a final invoice or credit note is an e-invoice/);
  await go("#/customers/edit/C1");
  assert.match(await page.locator("#customer-docs tbody tr").first().innerText(), new RegExp(`#${draftId}\\s+invoice\\s+cancelled`));
  assert.match(await text("#customer-docs"), /2026\/1\b/);

  step("a draft deleted, asked first: declined keeps it, accepted removes it");
  await go("#/documents/new");
  await page.fill("#doc-party", "C1");
  await page.click("#doc-create");
  await page.waitForFunction((d) => /^#\/documents\/\d+$/.test(location.hash) && !location.hash.endsWith("/" + d), draftId);
  await ready();
  const doomed = (await page.evaluate(() => location.hash)).split("/").pop();
  let question = "";
  page.once("dialog", (d) => { question = d.message(); d.dismiss(); });
  await page.click("#doc-delete");
  assert.match(question, new RegExp(`Delete draft invoice \\(document ${doomed}\\)\\?`));
  assert.equal((await page.request.get(`${base}/api/documents/${doomed}`)).status(), 200, "declined: still there");
  page.once("dialog", (d) => d.accept());
  await page.click("#doc-delete");
  await page.waitForFunction(() => location.hash === "#/documents");
  await ready();
  assert.equal((await page.request.get(`${base}/api/documents/${doomed}`)).status(), 404, "accepted: gone");

  step("search and paging over 30 more customers");
  await page.evaluate(async () => {
    for (let i = 1; i <= 30; i++) {
      await api("POST", "/api/customers", { code: `K${String(i).padStart(2, "0")}`, name: `Klant ${i}`,
        city: i % 3 === 0 ? "Brugge" : "Antwerpen" });
    }
  });
  await go("#/customers");
  assert.equal(await text("#page-info"), "1–25 of more than 25");
  await page.click("#page-next");
  await page.waitForFunction(() => /offset=25&after=/.test(location.hash));
  await ready();
  assert.equal(await text("#page-info"), "26–31 of 31");
  await page.click("#page-prev");
  await page.waitForFunction(() => /offset=0/.test(location.hash));
  await ready();
  assert.equal(await text("#page-info"), "1–25 of more than 25");
  await page.fill("#customer-search", "brugge");
  await page.press("#customer-search", "Enter");
  await page.waitForFunction(() => /search=brugge/.test(location.hash));
  await ready();
  assert.equal(await text("#page-info"), "1–10 of 10");
  await page.fill("#customer-search", "BE0123456749");
  await page.click("#customer-search-go");
  await page.waitForFunction(() => /search=BE0123456749/.test(location.hash));
  await ready();
  assert.equal(await text("#page-info"), "1–1 of 1");
  assert.match(await text("#view table"), /Garage Peeters/);

  step("the customer picker suggests the first matches of what is typed, from the server");
  await go("#/documents/new");
  const picks = () => page.$$eval("#doc-party-list option", (os) => os.map((o) => o.value));
  await page.waitForFunction(() => document.querySelectorAll("#doc-party-list option").length === 20);
  await page.fill("#doc-party", "brug");
  await page.waitForFunction(() => document.querySelectorAll("#doc-party-list option").length === 10);
  assert.deepEqual((await picks()).slice(0, 3), ["K03", "K06", "K09"]);
  assert.match(await page.$eval("#doc-party-list option", (o) => o.textContent), /^K03 — Klant 3, Brugge$/);

  step("an article's stock moves name their documents; a counted stock; the article edited");
  await go("#/articles/edit/BOLT");
  assert.match(await text("#article-moves"), /-8\s+invoice 2026\/1\b/);
  await page.fill("#stock-counted", "7");
  await page.fill("#stock-reason", "inventory");
  await page.click("#stock-correct");
  await page.waitForFunction(() => document.getElementById("article-stock-now")?.textContent === "7");
  assert.match(await text("#notice"), /Stock of BOLT is now 7\./);
  assert.match(await text("#article-moves"), /inventory/);
  await page.fill("#article-price", "2.75");
  await page.click("#article-save");
  await page.waitForFunction(() => location.hash === "#/articles");
  await ready();
  assert.match(await text("#view table"), /BOLT\s+Bolt M8\s+2\.75\s+21\s+7\s+5/);

  step("a supplier made on its screen; a purchase invoice for it, the picker suggesting suppliers; its history lists it");
  await go("#/suppliers/new");
  await page.fill("#customer-code", "S1");
  await page.fill("#customer-name", "Groothandel Janssens");
  await page.fill("#customer-city", "Mechelen");
  await page.click("#customer-save");
  await page.waitForFunction(() => location.hash.startsWith("#/suppliers?"));
  await ready();
  await noError("supplier saved");
  assert.match(await text("#notice"), /Supplier S1 saved/);
  assert.match(await text("#view table"), /S1\s+Groothandel Janssens/);
  await go("#/customers?search=S1");
  assert.doesNotMatch(await text("#view"), /Groothandel Janssens/, "a supplier is not a customer");
  await go("#/documents/new");
  await page.selectOption("#doc-type", "PIN");
  await page.fill("#doc-party", "S");
  await page.waitForFunction(() => [...document.querySelectorAll("#doc-party-list option")].some((o) => o.value === "S1"));
  assert.match(await page.$eval("#doc-party-list option", (o) => o.textContent), /^S1 — Groothandel Janssens, Mechelen$/);
  await page.fill("#doc-party", "S1");
  await page.click("#doc-create");
  await page.waitForFunction(() => /^#\/documents\/\d+$/.test(location.hash));
  await ready();
  await noError("purchase invoice made");
  assert.match(await text("#doc-label"), /purchase invoice/);
  await go("#/suppliers/edit/S1");
  assert.match(await text("#customer-docs"), /purchase invoice\s+draft/);

  step("every screen in nl, fr and en");
  const tables = await page.evaluate(() => Object.fromEntries(Object.entries(I18N).map(([l, t]) => [l, Object.keys(t).sort()])));
  assert.deepEqual(tables.nl, tables.en, "the Dutch table has other keys than the English one");
  assert.deepEqual(tables.fr, tables.en, "the French table has other keys than the English one");
  const screens = [["dashboard", "#/"], ["customers", "#/customers"], ["customer-new", "#/customers/new"],
    ["suppliers", "#/suppliers"], ["supplier-edit", "#/suppliers/edit/S1"],
    ["customer-edit", "#/customers/edit/C1"], ["articles", "#/articles"], ["article-new", "#/articles/new"],
    ["article-edit", "#/articles/edit/BOLT"],
    ["documents", "#/documents"], ["document-new", "#/documents/new"], ["invoice", invoiceHash], ["settings", "#/settings"]];
  const nav = { nl: "Klanten", fr: "Clients", en: "Customers" };
  const cancelledWord = { nl: "geannuleerd", fr: "annulé", en: "cancelled" };
  const localTitle = { nl: "Deze werkpost (lokale instellingen, niet gedeeld)", fr: "Ce poste (paramètres locaux, non partagés)",
    en: "This workstation (local settings, not shared)" };
  const thisFolder = { nl: "deze gegevensmap", fr: "ce dossier de données", en: "this data folder" };
  const everyFolder = { nl: "elke gegevensmap", fr: "tous les dossiers de données", en: "every data folder" };
  const localSaved = { nl: "pdf_dir bewaard op deze werkpost.", fr: "pdf_dir enregistré sur ce poste.", en: "pdf_dir saved on this workstation." };
  const supplierWord = { nl: "Leverancier", fr: "Fournisseur", en: "Supplier" };
  const invoiceWord = { nl: /factuur 2026\/1\b/, fr: /facture 2026\/1\b/, en: /invoice 2026\/1\b/ };
  for (const lang of ["nl", "fr", "en"]) {
    await page.selectOption("#lang", lang);
    await ready();
    assert.equal(await text("#nav-customers"), nav[lang]);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    for (const [name, hash] of screens) {
      await go(hash);
      await noError(`${lang} ${name}`);
      const shown = await text("body");
      assert.doesNotMatch(shown, /\b(nav|col|dash|doc|line|total|settings|customer|supplier|safety|article)\.[a-z_]+\b/, `${lang} ${name}: an untranslated key`);
      if (name === "dashboard") {
        // The page's own formats (app.js num, day): amounts grouped, whole numbers (stock,
        // counts) not, as "1.234" typed back into a field would be read as 1,234 thousandths.
        const shown = await page.evaluate(() => [num("1234"), num("1234.5"), num("-1234567.25"), num("VAT"), day("2026-03-16 09:24:29")]);
        assert.deepEqual(shown, {
          nl: ["1234", "1.234,5", "-1.234.567,25", "VAT", "16/03/2026 09:24:29"],
          fr: ["1234", "1\u00a0234,5", "-1\u00a0234\u00a0567,25", "VAT", "16/03/2026 09:24:29"],
          en: ["1234", "1,234.5", "-1,234,567.25", "VAT", "16 Mar 2026 09:24:29"] }[lang]);
      }
      if (name === "invoice") {
        assert.match(await text("#doc-label"), invoiceWord[lang]);
        // Figures and dates as the language writes them (as its PDF does): they were shown as
        // the API sends them ("121.00", "2026-03-16") in every language.
        assert.equal(await text("#total-incl"), { nl: "121,00", fr: "121,00", en: "121.00" }[lang]);
        // Who finalized it, in the screen's words (it said "anna on PC-anna" in every language).
        assert.match(await text("#doc-history tbody"), { nl: /anna op PC-anna\s+definitief gemaakt/,
          fr: /anna sur PC-anna\s+rendu définitif/, en: /anna on PC-anna\s+finalized/ }[lang]);
        assert.match(await text("p:has(#doc-status)"), { nl: /16\/03\/2026[\s\S]*15\/04\/2026/, fr: /16\/03\/2026[\s\S]*15\/04\/2026/,
          en: /16 Mar 2026[\s\S]*15 Apr 2026/ }[lang]);
      }
      if (name === "customer-edit") assert.match(await text("#customer-docs"), new RegExp(cancelledWord[lang]));
      // A supplier's documents name their party "Supplier", not "Customer"; so does the new
      // document's form once a purchase invoice is picked.
      if (name === "supplier-edit")
        assert.equal(await page.textContent("#customer-docs th:nth-child(5)"), supplierWord[lang], `${lang}: the supplier's party column`);
      if (name === "document-new") {
        await page.selectOption("#doc-type", "PIN");
        assert.equal(await text("#doc-party-label"), supplierWord[lang], `${lang}: the purchase invoice's party label`);
      }
      if (name === "settings") {
        assert.equal(await text("#settings-local-title"), localTitle[lang]);
        const local = await text("#settings-local");
        assert.ok(local.includes(`backup_dir\t${backups}\t${thisFolder[lang]}`), `${lang}: the local settings: ${local}`);
        assert.ok(local.includes(`data\t${data}\t`), `${lang}: the local data setting: ${local}`);
        assert.match(await text("#view"), new RegExp(path.join(config, "xbase-invoicing", "local.ini").replace(/[.]/g, "\\.")));
        // Changed here as `invoicing pdf-dir` changes it (the folder made), and refused as
        // `invoicing use` refuses a folder that holds no company.
        const pdfDir = path.join(work, `pdf-${lang}`);
        await page.selectOption("#local-key", { label: `pdf_dir — ${thisFolder[lang]}` });
        await page.fill("#local-value", pdfDir);
        await page.click("#local-save");
        await page.waitForFunction((d) => document.getElementById("settings-local").innerText.includes(d), pdfDir);
        await noError(`${lang}: pdf_dir saved`);
        assert.equal(await text("#notice"), localSaved[lang]);
        assert.ok((await text("#settings-local")).includes(`pdf_dir\t${pdfDir}\t${thisFolder[lang]}`));
        assert.ok(fs.statSync(pdfDir).isDirectory(), `${lang}: the PDF folder was made`);
        const refusedBefore = problems.length;
        await page.selectOption("#local-key", { label: `data — ${everyFolder[lang]}` });
        await page.fill("#local-value", pdfDir);
        await page.click("#local-save");
        await page.locator("#error").waitFor({ state: "visible" });
        assert.ok(problems.slice(refusedBefore).every((p) => /status of 422/.test(p)), problems.slice(refusedBefore).join("\n"));
        problems.splice(refusedBefore);
        assert.match(await text("#error"), new RegExp(`${pdfDir} is not a company data folder`));
        assert.ok((await text("#settings-local")).includes(`data\t${data}\t`), `${lang}: data unchanged after the refusal`);
      }
      await page.screenshot({ path: path.join(shots, `${lang}-${name}.png`), fullPage: true });
    }
  }
  step("start-up safety: a conflict copy beside the tables covers the page with what to do, in nl, fr and en, until checked again");
  {
    const unsafe = path.join(work, "unsafe");
    makeCompany(invoicing, issuer, key, unsafe);
    const copy = path.join(unsafe, "DOC (conflicted copy 2026-03-01).DBF");
    fs.copyFileSync(path.join(unsafe, "DOC.DBF"), copy);
    const other = await startUi(invoicing, unsafe, "bert", "PC-bert");
    try {
      const title = { nl: /niet veilig/, fr: /pas sûr/, en: /not safe to work in/ };
      for (const lang of ["nl", "fr", "en"]) {
        await page.goto(other.url);
        await page.evaluate((l) => localStorage.setItem("invoicing.lang", l), lang);
        await page.reload();
        await page.waitForSelector("#safety");
        assert.match(await text("#safety h1"), title[lang]);
        assert.match(await text("#safety-findings"), /DOC \(conflicted copy 2026-03-01\)\.DBF is a Dropbox conflict copy of DOC\.DBF/);
        assert.match(await text("#safety-findings"), /xbase conflicts/);
        await page.screenshot({ path: path.join(shots, `${lang}-safety.png`), fullPage: true });
      }
      // The page under it takes no clicks; the copy removed, checking again lets the user in.
      await assert.rejects(page.click("#nav-customers", { timeout: 500 }));
      fs.rmSync(copy);
      await page.click("#safety-check");
      await page.waitForSelector("#safety", { state: "detached" });
      await page.click("#nav-customers");
      await ready();
      await noError("after the safety check");
    } finally {
      await other.stop();
    }
  }
  assert.deepEqual(problems, [], "console errors");
  step("done");
} catch (e) {
  failed = true;
  console.error(e);
  if (problems.length) console.error(problems.join("\n"));
} finally {
  await browser.close();
  const code = await ui.stop();
  if (code !== 0) { console.error(`invoicing ui ended with ${code} after SIGTERM`); failed = true; }
}
console.log(`screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
