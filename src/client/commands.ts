// The commands of the "Customer Lens" category that belong to the editor shell (the sidebar registers its own):
// tokens, refresh, explain, open map, show context, logs, open sidebar, and the status bar menu. Commands are explicit
// actions, so unlike hovers they may show messages.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DidChangeTokenNotification, ExplainRequest, FileContextRequest, ImpactRequest, RefreshRequest, type ExplainResult } from '../shared/lspProtocol';
import { explainPick } from './explainView';
import { configuredOrigins, type TokenVault } from './tokens';

export const Commands = {
  setToken: 'customerLens.setToken',
  clearToken: 'customerLens.clearToken',
  refresh: 'customerLens.refresh',
  explainMapping: 'customerLens.explainMapping',
  openMapFile: 'customerLens.openMapFile',
  showContext: 'customerLens.showContext',
  showLogs: 'customerLens.showLogs',
  openSidebar: 'customerLens.openSidebar',
  showStatusMenu: 'customerLens.showStatusMenu',
  createMap: 'customerLens.createMap',
  addToFeature: 'customerLens.addToFeature',
  customerImpact: 'customerLens.customerImpact',
} as const;

/** The Context view's id: VS Code adds a `<id>.focus` command for every view. */
const CONTEXT_VIEW = 'customerLens.context';

export interface CommandDeps {
  client: LanguageClient;
  log: vscode.LogOutputChannel;
  tokens: TokenVault;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The file the command is about: an explicit uri (from a menu or a CodeLens) or the active editor's document. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string') {
    return vscode.Uri.parse((arg as { uri: string }).uri, true);
  }
  const document = vscode.window.activeTextEditor?.document;
  return document?.uri.scheme === 'file' ? document.uri : undefined;
}

async function pickOrigin(title: string, onlyWithToken: TokenVault | undefined): Promise<string | undefined> {
  let origins = configuredOrigins();
  if (onlyWithToken) origins = origins.filter((o) => onlyWithToken.has(o));
  if (origins.length === 0) {
    const text = onlyWithToken
      ? 'Customer Lens: no token is stored for the configured endpoint.'
      : vscode.workspace.isTrusted
        ? 'Customer Lens: set "customerLens.endpoint" first; the token is stored for that endpoint.'
        : 'Customer Lens: no endpoint in your user settings. In Restricted Mode a workspace endpoint is ignored and no token is sent.';
    const open = onlyWithToken ? undefined : 'Open Settings';
    const choice = await vscode.window.showWarningMessage(text, ...(open ? [open] : []));
    if (choice === open && open) await vscode.commands.executeCommand('workbench.action.openSettings', 'customerLens.endpoint');
    return undefined;
  }
  if (origins.length === 1) return origins[0];
  return vscode.window.showQuickPick(origins, { title, placeHolder: 'Which endpoint?' });
}

/** What Set Token does once it has the token: keep it in SecretStorage and hand it to the server (never to a log). */
export async function storeToken(deps: CommandDeps, origin: string, token: string): Promise<void> {
  await deps.tokens.store(origin, token);
  if (vscode.workspace.isTrusted) await deps.client.sendNotification(DidChangeTokenNotification.type, { origin, token });
  deps.log.info(`token stored origin=${origin}`);
}

/** What Clear Token does once it knows the endpoint. */
export async function clearToken(deps: CommandDeps, origin: string): Promise<void> {
  await deps.tokens.delete(origin);
  await deps.client.sendNotification(DidChangeTokenNotification.type, { origin });
  deps.log.info(`token cleared origin=${origin}`);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { client, log, tokens } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        log.error(`command failed command=${id} error=${message(error)}`);
        void vscode.window.showErrorMessage(`Customer Lens: ${message(error)}`, 'Show Logs').then((choice) => {
          if (choice) log.show();
        });
        return undefined;
      }
    });

  return [
    register(Commands.setToken, async () => {
      const origin = await pickOrigin('Set Token', undefined);
      if (!origin) return;
      const token = await vscode.window.showInputBox({
        title: `Customer Lens: token for ${origin}`,
        prompt: 'Sent as "Authorization: Bearer <token>" to this endpoint only. Stored in the system keychain, never in settings.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' ? 'Enter a token, or press Escape to cancel' : /\s/.test(value.trim()) ? 'A token has no spaces' : undefined),
      });
      if (token === undefined) return;
      await storeToken(deps, origin, token.trim());
      void vscode.window.showInformationMessage(`Customer Lens: token stored for ${origin}.`);
    }),

    register(Commands.clearToken, async () => {
      const origin = await pickOrigin('Clear Token', tokens);
      if (!origin) return;
      await clearToken(deps, origin);
      void vscode.window.showInformationMessage(`Customer Lens: token cleared for ${origin}.`);
    }),

    register(Commands.refresh, async () => {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Customer Lens: refreshing customer context' },
        () => client.sendRequest(RefreshRequest.type),
      );
    }),

    register(Commands.explainMapping, async (arg) => {
      const uri = targetUri(arg);
      if (!uri) {
        void vscode.window.showInformationMessage('Customer Lens: open a file to explain its mapping.');
        return undefined;
      }
      const result = await client.sendRequest(ExplainRequest.type, { uri: uri.toString() });
      await showExplanation(result);
      return result;
    }),

    register(Commands.openMapFile, async (arg) => {
      const uri = targetUri(arg);
      const target = uri ? await mapFileFor(client, uri) : undefined;
      const mapFile = target ?? (await pickMapFile());
      if (mapFile === null) return;
      if (!mapFile) {
        const create = 'Create Map…';
        const choice = await vscode.window.showInformationMessage('Customer Lens: this workspace has no map file (.customer-lens.yml) yet.', create);
        if (choice === create) await vscode.commands.executeCommand(Commands.createMap);
        return;
      }
      await vscode.window.showTextDocument(mapFile);
    }),

    register(Commands.showContext, async (arg) => {
      const uri = targetUri(arg);
      if (!uri) {
        void vscode.window.showInformationMessage('Customer Lens: open a file to see its customers.');
        return;
      }
      const result = await client.sendRequest(FileContextRequest.type, { uri: uri.toString() });
      if (result.features.length === 0) {
        const why = result.map.state === 'none' ? 'there is no map in this folder' : result.ignored ? 'it is marked not customer-facing' : 'it is not mapped to a feature';
        const add = 'Add to Feature…';
        const choice = await vscode.window.showInformationMessage(`Customer Lens: no customer context for this file: ${why}.`, ...(result.map.state === 'ok' && !result.ignored ? [add] : []));
        if (choice === add) await vscode.commands.executeCommand(Commands.addToFeature, uri);
        return;
      }
      await vscode.commands.executeCommand(`${CONTEXT_VIEW}.focus`);
    }),

    register(Commands.customerImpact, async () => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Customer Lens: reading your changes' },
        () => client.sendRequest(ImpactRequest.type),
      );
      // The server computed the report; the editor only shows it: an untitled markdown document, in the preview.
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
      await vscode.commands.executeCommand('markdown.showPreview', document.uri);
      log.info(`customer impact shown range=${result.range} files=${result.fileCount} features=${result.featureCount}`);
      return result;
    }),

    register(Commands.showLogs, () => log.show()),

    register(Commands.openSidebar, () => vscode.commands.executeCommand(`${CONTEXT_VIEW}.focus`)),

    register(Commands.showStatusMenu, async () => {
      const items: (vscode.QuickPickItem & { command: string })[] = [
        { label: '$(comment-discussion) Show Context for Current File', command: Commands.showContext },
        { label: '$(question) Explain Mapping for Current File', command: Commands.explainMapping },
        { label: '$(go-to-file) Open Map File', command: Commands.openMapFile },
        { label: '$(git-pull-request) Customer Impact of My Changes', command: Commands.customerImpact },
        { label: '$(refresh) Refresh', description: 'refetch customer context', command: Commands.refresh },
        { label: '$(key) Set Token', command: Commands.setToken },
        { label: '$(trash) Clear Token', command: Commands.clearToken },
        { label: '$(output) Show Logs', command: Commands.showLogs },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Customer Lens', placeHolder: 'Choose a command' });
      if (picked) await vscode.commands.executeCommand(picked.command);
    }),
  ];
}

/** The map file nearest above `uri` in its folder (undefined when the folder has none). */
async function mapFileFor(client: LanguageClient, uri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const result = await client.sendRequest(ExplainRequest.type, { uri: uri.toString() });
  const candidates = result.map.mapFileUris.map((u) => vscode.Uri.parse(u, true));
  const above = candidates
    .filter((c) => uri.path.startsWith(c.path.slice(0, c.path.lastIndexOf('/') + 1)))
    .sort((a, b) => b.path.length - a.path.length);
  return above[0] ?? candidates[0];
}

/** Any map file of the workspace; null when the user cancelled a choice. */
async function pickMapFile(): Promise<vscode.Uri | undefined | null> {
  const found = await vscode.workspace.findFiles('**/.customer-lens.{yml,yaml,json}', '**/node_modules/**', 50);
  if (found.length <= 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, true), uri })),
    { title: 'Open Map File' },
  );
  return picked ? picked.uri : null;
}

async function showExplanation(result: ExplainResult): Promise<void> {
  const file = result.path ?? vscode.Uri.parse(result.uri, true).fsPath;
  // The folder's name is only worth saying when the window has several.
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const at = (mapFileUri: string, line: number) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(mapFileUri, true), multiRoot)}:${line}`;
  const pick = explainPick(result, file, at);
  const picked = await vscode.window.showQuickPick(pick.items, { title: pick.title, placeHolder: pick.placeholder });
  if (!picked) return;
  const action = picked.action;
  switch (action.kind) {
    case 'openMap': {
      const line = Math.max(0, (action.line ?? 1) - 1);
      await vscode.window.showTextDocument(vscode.Uri.parse(action.mapFileUri, true), { selection: new vscode.Range(line, 0, line, 0) });
      return;
    }
    case 'addToFeature':
      await vscode.commands.executeCommand(Commands.addToFeature, vscode.Uri.parse(action.uri, true));
      return;
    case 'createMap':
      await vscode.commands.executeCommand(Commands.createMap);
      return;
  }
}
