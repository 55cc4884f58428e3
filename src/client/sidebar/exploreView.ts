// The Explore view: every feature of every map, and for an opened feature its modules (one per pattern, the files it
// brings in grouped by folder, with why it exists: the map's own comment, the folder's README or its main file's doc
// comment) and its customers.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FeatureContextRequest, FeatureFilesRequest, FeatureListRequest, type FeatureSummary } from '../../shared/lspProtocol';
import type { ExploreDetailView, ExploreViewModel } from '../../shared/webviewProtocol';
import { exploreDetailView, exploreFeatureView, moduleView, relativeTo, type ModuleDocs } from './exploreViewModel';
import { mainFileOf, moduleFolder, README_NAMES } from './moduleDocs';
import { errorText, handleSidebarAction, workspaceHasMap } from './sidebarActions';
import { SidebarWebview } from './webviewHost';

/** Larger files are not documentation: reading them for a paragraph would only slow the view down. */
const MAX_DOC_BYTES = 256 * 1024;

type Detail = { featureId: string } & ({ state: 'loading' } | { state: 'ready'; view: ExploreDetailView } | { state: 'error'; message: string });

export class ExploreViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'customerLens.explore';

  readonly webview: SidebarWebview<'explore'>;
  private features: FeatureSummary[] | undefined;
  private listError: string | undefined;
  private noMap = false;
  private detail: Detail | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
    /** Resolves once the server has loaded every folder's map: until then the list would be empty. */
    private readonly mapsLoaded: Promise<void> = Promise.resolve(),
  ) {
    this.webview = new SidebarWebview('explore', extensionUri, log, (message) => {
      if (message.method === 'explore/openFeature') {
        void this.open(message.params.featureId);
        return;
      }
      handleSidebarAction(message, client, log);
    });
    this.webview.post({ state: 'loading' });
    this.disposables.push(this.webview, this.webview.onDidBecomeVisible(() => void this.refresh()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.webview.attach(view);
  }

  /** Reloads the feature list (and the opened feature) when the view is on screen. */
  async refresh(): Promise<void> {
    if (!this.webview.visible) return;
    const generation = ++this.generation;
    try {
      await this.mapsLoaded;
      const features = await this.client.sendRequest(FeatureListRequest.type);
      const noMap = features.length === 0 && !(await workspaceHasMap());
      if (generation !== this.generation) return;
      this.features = features;
      this.noMap = noMap;
      this.listError = undefined;
    } catch (error) {
      if (generation !== this.generation) return;
      this.log.error(`sidebar: features request failed error=${errorText(error)}`);
      this.listError = `The Customer Lens language server did not answer: ${errorText(error)}. See "Customer Lens: Show Logs".`;
    }
    this.render();
    if (this.detail) await this.open(this.detail.featureId);
  }

  /** Opens a feature (loads its modules and customers), or closes the opened one. */
  async open(featureId: string | undefined): Promise<void> {
    if (featureId === undefined) {
      this.detail = undefined;
      this.render();
      return;
    }
    const summary = this.features?.find((feature) => feature.id === featureId);
    if (!summary) {
      // The list is not loaded yet (a reopened view asks at once) or the feature left the map.
      this.detail = this.features ? { featureId, state: 'error', message: `The map no longer has a feature "${featureId}".` } : { featureId, state: 'loading' };
      this.render();
      return;
    }
    if (this.detail?.featureId !== featureId || this.detail.state !== 'ready') {
      this.detail = { featureId, state: 'loading' };
      this.render();
    }
    try {
      const view = await this.loadDetail(summary);
      if (this.detail?.featureId === featureId) this.detail = { featureId, state: 'ready', view };
    } catch (error) {
      this.log.error(`sidebar: opening feature failed feature=${featureId} error=${errorText(error)}`);
      if (this.detail?.featureId === featureId) this.detail = { featureId, state: 'error', message: `Could not open ${summary.name}: ${errorText(error)}` };
    }
    this.render();
  }

  private async loadDetail(summary: FeatureSummary): Promise<ExploreDetailView> {
    const patterns = summary.patterns.filter((pattern) => pattern.kind === 'path');
    const files = await Promise.all(
      patterns.map((pattern) => this.client.sendRequest(FeatureFilesRequest.type, { featureId: summary.id, pattern: pattern.pattern })),
    );
    const mapText = await this.readText(summary.mapFileUri);
    const docs = await Promise.all(patterns.map((pattern, index) => this.moduleDocs(summary.workspaceFolderUri, pattern.pattern, files[index] ?? [])));
    const modules = patterns.map((pattern, index) => moduleView(pattern, files[index] ?? [], summary.workspaceFolderUri, summary.mapFileUri, mapText, docs[index]));
    const { context, links } = await this.client.sendRequest(FeatureContextRequest.type, {
      featureId: summary.id,
      workspaceFolderUri: summary.workspaceFolderUri,
    });
    return exploreDetailView(summary, modules, context, links);
  }

  /** The README and main file of the folder a module's pattern names, when it names one. */
  private async moduleDocs(workspaceFolderUri: string, pattern: string, fileUris: readonly string[]): Promise<ModuleDocs> {
    const paths = fileUris.map((uri) => relativeTo(workspaceFolderUri, uri));
    const folder = moduleFolder(pattern, paths);
    if (folder === undefined) return {};
    const root = vscode.Uri.parse(workspaceFolderUri, true);
    const docs: ModuleDocs = {};
    for (const name of README_NAMES) {
      const text = await this.readSmallFile(vscode.Uri.joinPath(root, ...folder.split('/'), name));
      if (text !== undefined) {
        docs.readme = { path: `${folder}/${name}`, text };
        break;
      }
    }
    const main = mainFileOf(folder, paths);
    if (main) {
      const text = await this.readSmallFile(vscode.Uri.joinPath(root, ...main.split('/')));
      if (text !== undefined) docs.mainFile = { path: main, text };
    }
    return docs;
  }

  /** A file's text when it exists and is small enough to be documentation; undefined otherwise (not an error). */
  private async readSmallFile(uri: vscode.Uri): Promise<string | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type !== vscode.FileType.File || stat.size > MAX_DOC_BYTES) return undefined;
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) {
        this.log.debug(`sidebar: could not read for module docs uri=${uri.toString()} error=${errorText(error)}`);
      }
      return undefined;
    }
  }

  private async readText(uri: string): Promise<string | undefined> {
    try {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === vscode.Uri.parse(uri).toString());
      if (open) return open.getText();
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(uri, true)));
    } catch (error) {
      this.log.warn(`sidebar: could not read the map for pattern comments uri=${uri} error=${errorText(error)}`);
      return undefined;
    }
  }

  private model(): ExploreViewModel {
    if (this.listError !== undefined) return { state: 'error', message: this.listError };
    if (!this.features) return { state: 'loading' };
    if (this.noMap) return { state: 'no-map', message: 'This workspace has no map yet. Create one to list its features here.' };
    const folders = new Set(this.features.map((feature) => feature.workspaceFolderUri));
    const folderName = (uri: string) => (folders.size > 1 ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri))?.name ?? uri : undefined);
    const features = this.features.map((feature) => exploreFeatureView(feature, folderName(feature.workspaceFolderUri)));
    const detail = this.detail;
    if (!detail) return { state: 'ready', features };
    const { featureId } = detail;
    const opened =
      detail.state === 'ready'
        ? { state: 'ready' as const, featureId, detail: detail.view }
        : detail.state === 'error'
          ? { state: 'error' as const, featureId, message: detail.message }
          : { state: 'loading' as const, featureId };
    return { state: 'ready', features, opened };
  }

  private render(): void {
    this.webview.post(this.model());
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
