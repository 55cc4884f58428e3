// The Context view follows the active editor: for each file it asks the language server for the file's features and
// their context (`customerLens/fileContext`), builds the view model and posts it to the webview.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FileContextRequest, type DidChangeContextParams } from '../../shared/lspProtocol';
import type { ContextViewModel } from '../../shared/webviewProtocol';
import { buildContextViewModel, loadingModel, noEditorModel, noMapModel, requestErrorModel } from './contextViewModel';
import { errorText, handleSidebarAction, workspaceHasMap } from './sidebarActions';
import { SidebarWebview } from './webviewHost';

/** Files the Context view can be about: on disk. Output panels, git diffs and settings editors are not followed. */
function isFollowable(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return uri !== undefined && uri.scheme === 'file';
}

/** Showing "loading" for a fast answer would only flicker. */
const LOADING_DELAY_MS = 150;

export class ContextViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'customerLens.context';

  readonly webview: SidebarWebview<'context'>;
  private file: vscode.Uri | undefined;
  /** The file the current model is about; a refresh of the same file keeps showing it instead of "loading". */
  private shownFile: string | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
    /** Resolves once the server has loaded every folder's map: until then its answers would say "no map". */
    private readonly mapsLoaded: Promise<void> = Promise.resolve(),
  ) {
    this.webview = new SidebarWebview('context', extensionUri, log, (message) => {
      handleSidebarAction(message, client, log);
    });
    this.webview.post(noEditorModel());
    this.disposables.push(
      this.webview,
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor?.document.uri)),
      // Coming back into view: the file may have changed while the view was hidden.
      this.webview.onDidBecomeVisible(() => void this.update()),
    );
    this.follow(vscode.window.activeTextEditor?.document.uri);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.webview.attach(view);
  }

  /** The file the view is about, if any. */
  get currentFile(): vscode.Uri | undefined {
    return this.file;
  }

  /** Shows `uri` (when it is a file on disk); anything else keeps the current file on screen. */
  follow(uri: vscode.Uri | undefined): void {
    if (!isFollowable(uri) || uri.toString() === this.file?.toString()) return;
    this.file = uri;
    void this.update();
  }

  /** The server's context changed: refresh when it touches a feature on screen (or possibly all of them). */
  contextChanged(params: DidChangeContextParams): void {
    const model = this.webview.lastPosted();
    const shown = model?.state === 'mapped' ? model.features.map((f) => f.id) : [];
    if (params.featureIds.length === 0 || model?.state !== 'mapped' || params.featureIds.some((id) => shown.includes(id))) void this.update();
  }

  /** A map file changed: the file may belong to other features now. */
  mapChanged(): void {
    void this.update();
  }

  /** Asks the server about the current file and posts the model; an answer overtaken by a newer request is dropped. */
  async update(): Promise<void> {
    const file = this.file;
    if (!this.webview.visible) return;
    const generation = ++this.generation;
    if (!file) {
      // Nothing open yet: a workspace without a map is the first thing to fix.
      const hasMap = await workspaceHasMap();
      if (generation === this.generation) this.webview.post(hasMap ? noEditorModel() : noMapModel());
      return;
    }
    const key = file.toString();
    const loading = key === this.shownFile ? undefined : setTimeout(() => {
      if (generation === this.generation) this.show(loadingModel(key, vscode.workspace.asRelativePath(file, false)), key);
    }, LOADING_DELAY_MS);
    let model: ContextViewModel;
    try {
      await this.mapsLoaded;
      const result = await this.client.sendRequest(FileContextRequest.type, { uri: this.client.code2ProtocolConverter.asUri(file) });
      model = buildContextViewModel(result, Date.now());
      this.log.debug(`sidebar: context uri=${key} state=${model.state} freshness=${result.freshness.state}`);
    } catch (error) {
      this.log.error(`sidebar: fileContext failed uri=${key} error=${errorText(error)}`);
      model = requestErrorModel(errorText(error), key, vscode.workspace.asRelativePath(file, false));
    } finally {
      clearTimeout(loading);
    }
    if (generation === this.generation) this.show(model, key);
  }

  private show(model: ContextViewModel, fileKey: string): void {
    this.shownFile = fileKey;
    this.webview.post(model);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
