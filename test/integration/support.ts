// Helpers for integration tests running in the real extension host. Everything waits on events or polls against
// a deadline and fails with a message naming what it waited for; nothing sleeps a fixed time.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** `<publisher>.<name>` from package.json. */
export const extensionId = 'customer-lens.customer-lens';

const defaultTimeoutMs = 10_000;

/** Activates Customer Lens (if it is not active yet) and returns what `activate` returned: the test API. */
export async function activateExtension<Api = unknown>(): Promise<Api> {
  const extension = vscode.extensions.getExtension<Api>(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed in this window`);
  return extension.isActive ? extension.exports : await extension.activate();
}

/** The package.json of the extension under test, as VS Code read it. */
export function extensionManifest(): { contributes?: Record<string, unknown> } & Record<string, unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed in this window`);
  return extension.packageJSON as { contributes?: Record<string, unknown> } & Record<string, unknown>;
}

/** The first (usually only) workspace folder: the run's copy of the sample workspace. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the window has no workspace folder; the runner opens a copy of the sample workspace');
  return folder;
}

/** A file of the workspace by its `/`-separated path relative to the workspace root. */
export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relativePath.split('/'));
}

/** Opens a workspace file in an editor and makes it the active one. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Replaces a workspace file's content on disk (the runner works on a copy, so tests may change files freely). */
export async function writeFixture(relativePath: string, content: string): Promise<vscode.Uri> {
  const uri = fixtureUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return uri;
}

/** The position of the first occurrence of `needle` in the document (plus `offset` characters). */
export function positionOf(document: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(needle);
  assert.ok(index >= 0, `"${needle}" does not occur in ${vscode.workspace.asRelativePath(document.uri)}`);
  return document.positionAt(index + offset);
}

/**
 * Polls `probe` until it returns something other than `undefined`/`false`, and returns that. Fails after
 * `timeoutMs` with `what` and the last error the probe threw, if any.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = defaultTimeoutMs): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with the first event that satisfies `predicate`; fails after `timeoutMs` naming `what`. */
export function nextEvent<T>(what: string, event: vscode.Event<T>, predicate: (value: T) => boolean = () => true, timeoutMs = defaultTimeoutMs): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/** The text of every hover VS Code would show at `position` (all providers, markdown as written). */
export async function hoverTexts(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)));
}

/** The resolved CodeLenses of a document (titles and commands, as the editor would show them). */
export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The second argument asks VS Code to resolve up to that many lenses, so titles are filled in.
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
}

/** Waits until the diagnostics of `uri` satisfy `predicate` (e.g. "has an error at line 4") and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, what: string, predicate: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = defaultTimeoutMs): Promise<vscode.Diagnostic[]> {
  const current = vscode.languages.getDiagnostics(uri);
  if (predicate(current)) return Promise.resolve(current);
  return nextEvent(
    `diagnostics of ${vscode.workspace.asRelativePath(uri)}: ${what}`,
    vscode.languages.onDidChangeDiagnostics,
    (event) => event.uris.some((changed) => changed.toString() === uri.toString()) && predicate(vscode.languages.getDiagnostics(uri)),
    timeoutMs,
  ).then(() => vscode.languages.getDiagnostics(uri));
}
