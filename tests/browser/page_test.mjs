// The page at `/` in a real browser: Debian's chromium, headless, driven by playwright-core,
// against the real lmharvest binary on a demo-like config (the sim plugin) in a temp folder.
//   node page_test.mjs <lmharvest binary> <plugin folder> <artifacts folder>
// Exits non-zero, naming the step, when anything the page should do does not happen.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";

const [binary, plugins, artifacts] = process.argv.slice(2).map((arg) => resolve(arg));
const CHROMIUM = process.env.LMHARVEST_CHROMIUM || "/usr/bin/chromium";
if (!binary || !plugins || !artifacts) throw new Error("usage: page_test.mjs <lmharvest> <plugins> <artifacts>");
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-deps (package chromium)`);
mkdirSync(artifacts, { recursive: true });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what, test, timeout_ms = 20000) {
  const end = Date.now() + timeout_ms;
  for (;;) {
    const value = await test().catch(() => undefined);
    if (value) return value;
    if (host.exitCode !== null) throw new Error(`${what}: the host ended (${host.exitCode})`);
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(200);
  }
}
function free_port() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "lmharvest-page-"));
const port = await free_port();
const base = `http://127.0.0.1:${port}`;
const token = randomBytes(32).toString("hex");
const config = join(dir, "lmharvest.toml");
const write_config = (groups = "") => writeFileSync(config, `
[host]
state_dir = "${dir}/state"
plugin_dirs = ["${plugins}"]
listen = "127.0.0.1:${port}"
open_read = true

[[tokens]]
name = "page-operator"
role = "operator"
sha256 = "${createHash("sha256").update(token).digest("hex")}"

[[servers]]
id = "flex-a"
adapter = "sim"
address = "27000@sim-a"
interval = "2s"
[servers.sim]
seed = 7
features = 5
users = 25
churn = 0

[[servers]]
id = "lmx-b"
adapter = "sim"
address = "6200@sim-b"
interval = "2s"
[servers.sim]
seed = 8
features = 3
users = 15
churn = 0

# More sessions than a page holds (100), so that the grid pages through the host.
[[servers]]
id = "flex-c"
adapter = "sim"
address = "27001@sim-c"
interval = "2s"
[servers.sim]
seed = 9
features = 6
users = 300
churn = 0
${groups}
`);
write_config();
const host = spawn(binary, ["run", "--config", config], { stdio: ["ignore", "pipe", "pipe"] });
let host_log = "";
host.stdout.on("data", (d) => (host_log += d));
host.stderr.on("data", (d) => (host_log += d));
const exited = new Promise((resolve) => host.on("exit", (code, signal) => resolve({ code, signal })));

const api = async (path, headers = {}) => {
  const response = await fetch(base + path, { headers });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
};

let browser, page;
const step = (name) => console.log(`page_test: ${name}`);
let failed = false;
try {
  step("the host starts and polls");
  const all = await until("sessions listed", async () => {
    const sessions = await api("/api/v1/sessions");
    return sessions.length > 150 && sessions;
  });
  // A group of three users who hold licenses, added by a reload (SIGHUP) as an admin would.
  const members = [...new Set(all.map((s) => s.user))].sort().slice(0, 3);
  write_config(`[groups]\ndesigners = [${members.map((m) => `"${m}"`).join(", ")}]\n`);
  host.kill("SIGHUP");
  await until("the group after the reload", async () =>
    (await api("/api/v1/groups")).some((g) => g.name === "designers"));

  step("the page and its headers");
  const root = await fetch(base + "/");
  assert.equal(root.status, 200);
  const csp = root.headers.get("content-security-policy") || "";
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(root.headers.get("x-content-type-options"), "nosniff");
  const etag = root.headers.get("etag");
  assert.ok(etag, "ETag on /");
  assert.equal((await fetch(base + "/", { headers: { "If-None-Match": etag } })).status, 304);
  assert.equal((await fetch(base + "/assets/nothing.js")).status, 404);

  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  const problems = [];
  // The browser logs each 4xx answer as an error; those the page expects (401 asks for a
  // token, /api/v1/usage is 404 until history exists) are checked by URL instead.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("response", (r) => {
    const expected = r.status() === 401 || (r.status() === 404 && r.url().includes("/api/v1/usage")) ||
      (r.status() === 409 && r.url().endsWith("/close")); // "save & close" without an agent
    if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(base + "/");

  step("every open session in the grid");
  const grid_rows = () => page.locator("#grid tbody tr[data-id]");
  await until("grid rows", async () => (await grid_rows().count()) > 0);
  const summary = await until("summary", async () => {
    const text = await page.locator("#summary").textContent();
    return /sessions/.test(text) && text;
  });
  assert.match(summary, new RegExp(`${(await api("/api/v1/sessions")).length} sessions`));
  await until("live events", async () => (await page.locator("#live").getAttribute("data-state")) === "on");
  await page.screenshot({ path: join(artifacts, "sessions-1280.png") });

  step("a duration ticks");
  const first_duration = await page.locator("#grid tbody tr[data-id] span.tick").first().textContent();
  await until("a tick", async () =>
    (await page.locator("#grid tbody tr[data-id] span.tick").first().textContent()) !== first_duration, 5000);

  step("pick a group");
  await page.selectOption("#pick-group", "designers");
  const group_sessions = await api("/api/v1/sessions?group=designers");
  assert.ok(group_sessions.length > 0);
  await until("only the group's rows", async () => (await grid_rows().count()) === Math.min(100, group_sessions.length));
  const user_column = await page.locator("#grid thead th").allTextContents();
  const user_index = user_column.indexOf("User");
  const shown_users = await page.locator(`#grid tbody tr td:nth-child(${user_index + 1})`).allTextContents();
  assert.ok(shown_users.every((u) => members.includes(u)), `rows of others: ${shown_users}`);
  assert.match(page.url(), /group=designers/);

  step("aggregate by feature, then by feature and user");
  await page.selectOption("#pick-agg", "feature");
  const features = new Set(group_sessions.map((s) => `${s.server_id}/${s.vendor}/${s.feature}`));
  // The group's rows can number as many as its features, so the view counts as drawn only once
  // its columns are the sums' columns too (a slow, sanitized host answers after the first look).
  const heads_now = () => page.locator("#grid thead th").allTextContents();
  await until("one row per feature", async () => {
    const heads = await heads_now();
    return heads.includes("Sessions") && !heads.includes("User") &&
      (await page.locator("#grid tbody tr").count()) === features.size;
  });
  let heads = await heads_now();
  assert.ok(heads.includes("Licenses"), `${heads}`);
  const licenses = (await page.locator(`#grid tbody td:nth-child(${heads.indexOf("Licenses") + 1})`).allTextContents())
    .reduce((sum, n) => sum + Number(n), 0);
  assert.equal(licenses, group_sessions.reduce((sum, s) => sum + s.count, 0));
  await page.selectOption("#pick-agg", "feature-user");
  const pairs = new Set(group_sessions.map((s) => `${s.server_id}/${s.vendor}/${s.feature}/${s.user}`));
  await until("one row per feature and user", async () => {
    const heads = await heads_now();
    return heads.includes("Sessions") && heads.includes("User") &&
      (await page.locator("#grid tbody tr").count()) === pairs.size;
  });
  await page.screenshot({ path: join(artifacts, "group-feature-user-1280.png") });

  step("host IP hidden until toggled");
  await page.selectOption("#pick-agg", "");
  await page.selectOption("#pick-group", "");
  await until("sessions view", async () => (await grid_rows().count()) > 0);
  assert.ok(!(await page.locator("#grid thead th").allTextContents()).includes("Host IP"));
  await page.check("#show-ip");
  assert.ok((await page.locator("#grid thead th").allTextContents()).includes("Host IP"));
  assert.match(page.url(), /ip=1/);

  step("more rows than a page: the host pages, forward and back");
  const shown_ids = () => page.locator("#grid tbody tr[data-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
  const api_ids = async (query) => (await api(`/api/v1/sessions?${query}`)).map((s) => String(s.id));
  const total = (await api("/api/v1/sessions")).length;
  assert.ok(total > 100, `${total} sessions: too few for a second page`);
  await until("N of M and the page count", async () =>
    new RegExp(`^${total} of ${total} rows · ${total} sessions`).test(await page.locator("#summary").textContent()) &&
    (await page.locator("#page-info").textContent()) === `page 1 of ${Math.ceil(total / 100)}`);
  assert.equal(await grid_rows().count(), 100);
  const paged = page.waitForRequest((r) => r.url().includes("/api/v1/sessions?") && r.url().includes("offset=100"));
  await page.click("#next");
  assert.match((await paged).url(), /limit=100/);
  await until("the second page", async () =>
    JSON.stringify(await shown_ids()) === JSON.stringify(await api_ids("limit=100&offset=100")));
  assert.match(page.url(), /page=2/);
  assert.equal(await page.locator("#prev").isDisabled(), false);
  await page.click("#prev");
  await until("back on the first page", async () =>
    JSON.stringify(await shown_ids()) === JSON.stringify(await api_ids("limit=100")));
  assert.equal(await page.locator("#prev").isDisabled(), true);

  step("the filter box asks the host (q=)");
  const needle = (await api("/api/v1/sessions?limit=1"))[0].feature;
  const filtered = page.waitForRequest((r) => r.url().includes(`q=${encodeURIComponent(needle)}`));
  await page.fill("#filter", needle);
  await filtered;
  const matching = await api(`/api/v1/sessions?q=${encodeURIComponent(needle)}`);
  await until("the filtered rows", async () =>
    new RegExp(`^${matching.length} of ${total} rows`).test(await page.locator("#summary").textContent()));
  await page.fill("#filter", "");
  await until("unfiltered again", async () => new RegExp(`^${total} of ${total} rows`).test(await page.locator("#summary").textContent()));

  step("sort by a column through the host, both ways");
  const by_feature = page.waitForRequest((r) => r.url().includes("sort=feature"));
  await page.locator("#grid thead th[data-key=feature] button").click();
  await by_feature;
  await until("sorted by feature", async () =>
    JSON.stringify(await shown_ids()) === JSON.stringify(await api_ids("sort=feature&limit=100")));
  const backwards = page.waitForRequest((r) => r.url().includes("sort=-feature"));
  await page.locator("#grid thead th[data-key=feature] button").click();
  await backwards;
  await until("sorted by feature, descending", async () =>
    JSON.stringify(await shown_ids()) === JSON.stringify(await api_ids("sort=-feature&limit=100")));
  assert.equal(await page.locator("#grid thead th[data-key=feature]").getAttribute("aria-sort"), "descending");
  await page.click("#next");
  await until("the second page of that order", async () =>
    JSON.stringify(await shown_ids()) === JSON.stringify(await api_ids("sort=-feature&limit=100&offset=100")));
  await page.click("#prev");

  step("sort by user");
  await page.locator("#grid thead th[data-key=user] button").click();
  await until("sorted by user on the host", async () =>
    JSON.stringify(await shown_ids()) === JSON.stringify(await api_ids("sort=user&limit=100")));
  heads = await page.locator("#grid thead th").allTextContents();
  const sorted = await page.locator(`#grid tbody tr td:nth-child(${heads.indexOf("User") + 1})`).allTextContents();
  assert.deepEqual(sorted, [...sorted].sort());

  step("close a session with the X");
  const row = grid_rows().first();
  const id = await row.getAttribute("data-id");
  const target = (await api("/api/v1/sessions")).find((s) => String(s.id) === id);
  await row.locator("button.x").click();
  const confirmation = await page.locator("#close-text").textContent();
  assert.ok(confirmation.includes(target.user) && confirmation.includes(target.feature) &&
            confirmation.includes(target.server_id), `confirmation: ${confirmation}`);
  await page.click("#close-ok");
  // open_read: reading needs no token, closing does; the page asks for one.
  await page.locator("#token-dialog[open]").waitFor();
  await page.fill("#token-input", token);
  await page.click("#token-ok");
  await until("the row leaves the grid", async () => (await page.locator(`#grid tbody tr[data-id="${id}"]`).count()) === 0);
  assert.match(await page.locator("#who").textContent(), /page-operator/);

  step("save & close asks for the method; without an agent the 409 is told");
  const other = grid_rows().first();
  const other_id = await other.getAttribute("data-id");
  const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(`/api/v1/sessions/${other_id}/close`));
  await other.locator("button.x").click();
  await page.locator("#close-dialog[open]").waitFor();
  assert.equal(await page.locator("#close-save").textContent(), "Save & close");
  await page.click("#close-save");
  assert.deepEqual(JSON.parse((await sent).postData()), { method: "save_and_close" });
  await until("the no-agent message", async () => {
    const message = page.locator("#message");
    return (await message.getAttribute("data-kind")) === "error" &&
      /no workstation agent .* offers "save and close"/.test(await message.textContent());
  });
  assert.equal(await page.locator(`#grid tbody tr[data-id="${other_id}"]`).count(), 1, "the row stays");
  assert.equal(await page.locator(`#grid tbody tr.closing[data-id="${other_id}"]`).count(), 0);
  await page.screenshot({ path: join(artifacts, "save-and-close-no-agent.png") });

  step("the close in the audit view");
  await page.click("nav a[data-view=audit]");
  await until("the audit row", async () => {
    const rows = await page.locator("#audit tbody tr").allTextContents();
    return rows.some((r) => r.includes("page-operator") && r.includes(target.user) && r.includes(target.feature));
  });
  await page.screenshot({ path: join(artifacts, "audit-1280.png") });

  step("servers, denials and the plan draw");
  await page.click("nav a[data-view=servers]");
  await until("three servers", async () => (await page.locator("#servers tbody tr").count()) === 3);
  assert.match(await page.locator("#servers tbody").textContent(), /flex-a/);
  await page.click("nav a[data-view=denials]");
  await until("denials table", async () => (await page.locator("#denials tbody tr").count()) > 0);
  await page.click("nav a[data-view=plan]");
  await until("plan summary", async () => /planned/.test(await page.locator("#plan-summary").textContent()));

  step("the usage graph");
  await page.click("nav a[data-view=sessions]");
  const usage = await fetch(base + "/api/v1/usage");
  assert.equal(usage.status, 200);
  const pools = (await usage.json()).pools || [];
  assert.ok(pools.some((p) => p.points && p.points.length), "the host keeps usage history");
  await until("the graph's line", async () => (await page.locator("#graph polyline.used").count()) === 1);
  await page.locator("#graph").screenshot({ path: join(artifacts, "graph-real.png") });

  step("the graph draws an answer of the agreed /api/v1/usage shape");
  // A known answer checks the drawing itself: issued, the threshold line, the band.
  const drawn = await context.newPage();
  await drawn.route("**/api/v1/usage?*", (route) => {
    const to = Date.now(), from = to - 3600 * 1000;
    const points = [0, 1, 2, 3].map((i) => ({ time: new Date(from + i * 900 * 1000).toISOString(),
      used_min: 2 + i, used_max: 4 + i, used_mean: 3 + i, total: 10 }));
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({
      from: new Date(from).toISOString(), to: new Date(to).toISOString(), step_s: 900,
      pools: [{ server: "flex-a", vendor: "ALTAIR", feature: "HyperWorks", version: "21.0",
                threshold: 0.8, points }] }) });
  });
  await drawn.goto(base + "/");
  await until("the drawn graph", async () => (await drawn.locator("#graph polyline.used").count()) === 1);
  assert.equal(await drawn.locator("#graph polyline.total").count(), 1);
  assert.equal(await drawn.locator("#graph line.threshold").count(), 1);
  assert.equal((await drawn.locator("#graph polyline.used").getAttribute("points")).split(" ").length, 4);
  assert.match(await drawn.locator("#graph-note").textContent(), /of 10 issued; harvest threshold 80 %/);
  await drawn.locator("figure.graph").screenshot({ path: join(artifacts, "graph.png") });
  await drawn.close();

  step("a shared address shows the same view");
  const now_features = new Set((await api("/api/v1/sessions?group=designers"))
    .map((s) => `${s.server_id}/${s.vendor}/${s.feature}`));
  const shared = await context.newPage();
  await shared.goto(`${base}/#group=designers&agg=feature`);
  await until("the shared view", async () =>
    (await shared.locator("#pick-group").inputValue()) === "designers" &&
    (await shared.locator("#pick-agg").inputValue()) === "feature" &&
    (await shared.locator("#grid tbody tr").count()) === now_features.size);
  await shared.close();

  step("phone width");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, "sessions-390.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than a 390px screen (only the grid may scroll)`);

  assert.deepEqual(problems, [], `errors in the browser console (CSP violations show here): ${problems.join(" | ")}`);

  step("the host stops cleanly while the page listens");
  host.kill("SIGTERM");
  const end = await Promise.race([exited, sleep(10000).then(() => null)]);
  assert.ok(end, "the host did not stop within 10 s while an event stream was open");
  assert.equal(end.code, 0, `host exit ${JSON.stringify(end)}`);
  console.log("page_test: passed");
} catch (error) {
  failed = true;
  console.error(`page_test: FAILED: ${error.stack || error}`);
  if (page) await page.screenshot({ path: join(artifacts, "failure.png"), fullPage: true }).catch(() => {});
  console.error(`--- host log ---\n${host_log.slice(-4000)}`);
} finally {
  if (browser) await browser.close();
  if (host.exitCode === null) host.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
