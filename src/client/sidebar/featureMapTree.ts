// The Feature Map tree for tech leads: features → patterns → the files each pattern matches, with counts, and the
// files no feature claims grouped by folder. A map with errors shows on top, with a jump to the first error.
// Refreshed when the server says a map changed and when a map file's diagnostics change.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ExplainRequest,
  FeatureFilesRequest,
  FeatureListRequest,
  UnmappedFilesRequest,
  type FeatureSummary,
  type MapStatus,
  type PatternSummary,
  type UnmappedFolder,
} from '../../shared/lspProtocol';
import { countOf } from './format';
import { errorText, workspaceHasMap } from './sidebarActions';

/** A node of the Feature Map tree. Commands on the tree receive these. */
export type FeatureMapNode =
  | { kind: 'feature'; feature: FeatureSummary; multiRoot: boolean }
  /** `files`: what the feature gets from a `paths` pattern (its excludes applied); absent for an `exclude` pattern. */
  | { kind: 'pattern'; feature: FeatureSummary; pattern: PatternSummary; files?: string[] }
  | { kind: 'file'; uri: string; unmapped: boolean; parentId: string }
  | { kind: 'unmapped'; folders: UnmappedFolder[]; total: number }
  | { kind: 'unmappedFolder'; folder: UnmappedFolder; multiRoot: boolean }
  /** A folder's map has errors: the last valid version is listed (`usingLastGood`), or nothing can be. */
  | { kind: 'mapErrors'; status: MapStatus; folderName?: string }
  | { kind: 'message'; text: string };

/**
 * The state shown in the view's welcome content (`customerLens.featureMap.state`): `loading` until the first answer,
 * `invalid` when the map has errors and no valid version to list.
 */
export type FeatureMapState = 'loading' | 'no-map' | 'empty' | 'invalid' | 'ready' | 'error';

/** `contextValue`s, used by the menus in package.json. */
export const FeatureMapContext = {
  feature: 'customerLens.feature',
  pattern: 'customerLens.pattern',
  mappedFile: 'customerLens.mappedFile',
  unmappedFile: 'customerLens.unmappedFile',
  unmappedGroup: 'customerLens.unmappedGroup',
  unmappedFolder: 'customerLens.unmappedFolder',
  mapErrors: 'customerLens.mapErrors',
} as const;

export class FeatureMapProvider implements vscode.TreeDataProvider<FeatureMapNode>, vscode.Disposable {
  static readonly viewId = 'customerLens.featureMap';

  private readonly changeEmitter = new vscode.EventEmitter<FeatureMapNode | undefined>();
  private readonly loadEmitter = new vscode.EventEmitter<FeatureMapState>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** Fires each time the top level was read from the server, with the resulting state. */
  readonly onDidLoad = this.loadEmitter.event;
  private state: FeatureMapState = 'loading';
  private mapsReady = false;

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
    /** Resolves once the server has loaded every folder's map: until then it would answer "no features". */
    mapsLoaded: Promise<void> = Promise.resolve(),
  ) {
    void mapsLoaded.then(() => {
      this.mapsReady = true;
      this.refresh();
    });
  }

  /** Reads everything again. */
  refresh(): void {
    this.changeEmitter.fire(undefined);
  }

  /** The state of the last load. */
  get currentState(): FeatureMapState {
    return this.state;
  }

  async getChildren(node?: FeatureMapNode): Promise<FeatureMapNode[]> {
    try {
      if (!node) return await this.roots();
      switch (node.kind) {
        case 'feature': {
          // Read each pattern's files now, so its count is the number of files listed under it (excludes applied).
          const { feature } = node;
          return Promise.all(
            feature.patterns.map(async (pattern): Promise<FeatureMapNode> => {
              if (pattern.kind === 'exclude') return { kind: 'pattern', feature, pattern };
              const files = await this.client.sendRequest(FeatureFilesRequest.type, { featureId: feature.id, pattern: pattern.pattern });
              return { kind: 'pattern', feature, pattern, files: files.sort() };
            }),
          );
        }
        case 'pattern': {
          const parentId = this.idOf(node);
          return (node.files ?? []).map((uri) => ({ kind: 'file', uri, unmapped: false, parentId }));
        }
        case 'unmapped':
          return node.folders.map((folder) => ({ kind: 'unmappedFolder', folder, multiRoot: new Set(node.folders.map((f) => f.workspaceFolderUri)).size > 1 }));
        case 'unmappedFolder': {
          const parentId = this.idOf(node);
          return [...node.folder.fileUris].sort().map((uri) => ({ kind: 'file', uri, unmapped: true, parentId }));
        }
        default:
          return [];
      }
    } catch (error) {
      this.log.error(`sidebar: feature map request failed node=${node?.kind ?? 'root'} error=${errorText(error)}`);
      if (!node) this.setState('error');
      return [{ kind: 'message', text: `Could not read the map: ${errorText(error)}` }];
    }
  }

  private async roots(): Promise<FeatureMapNode[]> {
    // Until the server has listed the workspace's files and read the maps, an empty tree lets the welcome content say
    // so at once (a pending answer would leave the pane blank); the tree reloads when the maps are in.
    if (!this.mapsReady) {
      this.setState('loading');
      return [];
    }
    const [features, unmapped, broken] = await Promise.all([
      this.client.sendRequest(FeatureListRequest.type),
      this.client.sendRequest(UnmappedFilesRequest.type),
      this.brokenMaps(),
    ]);
    const errorNodes = broken.map((entry): FeatureMapNode => ({ kind: 'mapErrors', ...entry }));
    if (features.length === 0) {
      if (broken.some((entry) => entry.status.state === 'invalid')) {
        this.setState('invalid');
        return errorNodes;
      }
      // An empty tree shows the view's welcome content, which depends on whether there is a map at all.
      this.setState((await workspaceHasMap()) ? 'empty' : 'no-map');
      if (unmapped.length === 0 && errorNodes.length === 0) return [];
    } else {
      this.setState('ready');
    }
    const multiRoot = new Set(features.map((feature) => feature.workspaceFolderUri)).size > 1;
    const nodes: FeatureMapNode[] = [...errorNodes, ...features.map((feature): FeatureMapNode => ({ kind: 'feature', feature, multiRoot }))];
    const total = unmapped.reduce((sum, folder) => sum + folder.fileUris.length, 0);
    if (total > 0) nodes.push({ kind: 'unmapped', folders: unmapped.filter((folder) => folder.fileUris.length > 0), total });
    return nodes;
  }

  /**
   * The workspace folders whose map has errors. The server answers `customerLens/explain` for any path of a folder
   * with that folder's map status; a path of the folder itself (its map file's) is enough.
   */
  private async brokenMaps(): Promise<{ status: MapStatus; folderName?: string }[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const answers = await Promise.all(
      folders.map(async (folder) => {
        const probe = vscode.Uri.joinPath(folder.uri, '.customer-lens.yml');
        const result = await this.client.sendRequest(ExplainRequest.type, { uri: this.client.code2ProtocolConverter.asUri(probe) });
        return { status: result.map, folderName: folders.length > 1 ? folder.name : undefined };
      }),
    );
    return answers.filter(({ status }) => status.state === 'invalid' || status.usingLastGood);
  }

  private setState(state: FeatureMapState): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', 'customerLens.featureMap.state', state);
    this.loadEmitter.fire(state);
  }

  private idOf(node: FeatureMapNode): string {
    switch (node.kind) {
      case 'feature':
        return `feature:${node.feature.mapFileUri}#${node.feature.id}`;
      case 'pattern':
        return `pattern:${node.feature.mapFileUri}#${node.feature.id}:${node.pattern.kind}:${node.pattern.line}:${node.pattern.pattern}`;
      case 'file':
        return `${node.parentId}/${node.uri}`;
      case 'unmapped':
        return 'unmapped';
      case 'unmappedFolder':
        return `unmapped:${node.folder.workspaceFolderUri}/${node.folder.folder}`;
      case 'mapErrors':
        return `mapErrors:${node.status.workspaceFolderUri ?? ''}`;
      case 'message':
        return `message:${node.text}`;
    }
  }

  getTreeItem(node: FeatureMapNode): vscode.TreeItem {
    const item = this.itemFor(node);
    item.id = this.idOf(node);
    return item;
  }

  private itemFor(node: FeatureMapNode): vscode.TreeItem {
    switch (node.kind) {
      case 'feature': {
        const { feature } = node;
        const item = new vscode.TreeItem(feature.name, vscode.TreeItemCollapsibleState.Collapsed);
        const folder = node.multiRoot ? ` · ${vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(feature.workspaceFolderUri))?.name ?? ''}` : '';
        item.description = `${countOf(feature.fileCount, 'file')}${folder}`;
        item.tooltip = new vscode.MarkdownString(undefined, false);
        item.tooltip.appendText(`${feature.name} (${feature.id})\n\n`);
        if (feature.summary ?? feature.description) item.tooltip.appendText(`${feature.summary ?? feature.description}\n\n`);
        if (feature.owners.length > 0) item.tooltip.appendText(`Owners: ${feature.owners.join(', ')}\n\n`);
        // The people icon stands for the feature's customers; without customer data it is greyed out, and the words
        // say why, so no icon is left to guess.
        const noData = 'no customer data';
        if (!feature.hasContext) {
          item.description = `${item.description} · ${noData}`;
          item.tooltip.appendText(`No customer data: the context source has no entry for "${feature.id}" yet, so hovers and the Context view show only what the map says.`);
        }
        item.iconPath = feature.hasContext ? new vscode.ThemeIcon('organization') : new vscode.ThemeIcon('organization', new vscode.ThemeColor('disabledForeground'));
        item.contextValue = FeatureMapContext.feature;
        item.accessibilityInformation = {
          label: `${feature.name}, ${countOf(feature.fileCount, 'file')}, ${countOf(feature.patterns.length, 'pattern')}${feature.hasContext ? '' : `, ${noData}`}`,
        };
        return item;
      }
      case 'pattern': {
        const { pattern } = node;
        if (pattern.kind === 'exclude') {
          const item = new vscode.TreeItem(pattern.pattern, vscode.TreeItemCollapsibleState.None);
          item.description = `excludes ${countOf(pattern.fileCount, 'file')}`;
          item.tooltip = `Excluded from ${node.feature.name} · line ${pattern.line} of the map`;
          item.iconPath = new vscode.ThemeIcon('circle-slash');
          item.contextValue = FeatureMapContext.pattern;
          return item;
        }
        const count = node.files?.length ?? 0;
        const excluded = pattern.fileCount - count;
        const item = new vscode.TreeItem(pattern.pattern, count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = `${countOf(count, 'file')}${excluded > 0 ? ` · ${excluded} excluded` : ''}`;
        item.tooltip = `Part of ${node.feature.name} · line ${pattern.line} of the map${pattern.fileCount === 0 ? ' · matches no file' : ''}`;
        item.iconPath = new vscode.ThemeIcon(pattern.fileCount === 0 ? 'warning' : 'filter');
        item.contextValue = FeatureMapContext.pattern;
        return item;
      }
      case 'file': {
        const uri = vscode.Uri.parse(node.uri, true);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
        item.description = vscode.workspace.asRelativePath(vscode.Uri.joinPath(uri, '..'), false);
        item.command = { command: 'vscode.open', title: 'Open File', arguments: [uri] };
        item.contextValue = node.unmapped ? FeatureMapContext.unmappedFile : FeatureMapContext.mappedFile;
        return item;
      }
      case 'unmapped': {
        const item = new vscode.TreeItem('Unmapped files', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = String(node.total);
        item.tooltip = 'Files no feature claims and no "unmapped" pattern marks as not customer-facing. Add them to a feature, or to "unmapped".';
        item.iconPath = new vscode.ThemeIcon('question');
        item.contextValue = FeatureMapContext.unmappedGroup;
        return item;
      }
      case 'unmappedFolder': {
        const { folder } = node;
        const root = vscode.Uri.parse(folder.workspaceFolderUri, true);
        const folderUri = folder.folder ? vscode.Uri.joinPath(root, ...folder.folder.split('/')) : root;
        const prefix = node.multiRoot ? `${vscode.workspace.getWorkspaceFolder(root)?.name ?? root.path}: ` : '';
        const item = new vscode.TreeItem(`${prefix}${folder.folder || '(workspace root)'}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.resourceUri = folderUri;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.description = String(folder.fileUris.length);
        item.contextValue = FeatureMapContext.unmappedFolder;
        return item;
      }
      case 'mapErrors': {
        const { status } = node;
        const errors = countOf(status.errorCount, 'error');
        const where = node.folderName ? ` (${node.folderName})` : '';
        const item = new vscode.TreeItem(`The map has ${errors}${where}`, vscode.TreeItemCollapsibleState.None);
        item.description = status.state === 'invalid' ? 'nothing to show until they are fixed' : 'showing the last valid version';
        item.tooltip =
          status.state === 'invalid'
            ? `The map has ${errors} and no earlier valid version, so no feature can be listed. Click to open the first error; the Problems panel lists them all.`
            : `The map has ${errors}. Until they are fixed, the last valid version stays in force and is what this view lists. Click to open the first error.`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.contextValue = FeatureMapContext.mapErrors;
        const target = firstMapError(status);
        if (target) item.command = { command: 'vscode.open', title: 'Open the First Error', arguments: [target.uri, { selection: target.range }] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('error');
        return item;
      }
    }
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.loadEmitter.dispose();
  }
}

/** Where the first error of a broken map is (from the diagnostics the server published), else the map file itself. */
function firstMapError(status: MapStatus): { uri: vscode.Uri; range?: vscode.Range } | undefined {
  const mapFiles = status.mapFileUris.map((uri) => vscode.Uri.parse(uri, true));
  for (const uri of mapFiles) {
    const error = vscode.languages.getDiagnostics(uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    if (error) return { uri, range: error.range };
  }
  return mapFiles[0] ? { uri: mapFiles[0] } : undefined;
}

/** The uri a tree node stands for, for "Add to feature…": an unmapped or mapped file, or an unmapped folder. */
export function nodeTarget(node: FeatureMapNode): { uri: vscode.Uri; isFolder: boolean } | undefined {
  if (node.kind === 'file') return { uri: vscode.Uri.parse(node.uri, true), isFolder: false };
  if (node.kind === 'unmappedFolder') {
    const root = vscode.Uri.parse(node.folder.workspaceFolderUri, true);
    return { uri: node.folder.folder ? vscode.Uri.joinPath(root, ...node.folder.folder.split('/')) : root, isFolder: true };
  }
  return undefined;
}

/** True for values that look like tree nodes (commands receive them as `unknown`). */
export function isFeatureMapNode(value: unknown): value is FeatureMapNode {
  return typeof value === 'object' && value !== null && 'kind' in value && typeof (value as { kind: unknown }).kind === 'string';
}

/** Creates the tree view. */
export function createFeatureMapView(provider: FeatureMapProvider): vscode.TreeView<FeatureMapNode> {
  return vscode.window.createTreeView(FeatureMapProvider.viewId, { treeDataProvider: provider, showCollapseAll: true });
}
