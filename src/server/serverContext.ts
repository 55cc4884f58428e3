// What every handler of the server works with, so each concern can live in its own file and be read alone.
import * as path from 'node:path';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Freshness, Logger } from '../shared/contextModel';
import type { InitializationOptions, MapStatus } from '../shared/lspProtocol';
import type { TextRange } from '../shared/mapModel';
import type { ContextHub } from './contextHub';
import type { HistoryHub } from './historyHub';
import type { ResourceSettings, SettingsStore, TokenStore } from './settings';
import type { Workspace } from './workspace';
import type { FolderState } from './workspaceState';

export interface ServerContext {
  workspace: Workspace;
  settings: SettingsStore;
  tokens: TokenStore;
  hub: ContextHub;
  /** Each folder's git history, read in the background. */
  history: HistoryHub;
  documents: TextDocuments<TextDocument>;
  init: InitializationOptions;
  log: Logger;
  now(): number;
}

/** How long a hover waits for context that is not cached yet before it shows what it has. */
export const HOVER_BUDGET_MS = 400;
/** The same for a CodeLens and the sidebar's requests: a refresh follows when the data arrives. */
export const VIEW_BUDGET_MS = 500;

export const NO_MAP: MapStatus = { state: 'none', usingLastGood: false, mapFileUris: [], errorCount: 0 };
export const NO_CONTEXT: Freshness = { state: 'none', source: 'none' };

/** The settings for a folder. */
export function settingsOf(ctx: ServerContext, folder: FolderState | undefined): Promise<ResourceSettings> {
  return ctx.settings.get(folder?.uri);
}

/** A map file's path as users read it: relative to its workspace folder. */
export function displayPath(folder: FolderState, absPath: string): string {
  return folder.relative(absPath) ?? path.basename(absPath);
}

/** A 1-based, end-exclusive map range as a 0-based LSP range. */
export function toLspRange(range: TextRange): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return {
    start: { line: Math.max(0, range.start.line - 1), character: Math.max(0, range.start.column - 1) },
    end: { line: Math.max(0, range.end.line - 1), character: Math.max(0, range.end.column - 1) },
  };
}

/** An AbortSignal that fires when the LSP request is cancelled. */
export function signalOf(token: { isCancellationRequested: boolean; onCancellationRequested(listener: () => void): unknown } | undefined): AbortSignal | undefined {
  if (!token) return undefined;
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** One line for a log: the error's message. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
