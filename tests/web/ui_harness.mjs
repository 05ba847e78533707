// What the browser tests of `invoicing ui` share: a company folder with a licence signed with
// the test key, `invoicing ui` processes (their URL read from what they print), and Debian's
// Chromium through playwright-core (installed by npm_ci.sh into NODE_DIR).
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

// A new company in `data` with a licence of `edition` (stock needs Basic; 3 seats).
export function makeCompany(invoicing, issuer, key, data, edition = "basic") {
  const lic = data + ".lic";
  execFileSync(issuer, ["issue", "--key", key, "--licensee", "Web test", "--vat", "BE0431115213", "--edition", edition,
    "--updates-until", "2099-12-31", "--out", lic], { stdio: ["ignore", "ignore", "inherit"] });
  execFileSync(invoicing, ["init", data, "--company", "Web Test Bv", "--licence", lic], { stdio: "ignore" });
}

// `invoicing ui` on `data` as user on workstation; resolves to {server, url, base, stop()}.
export async function startUi(invoicing, data, user, workstation, extraEnv = {}) {
  const env = { ...process.env, INVOICING_TODAY: "2026-03-16", ...extraEnv };
  const server = spawn(invoicing, ["ui", "--data", data, "--no-browser", "--user", user, "--workstation", workstation],
    { env, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (b) => {
      out += b;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/);
      if (m) resolve(m[0]);
    });
    server.on("exit", (code) => reject(new Error(`invoicing ui ended (${code}) before printing its URL: ${out}`)));
    setTimeout(() => reject(new Error("invoicing ui printed no URL within 10 s")), 10000);
  });
  const exited = new Promise((resolve) => server.on("exit", resolve));
  // SIGTERM: the server stops and frees its seat; resolves to its exit code.
  const stop = async () => { server.kill("SIGTERM"); return exited; };
  return { server, url, base: url.replace(/\/\?token=.*/, ""), stop };
}

export async function launchChromium(nodeDir) {
  const { chromium } = createRequire(path.join(nodeDir, "package.json"))("playwright-core");
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}

// A page that records console errors and uncaught exceptions into `problems`.
export async function watchedPage(browser, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(5000);
  return page;
}

// The router has drawn the screen of the address shown (its API calls answered). Its
// hashchange event comes after the address changed: a page still showing the screen before
// (not busy yet) must not count as drawn.
export const ready = (page) =>
  page.waitForFunction(() => {
    const v = document.querySelector("#view");
    return v && v.getAttribute("aria-busy") === "false" && v.getAttribute("data-shown") === location.hash;
  });
