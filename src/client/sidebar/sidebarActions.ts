// What the sidebar's buttons and links do in the editor: open a source in the browser (https only), open a workspace
// file at a line, and route the webviews' requests to the same commands the tree and the Explorer use.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RefreshRequest } from '../../shared/lspProtocol';
import { isOpenableUrl, type WebviewMessage } from '../../shared/webviewProtocol';

/** Command ids the sidebar registers. */
export const SidebarCommands = {
  createMap: 'customerLens.createMap',
  addToFeature: 'customerLens.addToFeature',
  revealInMap: 'customerLens.revealInMap',
} as const;

/** The map file names Customer Lens reads, as a glob. */
export const MAP_FILE_GLOB = '**/.customer-lens.{yml,yaml,json}';

/** Opens an https URL in the browser; anything else is refused and logged. */
export async function openExternalHttps(url: string, log: vscode.LogOutputChannel): Promise<boolean> {
  if (!isOpenableUrl(url)) {
    log.warn(`sidebar: refused to open a link that is not https url=${JSON.stringify(url.slice(0, 200))}`);
    return false;
  }
  return vscode.env.openExternal(vscode.Uri.parse(url, true));
}

/** Opens a file in the editor, selecting `at` (a 1-based line or a range) and centring it. */
export async function openFileAt(uri: vscode.Uri, at?: number | vscode.Range): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  const range =
    at === undefined
      ? undefined
      : typeof at === 'number'
        ? document.lineAt(Math.min(Math.max(at - 1, 0), document.lineCount - 1)).range
        : at;
  const editor = await vscode.window.showTextDocument(document, { preview: false, ...(range ? { selection: new vscode.Selection(range.start, range.end) } : {}) });
  if (range) editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/** True when some workspace folder has a map file (used to tell "no map" from "a map with no features"). */
export async function workspaceHasMap(): Promise<boolean> {
  const found = await vscode.workspace.findFiles(MAP_FILE_GLOB, '**/node_modules/**', 1);
  return found.length > 0;
}

/** The message of an error from a request, for a log line or a notification. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Carries out a webview's request that is not about its own view: links, files, map commands, refresh. Webviews only
 * ever name files the host gave them, but a file must still be inside a workspace folder to be opened.
 */
export function handleSidebarAction(message: WebviewMessage, client: LanguageClient, log: vscode.LogOutputChannel): void {
  performSidebarAction(message, client, log).catch((error: unknown) =>
    log.error(`sidebar: action failed method=${message.method} error=${errorText(error)}`),
  );
}

async function performSidebarAction(message: WebviewMessage, client: LanguageClient, log: vscode.LogOutputChannel): Promise<void> {
  switch (message.method) {
    case 'link/open':
      await openExternalHttps(message.params.url, log);
      return;
    case 'file/open': {
      const uri = vscode.Uri.parse(message.params.uri, true);
      if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) {
        log.warn(`sidebar: refused to open a file outside the workspace uri=${message.params.uri}`);
        return;
      }
      await openFileAt(uri, message.params.line);
      return;
    }
    case 'map/create':
      await vscode.commands.executeCommand(SidebarCommands.createMap, message.params.workspaceFolderUri);
      return;
    case 'map/addToFeature':
      await vscode.commands.executeCommand(SidebarCommands.addToFeature, vscode.Uri.parse(message.params.uri, true));
      return;
    case 'map/reveal':
      await vscode.commands.executeCommand(SidebarCommands.revealInMap, message.params.featureId);
      return;
    case 'context/refresh':
      log.info('sidebar: refresh requested from the Context view');
      await client.sendRequest(RefreshRequest.type);
      return;
    default:
      log.warn(`sidebar: no handler for message method=${message.method}`);
  }
}
