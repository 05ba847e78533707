// Two workstations: two `invoicing ui` processes on one data folder (a seat each), two
// browsers. A draft one has open is "in use by anna on PC-anna" and read-only in the other;
// both then make and finalize invoices at once, and the numbers come out gap-free (1..n,
// each once), which `invoicing verify` confirms after both servers ended.
// Last, a third workstation holds the numbering longer than its wait: the page names it and
// offers to keep waiting, which finalizes once the numbering is free.
// Args: INVOICING LICENCE_ISSUER HOLD_NUMBERING TEST_KEY NODE_DIR WORK_DIR
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";
import { makeCompany, startUi, launchChromium, watchedPage, ready } from "./ui_harness.mjs";

const [invoicing, issuer, holdNumbering, key, nodeDir, work] = process.argv.slice(2);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const data = path.join(work, "data");
makeCompany(invoicing, issuer, key, data);
// A finalization waits 2 s for another workstation's numbering before it says who holds it.
execFileSync(invoicing, ["numbering", "mode", "serialized", "--wait", "2", "--data", data], { stdio: "ignore" });
const uiA = await startUi(invoicing, data, "anna", "PC-anna");
const uiB = await startUi(invoicing, data, "bert", "PC-bert");
const browserA = await launchChromium(nodeDir), browserB = await launchChromium(nodeDir);
const problems = [];
let failed = false;
const PER_WORKSTATION = 10;
try {
  const a = await watchedPage(browserA, problems), b = await watchedPage(browserB, problems);
  const go = async (page, hash) => {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((h) => location.hash === h, hash);
    await ready(page);
  };
  await a.goto(uiA.url);
  await b.goto(uiB.url);
  await ready(a);
  await ready(b);
  await a.selectOption("#lang", "en");
  await b.selectOption("#lang", "en");
  await ready(b);
  assert.match(await b.locator("#dash-seats").innerText(), /anna\s+PC-anna[\s\S]*bert\s+PC-bert|bert\s+PC-bert[\s\S]*anna\s+PC-anna/);

  // A draft anna has open is read-only for bert, saying who has it...
  const draft = await a.evaluate(async () => {
    await api("POST", "/api/customers", { code: "C1", name: "Garage Peeters", city: "Gent" });
    return (await api("POST", "/api/documents", { type: "INV", party: "C1" })).id;
  });
  await go(a, `#/documents/${draft}`);
  assert.ok(await a.locator("#line-form").isVisible(), "anna cannot edit her own draft");
  await go(b, `#/documents/${draft}`);
  assert.match(await b.locator("#doc-in-use").innerText(), /In use by anna on PC-anna/);
  assert.equal(await b.locator("#line-form").count(), 0, "bert can edit a draft anna has open");
  assert.equal(await b.locator("#doc-finalize").count(), 0, "bert can finalize a draft anna has open");
  await b.screenshot({ path: path.join(work, "in-use-by-anna.png"), fullPage: true });
  // ... until she leaves it.
  await go(a, "#/");
  await go(b, "#/");
  await go(b, `#/documents/${draft}`);
  assert.ok(await b.locator("#line-form").isVisible(), "still read-only after anna left the draft");
  await go(b, "#/");

  // Both finalize invoices at once.
  const work_ = async (n) => {
    const numbers = [];
    for (let i = 0; i < n; i++) {
      const d = await api("POST", "/api/documents", { type: "INV", party: "C1" });
      await api("POST", `/api/documents/${d.id}/lines`, { text: "Work", quantity: "1", price: "10" });
      const f = await api("POST", `/api/documents/${d.id}/finalize`);
      numbers.push(f.number);
    }
    return numbers;
  };
  const t0 = Date.now();
  const [na, nb] = await Promise.all([a.evaluate(work_, PER_WORKSTATION), b.evaluate(work_, PER_WORKSTATION)]);
  console.log(`${2 * PER_WORKSTATION} invoices finalized from two browsers at once in ${Date.now() - t0} ms; ` +
    `anna got ${na.join(",")}, bert got ${nb.join(",")}`);
  const all = [...na, ...nb].sort((x, y) => x - y);
  assert.deepEqual(all, Array.from({ length: 2 * PER_WORKSTATION }, (_, i) => i + 1), "numbers not gap-free");

  // Carl's workstation holds the invoice numbering for 4 s; anna's finalization waits 2 s,
  // then the page names carl and offers to keep waiting.
  const held = await a.evaluate(async () => {
    const d = await api("POST", "/api/documents", { type: "INV", party: "C1" });
    await api("POST", `/api/documents/${d.id}/lines`, { text: "Work", quantity: "1", price: "10" });
    return d.id;
  });
  await go(a, `#/documents/${held}`);
  const holder = spawn(holdNumbering, [data, "4"], { env: { ...process.env, INVOICING_TODAY: "2026-03-16" },
    stdio: ["ignore", "pipe", "inherit"] });
  const holderDone = new Promise((resolve) => holder.on("exit", resolve));
  await new Promise((resolve, reject) => {
    holder.stdout.on("data", (b) => { if (String(b).includes("held")) resolve(); });
    holder.on("exit", (code) => reject(new Error(`hold_numbering ended (${code}) before holding`)));
  });
  const beforeBusy = problems.length;
  await a.click("#doc-finalize");
  await a.waitForSelector("#numbering-wait", { timeout: 10000 });
  assert.match(await a.locator("#error").innerText(), /carl on PC-carl/);
  assert.equal(await a.locator("#doc-status").innerText(), "draft");
  await a.screenshot({ path: path.join(work, "numbering-held-by-carl.png"), fullPage: true });
  assert.equal(await holderDone, 0, "hold_numbering failed");
  await a.click("#numbering-wait");
  await a.waitForFunction(() => document.getElementById("doc-status")?.textContent === "final");
  assert.match(await a.locator("#doc-label").innerText(), new RegExp(`invoice 2026/${2 * PER_WORKSTATION + 1}\\b`));
  // Chromium logs the 409 of the refused finalization: expected here, and only here.
  assert.ok(problems.slice(beforeBusy).every((p) => /status of 409/.test(p)), problems.slice(beforeBusy).join("\n"));
  problems.splice(beforeBusy);
  assert.deepEqual(problems, [], "console errors");
} catch (e) {
  failed = true;
  console.error(e);
  if (problems.length) console.error(problems.join("\n"));
} finally {
  await browserA.close();
  await browserB.close();
  for (const ui of [uiA, uiB]) {
    const code = await ui.stop();
    if (code !== 0) { console.error(`invoicing ui ended with ${code} after SIGTERM`); failed = true; }
  }
}
if (!failed) {
  try {
    execFileSync(invoicing, ["verify", "--data", data], { stdio: "inherit", env: { ...process.env, INVOICING_TODAY: "2026-03-16" } });
  } catch (e) {
    console.error("invoicing verify found problems");
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
