// Settings and binary lookup, without the vscode module: unit-tested with node.

import * as fs from "node:fs";
import * as path from "node:path";

/** The part of `vscode.WorkspaceConfiguration` used here. */
export interface ConfigLike {
  get<T>(section: string): T | undefined;
}

/** Server settings in the keys of `copydesk.toml`, as `copydesk lsp` reads them
 * (`Config::from_settings`): `corpus`, `rules`, `severity`, `lsp`. Unset
 * values are left out so that a project's `copydesk.toml` decides; and
 * `allow-outside-paths`, a user-level permission. */
export function serverSettings(config: ConfigLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const corpus = config.get<string[]>("corpus.paths");
  if (corpus && corpus.length > 0) {
    out.corpus = { paths: corpus };
  }
  const rules = config.get<string[]>("rules.paths");
  if (rules && rules.length > 0) {
    out.rules = { paths: rules };
  }
  const severity = config.get<Record<string, string>>("severity");
  if (severity && Object.keys(severity).length > 0) {
    out.severity = { ...severity };
  }
  const lsp: Record<string, unknown> = {};
  const inlay = config.get<boolean>("lsp.inlay-hints");
  if (typeof inlay === "boolean") {
    lsp["inlay-hints"] = inlay;
  }
  const debounce = config.get<number>("lsp.debounce-ms");
  if (typeof debounce === "number") {
    lsp["debounce-ms"] = Math.max(0, Math.round(debounce));
  }
  const style = config.get<string>("lsp.citation-style");
  if (style === "pandoc" || style === "footnote") {
    lsp["citation-style"] = style;
  }
  if (Object.keys(lsp).length > 0) {
    out.lsp = lsp;
  }
  // "scope": "machine" in package.json: VS Code reads it from user settings
  // only, never from a workspace's. The server takes it from the
  // initialization options alone.
  if (config.get<boolean>("allowOutsidePaths") === true) {
    out["allow-outside-paths"] = true;
  }
  return out;
}

/** Where the server binary came from, in the order they are tried. */
export type BinarySource = "setting" | "bundled" | "PATH";

export type Binary =
  | { found: true; path: string; source: BinarySource; note?: string }
  | { found: false; message: string };

/** Words for the output channel and the status tooltip. */
export const SOURCE_LABEL: Record<BinarySource, string> = {
  setting: "from the copydesk.path setting",
  bundled: "bundled with the extension",
  PATH: "found on PATH",
};

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    // Windows has no executable bit: an existing file is enough.
    fs.accessSync(file, platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The server's file name on a platform. */
export function exeName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "copydesk.exe" : "copydesk";
}

export interface FindOptions {
  /** The `copydesk.path` setting (relative to the workspace folder, `~` expanded). */
  setting?: string;
  /** The first workspace folder. */
  folder?: string;
  env: NodeJS.ProcessEnv;
  /** The extension's install folder: a platform package holds `server/copydesk[.exe]`. */
  extensionDir?: string;
  platform?: NodeJS.Platform;
}

/** The `copydesk` binary: the `copydesk.path` setting if set (an explicit
 * choice: when it is wrong that is an error, not a reason to run another
 * binary), else the server bundled in a platform package, else the first
 * `copydesk` on `PATH`. */
export function findBinary(opts: FindOptions): Binary {
  const platform = opts.platform ?? process.platform;
  const exe = exeName(platform);
  const setting = (opts.setting ?? "").trim();
  if (setting) {
    let p = setting.startsWith("~/") ? path.join(opts.env.HOME ?? "", setting.slice(2)) : setting;
    if (!path.isAbsolute(p) && opts.folder) {
      p = path.join(opts.folder, p);
    }
    return isExecutable(p, platform)
      ? { found: true, path: p, source: "setting" }
      : { found: false, message: `copydesk: "copydesk.path" is ${setting}, which is not an executable file.` };
  }
  if (opts.extensionDir) {
    const bundled = path.join(opts.extensionDir, "server", exe);
    if (fs.existsSync(bundled)) {
      if (isExecutable(bundled, platform)) {
        return { found: true, path: bundled, source: "bundled" };
      }
      // An unpacker that dropped the executable bit: put it back.
      try {
        fs.chmodSync(bundled, 0o755);
        if (isExecutable(bundled, platform)) {
          return { found: true, path: bundled, source: "bundled", note: "made it executable (chmod 755)" };
        }
      } catch {
        // fall through to PATH
      }
    }
  }
  for (const dir of (opts.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, exe), platform)) {
      return { found: true, path: path.join(dir, exe), source: "PATH" };
    }
  }
  return {
    found: false,
    message: opts.extensionDir && fs.existsSync(path.join(opts.extensionDir, "server"))
      ? `copydesk: the bundled server ${path.join(opts.extensionDir, "server", exe)} cannot run, and copydesk is not on PATH.`
      : "copydesk: this extension has no bundled server for this platform, and copydesk is not on PATH.",
  };
}
