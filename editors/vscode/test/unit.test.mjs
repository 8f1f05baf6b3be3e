// Unit tests of the extension's vscode-free modules (node --test), and a
// check that the settings it sends are accepted by the real `copydesk lsp`.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.resolve(here, "..");
const top = path.resolve(ext, "../..");
const bin = path.resolve(process.env.COPYDESK_BIN ?? path.join(top, "target/debug/copydesk"));
const require = createRequire(import.meta.url);

function load(entry) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-unit-")), "m.cjs");
  esbuild.buildSync({ entryPoints: [path.join(ext, entry)], bundle: true, platform: "node", format: "cjs", outfile: out, logLevel: "error" });
  return require(out);
}
const { serverSettings, findBinary } = load("src/settings.ts");
const { renderConflicts } = load("src/conflicts.ts");
const pkg = JSON.parse(fs.readFileSync(path.join(ext, "package.json"), "utf8"));
const props = pkg.contributes.configuration.properties;

/** A WorkspaceConfiguration stand-in over flat keys ("lsp.debounce-ms"). */
function config(flat) {
  return {
    get(key) {
      if (key in flat) {
        return flat[key];
      }
      const prefix = `${key}.`;
      const nested = Object.entries(flat).filter(([k]) => k.startsWith(prefix));
      return nested.length ? Object.fromEntries(nested.map(([k, v]) => [k.slice(prefix.length), v])) : undefined;
    },
  };
}

const CODES = [
  "figure-mismatch", "unit-mismatch", "qualifier-mismatch", "sources-disagree", "unsourced-figure", "supported",
  "quote-mismatch", "quote-unsourced", "quote-misattributed", "name-mismatch",
  "figure-outdated", "draft-disagree", "arithmetic-mismatch",
];
const ALL = {
  "corpus.paths": ["sources"],
  "rules.paths": ["rules"],
  severity: Object.fromEntries(CODES.map((c) => [c, "warning"])),
  "lsp.inlay-hints": true,
  "lsp.debounce-ms": 200,
  "lsp.citation-style": "footnote",
};

test("every server setting is in the schema and reaches the server settings", () => {
  const keys = Object.keys(props).map((k) => k.slice("copydesk.".length));
  assert.deepEqual(
    keys.filter((k) => k !== "path" && k !== "trace.server" && k !== "allowOutsidePaths").sort(),
    Object.keys(ALL).sort(),
  );
  const s = serverSettings(config(ALL));
  assert.deepEqual(s, {
    corpus: { paths: ["sources"] },
    rules: { paths: ["rules"] },
    severity: ALL.severity,
    lsp: { "inlay-hints": true, "debounce-ms": 200, "citation-style": "footnote" },
  });
  assert.deepEqual(serverSettings(config({})), {});
});

test("reading outside the workspace is a user-level setting, sent only when on", () => {
  assert.equal(props["copydesk.allowOutsidePaths"].scope, "machine");
  assert.equal(props["copydesk.allowOutsidePaths"].default, false);
  assert.deepEqual(serverSettings(config({ allowOutsidePaths: true })), { "allow-outside-paths": true });
  assert.deepEqual(serverSettings(config({ allowOutsidePaths: false })), {});
});

test("severity settings name every finding code of the README", () => {
  const readme = fs.readFileSync(path.join(top, "README.md"), "utf8");
  const documented = [...readme.matchAll(/^\| `([a-z-]+)` \| (error|warning|info|hint) \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), [...CODES].sort());
  assert.deepEqual(Object.keys(props["copydesk.severity"].properties).sort(), [...CODES].sort());
  for (const code of CODES) {
    assert.deepEqual(props["copydesk.severity"].properties[code].enum, ["error", "warning", "info", "hint"]);
  }
});

/** A fake executable (or plain file) at `file`. */
function touch(file, mode = 0o755) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n", { mode });
  fs.chmodSync(file, mode);
  return file;
}

test("the binary: copydesk.path, else the bundled server, else PATH, else a clear message", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-bin-"));
  const onPath = touch(path.join(root, "bin/copydesk"));
  const configured = touch(path.join(root, "custom/copydesk"));
  const ext = path.join(root, "extension");
  const bundled = touch(path.join(ext, "server/copydesk"));
  const PATH = `/nonexistent:${path.dirname(onPath)}`;
  const linux = { env: { PATH }, platform: "linux" };

  // All three present: the setting wins, then the bundled server, then PATH.
  assert.deepEqual(findBinary({ ...linux, setting: configured, extensionDir: ext }), { found: true, path: configured, source: "setting" });
  assert.deepEqual(findBinary({ ...linux, extensionDir: ext }), { found: true, path: bundled, source: "bundled" });
  assert.deepEqual(findBinary({ ...linux, setting: "  ", extensionDir: ext }).source, "bundled", "a blank setting is unset");
  assert.deepEqual(findBinary(linux), { found: true, path: onPath, source: "PATH" });
  // A universal package (no server/ folder) goes to PATH.
  assert.deepEqual(findBinary({ ...linux, extensionDir: path.join(root, "custom") }).source, "PATH");

  // A setting relative to the workspace folder, and ~/.
  assert.deepEqual(findBinary({ ...linux, setting: "custom/copydesk", folder: root }).path, configured);
  assert.deepEqual(findBinary({ env: { PATH: "", HOME: root }, setting: "~/custom/copydesk", platform: "linux" }).path, configured);
  // A wrong setting is an error, even with a bundled server and one on PATH.
  const wrong = findBinary({ ...linux, setting: "bin/nothing", folder: root, extensionDir: ext });
  assert.equal(wrong.found, false);
  assert.match(wrong.message, /"copydesk.path" is bin\/nothing, which is not an executable file/);

  // A bundled server that lost its executable bit in unpacking gets it back.
  fs.chmodSync(bundled, 0o644);
  const fixed = findBinary({ ...linux, extensionDir: ext });
  assert.equal(fixed.source, "bundled");
  assert.match(fixed.note, /chmod/);
  assert.equal(fs.statSync(bundled).mode & 0o111, 0o111);

  // Nothing anywhere.
  const missing = findBinary({ env: { PATH: "/nonexistent" }, platform: "linux", extensionDir: path.join(root, "custom") });
  assert.equal(missing.found, false);
  assert.match(missing.message, /no bundled server for this platform, and copydesk is not on PATH/);
});

test("on Windows the bundled server is server/copydesk.exe", () => {
  const ext = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-win-"));
  touch(path.join(ext, "server/copydesk"));
  assert.equal(findBinary({ env: { PATH: "" }, platform: "win32", extensionDir: ext }).found, false, "copydesk without .exe is not it");
  const exe = touch(path.join(ext, "server/copydesk.exe"), 0o644);
  assert.deepEqual(findBinary({ env: { PATH: "" }, platform: "win32", extensionDir: ext }), { found: true, path: exe, source: "bundled" });
});

test("the extension's LICENSE.md carries both licences of the crate", () => {
  const license = fs.readFileSync(path.join(ext, "LICENSE.md"), "utf8");
  for (const name of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(license.includes(fs.readFileSync(path.join(top, name), "utf8").trim()), `${name} is in LICENSE.md`);
  }
  assert.equal(pkg.license, "MIT OR Apache-2.0");
});

test("conflicts render as Markdown with each version and source", () => {
  const md = renderConflicts(
    {
      conflicts: [
        {
          versions: [
            { text: "27 cities", sources: [{ key: "scmp", title: "SCMP", uri: "file:///s/scmp.txt", range: { start: { line: 4, character: 0 } }, text: "In 27 cities.", figure: "27 cities" }] },
            { text: "27 provinces", sources: [{ key: "mps", title: null, uri: null, range: null, text: "From 27\nprovinces.", figure: "27 provinces" }] },
          ],
        },
      ],
    },
    "draft.md",
  );
  assert.match(md, /^# Source conflicts \(draft\.md\)/);
  assert.match(md, /1 fact on which the sources disagree/);
  assert.match(md, /## 1\. 27 cities \/ 27 provinces/);
  assert.match(md, /- `scmp` \(SCMP\) — file:\/\/\/s\/scmp\.txt#L5/);
  assert.match(md, /> From 27 provinces\./);
});

// The real server: what the extension sends must not be rejected.
test("copydesk lsp accepts the extension's settings", async () => {
  assert.ok(fs.existsSync(bin), `copydesk binary missing: ${bin}`);
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require("vscode-jsonrpc/node");
  const proc = spawn(bin, ["lsp"], { stdio: ["pipe", "pipe", "ignore"] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const errors = [];
  conn.onNotification("window/showMessage", (m) => {
    if (m.type === 1) {
      errors.push(m.message);
    }
  });
  conn.onRequest(() => null);
  conn.listen();
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-ws-"));
  const settings = serverSettings(config(ALL));
  await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: `file://${ws}`,
    capabilities: { window: { showMessage: {} } },
    initializationOptions: settings,
  });
  await conn.sendNotification("initialized", {});
  await conn.sendNotification("workspace/didChangeConfiguration", { settings: { copydesk: settings } });
  // A request after the notifications: they have been handled when it returns.
  await conn.sendRequest("copydesk/status", {});
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(errors, []);
  // The control: a misspelt key is rejected, so the check above can fail.
  await conn.sendNotification("workspace/didChangeConfiguration", { settings: { copydesk: { lsp: { "inlay-hint": true } } } });
  await conn.sendRequest("copydesk/status", {});
  const end = Date.now() + 3000;
  while (errors.length === 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(errors.length, 1, "a wrong key is reported");
  await conn.sendRequest("shutdown");
  await conn.sendNotification("exit");
  conn.dispose();
  proc.kill();
});
