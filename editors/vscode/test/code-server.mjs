// End-to-end test in a real VS Code: code-server 4.100.3 (VS Code 1.100.3)
// with the linux-x64 platform package installed (dist/copydesk-linux-x64.vsix
// from package.sh, the server inside), driven by headless Chromium through
// puppeteer-core. As for a reporter who never met cargo: no copydesk on the
// PATH code-server runs with and no copydesk.path setting, so the diagnostics
// can only come from the bundled server; the test checks the extension says
// so (status tooltip, output channel). Opens a copy of examples/, opens draft.md, and waits for
// copydesk's diagnostics, read twice: through the extension (it writes
// `vscode.languages.getDiagnostics()` to COPYDESK_VSCODE_REPORT) and from the
// Problems panel. They are compared with `copydesk check --format json` on the
// same draft. Fails when no copydesk diagnostic arrives. Screenshots go to the
// output folder (printed).
//
// Environment: COPYDESK_BIN (default target/debug/copydesk; only for the
// expected findings, `copydesk check`), COPYDESK_VSIX (default
// dist/copydesk-linux-x64.vsix),
// CODE_SERVER_DIR (default .cache/code-server), COPYDESK_TEST_OUT (default
// target/editors-test/vscode), CHROMIUM (default /usr/bin/chromium).

import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.resolve(here, "..");
const top = path.resolve(ext, "../..");
const bin = path.resolve(process.env.COPYDESK_BIN ?? path.join(top, "target/debug/copydesk"));
const csDir = path.resolve(process.env.CODE_SERVER_DIR ?? path.join(top, ".cache/code-server"));
const entry = path.join(csDir, "node_modules/code-server/out/node/entry.js");
const vsix = path.resolve(process.env.COPYDESK_VSIX ?? path.join(ext, "dist/copydesk-linux-x64.vsix"));
const out = path.resolve(process.env.COPYDESK_TEST_OUT ?? path.join(top, "target/editors-test/vscode"));
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const started = Date.now();

function log(msg) {
  console.log(`[vscode ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
}

for (const [what, p] of [["copydesk binary", bin], ["code-server", entry], ["packaged extension", vsix], ["chromium", chromium]]) {
  if (!fs.existsSync(p)) {
    console.error(`FAIL: ${what} missing: ${p}`);
    process.exit(1);
  }
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-vscode-"));
const userData = path.join(tmp, "user-data");
const extensions = path.join(tmp, "extensions");
const ws = path.join(tmp, "examples");
const report = path.join(out, "extension-report.json");
fs.cpSync(path.join(top, "examples"), ws, {
  recursive: true,
  filter: (src) => !src.endsWith(".rs"),
});
fs.mkdirSync(path.join(userData, "User"), { recursive: true });
fs.writeFileSync(
  path.join(userData, "User/settings.json"),
  JSON.stringify(
    {
      "security.workspace.trust.enabled": false,
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoUpdate": false,
      "extensions.autoCheckUpdates": false,
      "update.mode": "none",
      "chat.disableAIFeatures": true,
    },
    null,
    2,
  ),
);

// Expected findings: the CLI on the same draft.
const draftPath = path.join(ws, "draft.md");
let cli;
try {
  cli = JSON.parse(execFileSync(bin, ["check", "--format", "json", draftPath], { encoding: "utf8" }));
} catch (e) {
  // Exit code 1 means error findings: the JSON is still on stdout.
  cli = JSON.parse(e.stdout);
}
const draftLines = fs.readFileSync(draftPath, "utf8").split("\n");
/** VS Code speaks UTF-16: convert the CLI's 1-based scalar columns. */
const utf16 = (line, column) => [...draftLines[line - 1]].slice(0, column - 1).join("").length;
const expected = cli.files[0].diagnostics
  .filter((d) => !d.suppressed)
  .map((d) => ({ code: d.code, line: d.range.start.line - 1, character: utf16(d.range.start.line, d.range.start.column), text: d.text }));
if (expected.length === 0 || !expected.some((d) => d.code === "figure-mismatch")) {
  console.error("FAIL: copydesk check found no figure-mismatch in the example draft; the test has nothing to look for");
  process.exit(1);
}
log(`expecting ${expected.length} diagnostics from copydesk check`);

/** PATH without any folder that holds a copydesk. */
const PATH = (process.env.PATH ?? "")
  .split(path.delimiter)
  .filter((dir) => dir && !fs.existsSync(path.join(dir, "copydesk")))
  .join(path.delimiter);
const env = {
  ...process.env,
  PATH,
  XDG_CONFIG_HOME: path.join(tmp, "config"),
  XDG_DATA_HOME: path.join(tmp, "data"),
  COPYDESK_VSCODE_REPORT: report,
};
log("installing the .vsix");
const installed = execFileSync(
  process.execPath,
  [entry, "--install-extension", vsix, "--extensions-dir", extensions, "--user-data-dir", userData],
  { env, encoding: "utf8" },
);
const listed = execFileSync(process.execPath, [entry, "--list-extensions", "--show-versions", "--extensions-dir", extensions, "--user-data-dir", userData], { env, encoding: "utf8" });
if (!listed.includes("copydesk.copydesk@")) {
  console.error(`FAIL: the extension is not installed:\n${installed}\n${listed}`);
  process.exit(1);
}
log(`installed ${listed.trim()}`);
// The platform package's server, unpacked with its executable bit.
const installedDir = fs.readdirSync(extensions).find((d) => d.startsWith("copydesk.copydesk-"));
const bundled = path.join(extensions, installedDir ?? "?", "server/copydesk");
if (!listed.includes("copydesk.copydesk@") || !fs.existsSync(bundled) || (fs.statSync(bundled).mode & 0o111) === 0) {
  console.error(`FAIL: no executable bundled server in the installed extension: ${bundled}`);
  process.exit(1);
}
try {
  execFileSync("sh", ["-c", "command -v copydesk"], { env: { PATH } });
  console.error("FAIL: copydesk is still on the PATH given to code-server");
  process.exit(1);
} catch {
  log(`no copydesk on PATH; bundled server ${bundled}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) {
        return last;
      }
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`);
}

const port = await freePort();
const serverLog = fs.openSync(path.join(out, "code-server.log"), "w");
const server = spawn(
  process.execPath,
  [
    entry,
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--extensions-dir", extensions,
    "--user-data-dir", userData,
    ws,
  ],
  { env, stdio: ["ignore", serverLog, serverLog], detached: true },
);
let browser;
let page;
let failed = false;

async function cleanup() {
  try {
    await browser?.close();
  } catch {
    // already gone
  }
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

async function screenshot(name) {
  if (!page) {
    return;
  }
  const file = path.join(out, name);
  await page.screenshot({ path: file });
  log(`screenshot: ${file}`);
}

try {
  await waitFor("code-server to listen", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000);
  log(`code-server on port ${port}`);
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
    defaultViewport: { width: 1400, height: 900 },
    // Keep Chromium's own folders in the temp folder, not in ~/.config.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, "chromium-config"), XDG_CACHE_HOME: path.join(tmp, "chromium-cache") },
  });
  page = await browser.newPage();
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error") {
      consoleErrors.push(m.text());
    }
  });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".monaco-workbench .part.statusbar", { timeout: 90_000 });
  await waitFor("the explorer to list draft.md", () => page.evaluate(() => document.body.innerText.includes("draft.md")), 60_000);
  log("workbench loaded");

  // Open the draft through Quick Open, as a user would.
  await waitFor(
    "draft.md to open in an editor",
    async () => {
      await page.click(".monaco-workbench .part.editor");
      await page.keyboard.down("Control");
      await page.keyboard.press("KeyP");
      await page.keyboard.up("Control");
      await page.waitForSelector(".quick-input-widget input", { visible: true, timeout: 5000 });
      await page.keyboard.type("draft.md");
      await sleep(1000);
      await page.keyboard.press("Enter");
      await sleep(1500);
      return page.evaluate(() =>
        [...document.querySelectorAll(".tabs-container .tab")].some((t) => t.textContent?.includes("draft.md")),
      );
    },
    60_000,
  );
  log("draft.md open");

  // Diagnostics through the extension's view of vscode.languages.getDiagnostics().
  const got = await waitFor(
    "copydesk diagnostics for draft.md (through the extension)",
    () => {
      if (!fs.existsSync(report)) {
        return false;
      }
      const r = JSON.parse(fs.readFileSync(report, "utf8"));
      const entry = r.diagnostics.find((d) => d.uri.endsWith("/draft.md"));
      return entry && entry.diagnostics.length >= expected.length ? { status: r.status, tooltip: r.tooltip, diagnostics: entry.diagnostics } : false;
    },
    90_000,
  );
  log(`extension sees ${got.diagnostics.length} copydesk diagnostics`);
  const problems = [];
  for (const want of expected) {
    const hit = got.diagnostics.find((d) => d.code === want.code && d.range[0] === want.line && d.range[1] === want.character);
    if (!hit) {
      problems.push(`missing ${want.code} at line ${want.line + 1}, UTF-16 column ${want.character + 1} ("${want.text}")`);
    } else if (hit.source !== "copydesk") {
      problems.push(`${want.code}: source is ${hit.source}`);
    }
  }
  if (got.diagnostics.length !== expected.length) {
    problems.push(`got ${got.diagnostics.length} diagnostics, copydesk check reports ${expected.length}`);
  }

  // The extension says which server runs: the bundled one.
  if (!got.tooltip?.includes(`${bundled} (bundled with the extension)`)) {
    problems.push(`the status tooltip does not name the bundled server: ${JSON.stringify(got.tooltip)}`);
  }
  // The output channel's log file is written by code-server on its own
  // schedule (later under load): read the logs until the line is there.
  const said = `using ${bundled} (bundled with the extension)`;
  const channelLogs = () => {
    const logs = [];
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          walk(p);
        } else if (e.name.endsWith(".log")) {
          logs.push(p);
        }
      }
    };
    walk(path.join(userData, "logs"));
    return logs;
  };
  try {
    await waitFor(
      "an output channel log to name the bundled server",
      () => channelLogs().some((f) => fs.readFileSync(f, "utf8").includes(said)),
      30_000,
    );
  } catch {
    problems.push(`no output channel log says "${said}" (${channelLogs().length} logs)`);
  }

  // The Problems panel, as the user sees it.
  await page.keyboard.down("Control");
  await page.keyboard.down("Shift");
  await page.keyboard.press("KeyM");
  await page.keyboard.up("Shift");
  await page.keyboard.up("Control");
  const panel = await waitFor(
    "the Problems panel to list copydesk's findings",
    () =>
      page.evaluate(() => {
        const p = document.querySelector(".markers-panel");
        const text = p instanceof HTMLElement ? p.innerText : "";
        return text.includes("qualifier-mismatch") || text.includes("figure-mismatch") ? text : false;
      }),
    30_000,
  );
  const wantMessage = cli.files[0].diagnostics.find((d) => d.code === "figure-mismatch").message;
  if (!panel.includes(wantMessage)) {
    problems.push(`the Problems panel does not show "${wantMessage}"`);
  }
  fs.writeFileSync(path.join(out, "problems-panel.txt"), panel);

  // The status bar item: sources indexed.
  const sources = cli.corpus.sources;
  const status = await waitFor(
    `the status bar to show ${sources} sources`,
    () =>
      page.evaluate((n) => {
        const t = document.querySelector(".part.statusbar")?.textContent ?? "";
        return t.includes(`copydesk: ${n} sources`) ? t : false;
      }, sources),
    30_000,
  ).catch((e) => {
    problems.push(e.message);
    return "";
  });
  if (status) {
    log(`status bar: copydesk: ${sources} sources`);
  }
  await screenshot("draft-with-diagnostics.png");

  // "copydesk: Show source conflicts" from the command palette.
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { visible: true, timeout: 10_000 });
  await page.keyboard.type("copydesk: Show source conflicts");
  await sleep(1000);
  await page.keyboard.press("Enter");
  const conflicts = await waitFor(
    "the conflicts document",
    () =>
      page.evaluate(() => {
        const tab = [...document.querySelectorAll(".tabs-container .tab")].some((t) => t.textContent?.includes("conflicts"));
        const text = [...document.querySelectorAll(".editor-instance .view-lines")].map((e) => (e.textContent ?? "").replace(/\u00a0/g, " ")).join("\n");
        return tab && text.includes("Source conflicts") ? text : false;
      }),
    30_000,
  ).catch((e) => {
    problems.push(e.message);
    return "";
  });
  if (conflicts && !/27 (cities|provinces)/.test(conflicts)) {
    problems.push("the conflicts document does not list 27 cities / 27 provinces");
  }
  await screenshot("source-conflicts.png");

  if (problems.length > 0) {
    throw new Error(problems.join("\n  "));
  }
  log(`PASS: ${expected.length} diagnostics (${[...new Set(expected.map((e) => e.code))].join(", ")}), Problems panel, status bar, conflicts`);
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
  try {
    await screenshot("failure.png");
  } catch {
    // the page may be gone
  }
  console.error(`code-server log: ${path.join(out, "code-server.log")}`);
} finally {
  await cleanup();
}
log(`output in ${out}`);
process.exit(failed ? 1 : 0);
