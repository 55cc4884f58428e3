// "Create map…": asks the language server for a starter map (it never overwrites one) and opens it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CreateMapRequest } from '../../shared/lspProtocol';
import { errorText, openFileAt, SidebarCommands } from './sidebarActions';

/** What `customerLens.createMap` returns, for callers and tests. */
export interface CreateMapOutcome {
  mapFileUri: string;
  created: boolean;
}

async function pickFolder(target: unknown): Promise<vscode.WorkspaceFolder | undefined> {
  const uri = target instanceof vscode.Uri ? target : typeof target === 'string' && target ? vscode.Uri.parse(target, true) : undefined;
  if (uri) return vscode.workspace.getWorkspaceFolder(uri);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Create the Customer Lens map in which folder?' });
}

/** Registers `customerLens.createMap`. Argument (optional): the workspace folder, as a Uri or uri string. */
export function registerCreateMap(client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(SidebarCommands.createMap, async (target?: unknown): Promise<CreateMapOutcome | undefined> => {
    const folder = await pickFolder(target);
    if (!folder) {
      if (!vscode.workspace.workspaceFolders?.length) void vscode.window.showInformationMessage('Customer Lens: open a folder first; the map lives at its root.');
      return undefined;
    }
    try {
      const result = await client.sendRequest(CreateMapRequest.type, { workspaceFolderUri: client.code2ProtocolConverter.asUri(folder.uri) });
      log.info(`sidebar: createMap folder=${folder.uri.toString()} map=${result.mapFileUri} created=${result.created}`);
      await openFileAt(client.protocol2CodeConverter.asUri(result.mapFileUri));
      if (!result.created) void vscode.window.showInformationMessage(`Customer Lens: ${folder.name} already has a map; it is open now.`);
      return result;
    } catch (error) {
      log.error(`sidebar: createMap failed folder=${folder.uri.toString()} error=${errorText(error)}`);
      void vscode.window.showErrorMessage(`Customer Lens: could not create the map in ${folder.name}: ${errorText(error)}`);
      return undefined;
    }
  });
}
