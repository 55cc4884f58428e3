import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** What the sidebar exposes to the integration tests through the extension's test API. */
export interface SidebarApi {}

/** Registers the Context, Feature Map and Explore views. (Views land with the sidebar.) */
export function registerSidebarViews(_context: vscode.ExtensionContext, _client: LanguageClient, _log: vscode.LogOutputChannel): SidebarApi {
  return {};
}
