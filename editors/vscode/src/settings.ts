// Settings and binary lookup, without the vscode module: unit-tested with node.

import * as fs from "node:fs";
import * as path from "node:path";

/** The part of `vscode.WorkspaceConfiguration` used here. */
export interface ConfigLike {
  get<T>(section: string): T | undefined;
}

/** Server settings in the keys of `copydesk.toml`, as `copydesk lsp` reads them
 * (`Config::from_settings`): `corpus`, `rules`, `severity`, `lsp`. Unset
 * values are left out so that a project's `copydesk.toml` decides. */
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
  return out;
}

export type Binary = { found: true; path: string } | { found: false; message: string };

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The `copydesk` binary: the `copydesk.path` setting (relative to the
 * workspace folder, `~` expanded), else the first `copydesk` on `PATH`. */
export function findBinary(
  configured: string | undefined,
  folder: string | undefined,
  env: NodeJS.ProcessEnv,
): Binary {
  const exe = process.platform === "win32" ? "copydesk.exe" : "copydesk";
  const setting = (configured ?? "").trim();
  if (setting) {
    let p = setting.startsWith("~/") ? path.join(env.HOME ?? "", setting.slice(2)) : setting;
    if (!path.isAbsolute(p) && folder) {
      p = path.join(folder, p);
    }
    return isExecutable(p)
      ? { found: true, path: p }
      : { found: false, message: `copydesk: "copydesk.path" is ${setting}, which is not an executable file.` };
  }
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, exe))) {
      return { found: true, path: path.join(dir, exe) };
    }
  }
  return { found: false, message: "copydesk: the copydesk binary is not on PATH." };
}
