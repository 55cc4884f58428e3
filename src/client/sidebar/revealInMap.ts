// "Reveal in map": opens the map file at a feature's entry, or at one of its patterns.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FeatureListRequest } from '../../shared/lspProtocol';
import { isFeatureMapNode } from './featureMapTree';
import { errorText, openFileAt, SidebarCommands } from './sidebarActions';

/**
 * Registers `customerLens.revealInMap`. Arguments: a Feature Map node (feature or pattern), or a feature id. Returns
 * the editor it opened, or undefined when there was nothing to reveal.
 */
export function registerRevealInMap(client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(SidebarCommands.revealInMap, async (target?: unknown): Promise<vscode.TextEditor | undefined> => {
    try {
      if (isFeatureMapNode(target) && target.kind === 'pattern') {
        return await openFileAt(client.protocol2CodeConverter.asUri(target.feature.mapFileUri), target.pattern.line);
      }
      const featureId = isFeatureMapNode(target) && target.kind === 'feature' ? target.feature.id : typeof target === 'string' ? target : undefined;
      if (featureId === undefined) {
        log.warn(`sidebar: revealInMap called without a feature`);
        return undefined;
      }
      const features = await client.sendRequest(FeatureListRequest.type);
      const feature = features.find((candidate) => candidate.id === featureId);
      if (!feature) {
        void vscode.window.showWarningMessage(`Customer Lens: the map has no feature "${featureId}".`);
        return undefined;
      }
      return await openFileAt(client.protocol2CodeConverter.asUri(feature.mapFileUri), client.protocol2CodeConverter.asRange(feature.range));
    } catch (error) {
      log.error(`sidebar: revealInMap failed error=${errorText(error)}`);
      void vscode.window.showErrorMessage(`Customer Lens: could not open the map: ${errorText(error)}`);
      return undefined;
    }
  });
}
