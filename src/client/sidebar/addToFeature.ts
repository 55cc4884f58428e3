// "Add to feature…" from the Context view, the Feature Map tree and the Explorer: pick a feature, let the language
// server compute the edit (it keeps the map's comments and formatting), apply it as a WorkspaceEdit and save the map.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AddToFeatureRequest, FeatureListRequest, type FeatureSummary } from '../../shared/lspProtocol';
import { isFeatureMapNode, nodeTarget } from './featureMapTree';
import { errorText, openFileAt, SidebarCommands } from './sidebarActions';

/** One pattern added to a map, as `customerLens.addToFeature` returns it. */
export interface AddedPattern {
  featureId: string;
  mapFileUri: string;
  pattern: string;
  targetUri: string;
  /** True when the feature already had this pattern and the map was left alone. */
  alreadyPresent: boolean;
}

interface Target {
  uri: vscode.Uri;
  isFolder?: boolean;
}

/**
 * What the command was invoked on. The Explorer passes the clicked uri and the selection; the tree passes its node;
 * the Context view and tests pass a uri (and tests a feature id, so no quick pick is needed).
 */
function targetsOf(first: unknown, second: unknown): Target[] {
  if (first instanceof vscode.Uri) {
    const selection = Array.isArray(second) && second.length > 1 && second.every((item) => item instanceof vscode.Uri) ? (second as vscode.Uri[]) : [first];
    return selection.map((uri) => ({ uri }));
  }
  if (isFeatureMapNode(first)) {
    const target = nodeTarget(first);
    return target ? [target] : [];
  }
  if (typeof first === 'string' && first) return [{ uri: vscode.Uri.parse(first, true) }];
  const active = vscode.window.activeTextEditor?.document.uri;
  return active?.scheme === 'file' ? [{ uri: active }] : [];
}

/** True when `file` is `folder` or inside it. */
function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Features whose map file can name `target`: patterns are relative to the map file's folder. */
function candidatesFor(features: readonly FeatureSummary[], target: vscode.Uri, client: LanguageClient): FeatureSummary[] {
  return features.filter((feature) => isInside(path.dirname(client.protocol2CodeConverter.asUri(feature.mapFileUri).fsPath), target.fsPath));
}

async function pickFeature(candidates: readonly FeatureSummary[], label: string): Promise<FeatureSummary | undefined> {
  const items = candidates.map((feature) => ({
    label: feature.name,
    description: [feature.id, feature.owners.join(', ')].filter(Boolean).join(' · '),
    detail: feature.summary ?? feature.description,
    feature,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Add to Feature',
    placeHolder: `Add ${label} to which feature?`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.feature;
}

async function isFolder(target: Target): Promise<boolean> {
  if (target.isFolder !== undefined) return target.isFolder;
  const stat = await vscode.workspace.fs.stat(target.uri);
  return (stat.type & vscode.FileType.Directory) !== 0;
}

async function addOne(client: LanguageClient, log: vscode.LogOutputChannel, target: Target, feature: FeatureSummary): Promise<AddedPattern> {
  const folder = await isFolder(target);
  const targetUri = client.code2ProtocolConverter.asUri(target.uri);
  const result = await client.sendRequest(AddToFeatureRequest.type, { featureId: feature.id, targetUri, isFolder: folder });
  const mapUri = client.protocol2CodeConverter.asUri(result.mapFileUri);
  if (result.edits.length > 0) {
    const edit = new vscode.WorkspaceEdit();
    edit.set(mapUri, await client.protocol2CodeConverter.asTextEdits(result.edits));
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`the editor refused the edit to ${vscode.workspace.asRelativePath(mapUri)}`);
    const document = await vscode.workspace.openTextDocument(mapUri);
    if (!(await document.save())) throw new Error(`${vscode.workspace.asRelativePath(mapUri)} could not be saved`);
  }
  log.info(`sidebar: addToFeature feature=${feature.id} target=${target.uri.toString()} pattern=${result.pattern} map=${result.mapFileUri} edits=${result.edits.length}`);
  return { featureId: feature.id, mapFileUri: result.mapFileUri, pattern: result.pattern, targetUri, alreadyPresent: result.edits.length === 0 };
}

/**
 * Registers `customerLens.addToFeature`. Arguments: a Uri (plus the Explorer's selection), a Feature Map node, or a
 * uri string; then optionally a feature id. Returns the patterns it added (empty when cancelled).
 */
export function registerAddToFeature(client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(SidebarCommands.addToFeature, async (first?: unknown, second?: unknown, third?: unknown): Promise<AddedPattern[]> => {
    const targets = targetsOf(first, second);
    if (targets.length === 0) {
      void vscode.window.showInformationMessage('Customer Lens: open a file, or pick a file or folder in the Explorer, to add it to a feature.');
      return [];
    }
    const requestedId = typeof second === 'string' ? second : typeof third === 'string' ? third : undefined;
    const label = targets.length === 1 ? vscode.workspace.asRelativePath(targets[0]!.uri, false) : `${targets.length} items`;
    try {
      const features = await client.sendRequest(FeatureListRequest.type);
      const candidates = targets.reduce((list, target) => candidatesFor(list, target.uri, client), features);
      let feature: FeatureSummary | undefined;
      if (requestedId !== undefined) {
        feature = candidates.find((candidate) => candidate.id === requestedId);
        if (!feature) throw new Error(`no feature "${requestedId}" in a map that covers ${label}`);
      } else {
        if (candidates.length === 0) throw new Error(`no map covers ${label}; create one with "Customer Lens: Create Map…"`);
        feature = await pickFeature(candidates, label);
        if (!feature) return [];
      }
      const added: AddedPattern[] = [];
      // One at a time: each edit is computed against the map as the previous one left it.
      for (const target of targets) added.push(await addOne(client, log, target, feature));
      const patterns = added.map((a) => `"${a.pattern}"`).join(', ');
      const mapUri = client.protocol2CodeConverter.asUri(added[0]!.mapFileUri);
      const message = added.every((a) => a.alreadyPresent) ? `${feature.name} already has ${patterns}.` : `added ${patterns} to ${feature.name}.`;
      void vscode.window.showInformationMessage(`Customer Lens: ${message}`, 'Open Map').then((choice) => {
        if (choice === 'Open Map') void openFileAt(mapUri);
      });
      return added;
    } catch (error) {
      log.error(`sidebar: addToFeature failed target=${label} feature=${requestedId ?? '(picked)'} error=${errorText(error)}`);
      void vscode.window.showErrorMessage(`Customer Lens: could not add ${label} to a feature: ${errorText(error)}`);
      return [];
    }
  });
}
