// copydesk for VS Code: starts `copydesk lsp` for Markdown files and adds the
// commands and status bar item around it.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  RequestType,
  type ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";

import { type ConflictsResult, renderConflicts } from "./conflicts";
import { type Binary, findBinary, SOURCE_LABEL, serverSettings } from "./settings";

/** How to install the server when the extension has none for this platform. */
export const INSTALL_HINT = "cargo install --locked copydesk";

interface StatusResult {
  sources: number;
  projects: { config: string | null; sources: number; facts: number; warnings: string[] }[];
}

interface DocumentParams {
  textDocument?: { uri: string };
}

const conflictsRequest = new RequestType<DocumentParams, ConflictsResult, void>("copydesk/conflicts");
const statusRequest = new RequestType<DocumentParams, StatusResult, void>("copydesk/status");

const CONFLICTS_SCHEME = "copydesk-conflicts";

/** What `activate` returns: for other extensions and for the end-to-end test. */
export interface CopydeskApi {
  client(): LanguageClient | undefined;
  /** copydesk's diagnostics for a document (or all). */
  diagnostics(uri?: vscode.Uri): [vscode.Uri, vscode.Diagnostic[]][];
  status(): Promise<StatusResult | undefined>;
}

let client: LanguageClient | undefined;
let statusItem: vscode.StatusBarItem;
let output: vscode.LogOutputChannel;
/** The server in use, for the status tooltip: "copydesk 0.1.0 at … (bundled with the extension)". */
let serverLine = "";
const conflictsDocs = new Map<string, string>();
const conflictsChanged = new vscode.EventEmitter<vscode.Uri>();

function documentSelector() {
  return [
    { scheme: "file", language: "markdown" },
    { scheme: "untitled", language: "markdown" },
  ];
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const configured = vscode.workspace.getConfiguration("copydesk").get<string>("path", "");
  const binary = findBinary({ setting: configured, folder, env: process.env, extensionDir: context.extensionPath });
  logBinary(binary);
  if (!binary.found) {
    serverLine = "";
    statusItem.text = "$(error) copydesk: not installed";
    statusItem.tooltip = binary.message;
    statusItem.show();
    const choice = await vscode.window.showErrorMessage(
      `${binary.message} Install the extension for your platform, or install the server with \`${INSTALL_HINT}\` (it lands in ~/.cargo/bin), or set "copydesk.path" to the binary.`,
      "Open Settings",
      "Copy Install Command",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "copydesk.path");
    } else if (choice === "Copy Install Command") {
      await vscode.env.clipboard.writeText(INSTALL_HINT);
    }
    return;
  }
  const serverOptions: ServerOptions = {
    command: binary.path,
    args: ["lsp"],
    transport: TransportKind.stdio,
    options: { cwd: folder },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: output,
    initializationOptions: serverSettings(vscode.workspace.getConfiguration("copydesk")),
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/copydesk.toml"),
        vscode.workspace.createFileSystemWatcher("**/*.{md,txt,toml}"),
      ],
    },
  };
  client = new LanguageClient("copydesk", "copydesk", serverOptions, clientOptions);
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) {
        statusItem.text = "$(circle-slash) copydesk: stopped";
        statusItem.tooltip = "copydesk: the language server stopped. Run “copydesk: Restart server”.";
      }
    }),
  );
  serverLine = `server: ${binary.path} (${SOURCE_LABEL[binary.source]})`;
  statusItem.text = "$(sync~spin) copydesk";
  statusItem.tooltip = `copydesk: starting ${binary.path} (${SOURCE_LABEL[binary.source]})`;
  statusItem.show();
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`copydesk: cannot start ${binary.path} lsp: ${String(e)}`);
    return;
  }
  const info = client.initializeResult?.serverInfo;
  if (info) {
    serverLine = `server: ${info.name} ${info.version ?? ""} at ${binary.path} (${SOURCE_LABEL[binary.source]})`;
    output.info(`copydesk: ${info.name} ${info.version ?? ""} is running`);
  }
  await updateStatus();
}

/** Says in the output channel which server runs, and why that one. */
function logBinary(binary: Binary): void {
  if (binary.found) {
    output.info(`copydesk: using ${binary.path} (${SOURCE_LABEL[binary.source]})${binary.note ? `; ${binary.note}` : ""}`);
  } else {
    output.error(binary.message);
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop(5000);
    } catch (e) {
      output.appendLine(`copydesk: stopping the server failed: ${String(e)}`);
    }
  }
}

function activeMarkdownUri(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === "markdown" && doc.uri.scheme !== CONFLICTS_SCHEME
    ? doc.uri.toString()
    : undefined;
}

async function requestStatus(): Promise<StatusResult | undefined> {
  if (!client || client.state !== State.Running) {
    return undefined;
  }
  const uri = activeMarkdownUri();
  return client.sendRequest(statusRequest, uri ? { textDocument: { uri } } : {});
}

async function updateStatus(): Promise<void> {
  let status: StatusResult | undefined;
  try {
    status = await requestStatus();
  } catch (e) {
    output.appendLine(`copydesk/status failed: ${String(e)}`);
    return;
  }
  if (!status) {
    return;
  }
  const n = status.sources;
  statusItem.text = `$(book) copydesk: ${n} ${n === 1 ? "source" : "sources"}`;
  const lines = status.projects.map(
    (p) => `${p.config ?? "editor settings"}: ${p.sources} sources, ${p.facts} facts` +
      (p.warnings.length ? ` (${p.warnings.length} warnings)` : ""),
  );
  statusItem.tooltip = [`copydesk: ${n} sources indexed`, ...lines, serverLine, "Click to show source conflicts"]
    .filter((l) => l)
    .join("\n");
  statusItem.command = "copydesk.showConflicts";
  statusItem.show();
}

async function showConflicts(): Promise<void> {
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage("copydesk: the language server is not running.");
    return;
  }
  const uri = activeMarkdownUri();
  const result = await client.sendRequest(conflictsRequest, uri ? { textDocument: { uri } } : {});
  const name = uri ? path.basename(vscode.Uri.parse(uri).fsPath) : "workspace";
  const doc = vscode.Uri.from({ scheme: CONFLICTS_SCHEME, path: `/conflicts (${name}).md` });
  conflictsDocs.set(doc.toString(), renderConflicts(result, name));
  conflictsChanged.fire(doc);
  const opened = await vscode.workspace.openTextDocument(doc);
  await vscode.window.showTextDocument(opened, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

/** With COPYDESK_VSCODE_REPORT set, the extension writes copydesk's
 * diagnostics there as JSON whenever they change: the end-to-end test reads
 * them (the extension host runs in another process than the browser). */
function reportForTests(context: vscode.ExtensionContext): void {
  const file = process.env.COPYDESK_VSCODE_REPORT;
  if (!file) {
    return;
  }
  const write = () => {
    const diagnostics = collect().map(([uri, ds]) => ({
      uri: uri.toString(),
      diagnostics: ds.map((d) => ({
        code: typeof d.code === "object" ? String(d.code.value) : d.code,
        severity: d.severity,
        message: d.message,
        source: d.source,
        range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      })),
    }));
    const tooltip = typeof statusItem.tooltip === "string" ? statusItem.tooltip : statusItem.tooltip?.value;
    fs.writeFileSync(file, JSON.stringify({ status: statusItem.text, tooltip, diagnostics }, null, 1));
  };
  context.subscriptions.push(vscode.languages.onDidChangeDiagnostics(write));
  write();
}

function collect(uri?: vscode.Uri): [vscode.Uri, vscode.Diagnostic[]][] {
  const all: [vscode.Uri, vscode.Diagnostic[]][] = uri
    ? [[uri, vscode.languages.getDiagnostics(uri)]]
    : vscode.languages.getDiagnostics();
  return all
    .map(([u, ds]): [vscode.Uri, vscode.Diagnostic[]] => [u, ds.filter((d) => d.source === "copydesk")])
    .filter(([, ds]) => ds.length > 0);
}

export async function activate(context: vscode.ExtensionContext): Promise<CopydeskApi> {
  output = vscode.window.createOutputChannel("copydesk", { log: true });
  statusItem = vscode.window.createStatusBarItem("copydesk.status", vscode.StatusBarAlignment.Right, 100);
  statusItem.name = "copydesk";
  context.subscriptions.push(output, statusItem, conflictsChanged);

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(CONFLICTS_SCHEME, {
      onDidChange: conflictsChanged.event,
      provideTextDocumentContent: (uri) => conflictsDocs.get(uri.toString()) ?? "",
    }),
    vscode.commands.registerCommand("copydesk.restartServer", async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.commands.registerCommand("copydesk.showConflicts", showConflicts),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("copydesk")) {
        return;
      }
      if (e.affectsConfiguration("copydesk.path")) {
        await stopClient();
        await startClient(context);
      } else if (client?.state === State.Running) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { copydesk: serverSettings(vscode.workspace.getConfiguration("copydesk")) },
        });
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void updateStatus()),
  );
  // Sources load in the background: refresh the count when results arrive.
  let pending: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics(() => {
      clearTimeout(pending);
      pending = setTimeout(() => void updateStatus(), 300);
    }),
    { dispose: () => clearTimeout(pending) },
  );

  await startClient(context);
  reportForTests(context);
  return {
    client: () => client,
    diagnostics: collect,
    status: requestStatus,
  };
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
