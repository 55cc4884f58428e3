// The host side of one sidebar webview: the page with its CSP, the validated message channel, and the record of what
// the webview last drew (for the test API). The page is a fixed template: no remote string is ever put into HTML.
import * as vscode from 'vscode';
import {
  parseWebviewMessage,
  type ContextViewModel,
  type ExploreViewModel,
  type HostMessage,
  type WebviewKind,
  type WebviewMessage,
} from '../../shared/webviewProtocol';
import { neutralizeStrings } from '../../shared/safeText';
import { createNonce, webviewHtml } from './webviewPage';

/** The model type each webview draws. */
export interface ViewModels {
  context: ContextViewModel;
  explore: ExploreViewModel;
}

/** A model the webview confirmed it drew, with the count of rendered elements per `data-testid`. */
export interface Rendered<M> {
  seq: number;
  model: M;
  testIds: Record<string, number>;
}

/**
 * One sidebar webview as the host sees it. `post` sends a model (kept until a view is attached or becomes visible
 * again); `onMessage` receives every valid message that is not about rendering.
 */
export class SidebarWebview<K extends WebviewKind> implements vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private seq = 0;
  private latest: { seq: number; model: ViewModels[K] } | undefined;
  private rendered: Rendered<ViewModels[K]> | undefined;
  private readonly renderEmitter = new vscode.EventEmitter<Rendered<ViewModels[K]>>();
  private readonly visibleEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.renderEmitter, this.visibleEmitter];

  /** Fires when the webview confirms it drew a model. */
  readonly onDidRender = this.renderEmitter.event;
  /** Fires when the view is attached or becomes visible again (a hidden webview view is torn down and rebuilt). */
  readonly onDidBecomeVisible = this.visibleEmitter.event;

  constructor(
    private readonly kind: K,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly onMessage: (message: WebviewMessage) => void,
  ) {}

  /** True when the view is on screen. */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  /** The model the webview last confirmed it drew. */
  lastRendered(): Rendered<ViewModels[K]> | undefined {
    return this.rendered;
  }

  /** The model last posted, drawn or not. */
  lastPosted(): ViewModels[K] | undefined {
    return this.latest?.model;
  }

  /** Called from `resolveWebviewView`. */
  attach(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    view.webview.html = webviewHtml(
      this.kind,
      view.webview.cspSource,
      view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'sidebar.js')).toString(),
      view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'sidebar.css')).toString(),
      createNonce(),
    );
    const subscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidChangeVisibility(() => {
        if (view.visible) this.visibleEmitter.fire();
      }),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach((d) => d.dispose());
      if (this.view === view) this.view = undefined;
    });
    this.visibleEmitter.fire();
  }

  /** Sends a new model; a hidden or not yet loaded webview gets it when it says it is ready. */
  post(model: ViewModels[K]): void {
    // Models are built from the map, the context source and file names: no string reaches the page with characters
    // that reorder or hide text, whichever path it took.
    this.latest = { seq: ++this.seq, model: neutralizeStrings(model) };
    this.send();
  }

  private send(): void {
    if (!this.view || !this.latest) return;
    const message = (this.kind === 'context'
      ? { method: 'context/didChange', params: this.latest }
      : { method: 'explore/didChange', params: this.latest }) as HostMessage;
    this.view.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.log.debug(`sidebar: model not delivered view=${this.kind} seq=${this.latest?.seq} (webview hidden; resent when visible)`);
      },
      (error: unknown) => this.log.warn(`sidebar: postMessage failed view=${this.kind} error=${String(error)}`),
    );
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`sidebar: dropped message from webview view=${this.kind} ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    switch (message.method) {
      case 'webview/ready':
        this.send();
        return;
      case 'webview/didRender': {
        const { seq, testIds } = message.params;
        if (this.latest && seq === this.latest.seq) {
          this.rendered = { seq, model: this.latest.model, testIds };
          this.renderEmitter.fire(this.rendered);
        }
        return;
      }
      case 'webview/didFail':
        this.log.error(`sidebar: webview problem view=${message.params.view} ${message.params.message}`);
        return;
      default:
        this.onMessage(message);
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
