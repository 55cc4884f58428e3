// The sidebar webviews in a real browser (headless Chromium), outside VS Code: the real bundle and stylesheet served
// from 127.0.0.1 under the production page and CSP. Only `acquireVsCodeApi` is replaced — it exists inside VS Code
// alone — by a stand-in that records what the webview sends, the CSP violations it causes, and whether any script
// other than ours ran (`window.__pwned`).
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { createNonce, webviewHtml } from '../../../src/client/sidebar/webviewPage';
import type { ContextViewModel, ExploreViewModel, HostMessage, WebviewKind, WebviewMessage } from '../../../src/shared/webviewProtocol';
import { launchChromium } from '../../harness/browser';

const REPO = path.resolve(__dirname, '..', '..', '..');

type Rendered = Extract<WebviewMessage, { method: 'webview/didRender' }>;

/** What a page reports about itself after rendering. */
export interface PageEvidence {
  /** `violatedDirective blockedURI` of every CSP violation. */
  violations: string[];
  /** Set when a script other than the webview's own ran. */
  pwned: unknown;
}

/** A server for the webview page and a browser to open it in; `open()` gives a fresh tab. */
export class SidebarPages {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    readonly browser: Browser,
    private readonly outdir: string,
  ) {}

  static async start(): Promise<SidebarPages> {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-webview-'));
    await esbuild.build({
      entryPoints: [path.join(REPO, 'src/webview/sidebar.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      outfile: path.join(outdir, 'sidebar.js'),
      logLevel: 'error',
    });
    const files: Record<string, [string, string]> = {
      '/sidebar.js': [path.join(outdir, 'sidebar.js'), 'text/javascript'],
      '/sidebar.css': [path.join(REPO, 'media', 'sidebar.css'), 'text/css'],
    };
    let origin = '';
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const file = files[url.pathname];
      if (file) {
        res.writeHead(200, { 'content-type': file[1] }).end(fs.readFileSync(file[0]));
        return;
      }
      const kind: WebviewKind = url.searchParams.get('view') === 'explore' ? 'explore' : 'context';
      res.writeHead(200, { 'content-type': 'text/html' }).end(pageWithStandIn(kind, origin));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new SidebarPages(server, origin, await launchChromium(), outdir);
  }

  async open(kind: WebviewKind, viewport = { width: 320, height: 900 }): Promise<SidebarTab> {
    const tab = await this.browser.newPage({ viewport });
    const view = new SidebarTab(tab);
    await tab.goto(`${this.origin}/?view=${kind}`);
    await view.waitForSent((m) => m.method === 'webview/ready');
    return view;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise((resolve) => this.server.close(resolve));
    fs.rmSync(this.outdir, { recursive: true, force: true });
  }
}

/** One open webview page. */
export class SidebarTab {
  private seq = 0;

  constructor(readonly page: Page) {}

  async sent(): Promise<WebviewMessage[]> {
    return this.page.evaluate(() => (window as unknown as { __sent: WebviewMessage[] }).__sent);
  }

  async waitForSent(predicate: (message: WebviewMessage) => boolean): Promise<WebviewMessage> {
    for (;;) {
      // One snapshot both for searching and for counting (see webviewBrowser.test.ts).
      const messages = await this.sent();
      const found = messages.find(predicate);
      if (found) return found;
      await this.page.waitForFunction((count) => (window as unknown as { __sent: unknown[] }).__sent.length > count, messages.length, { timeout: 0 });
    }
  }

  async post(message: HostMessage | unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /** Posts a Context view model and resolves once the page says it rendered it. */
  async showContext(model: ContextViewModel): Promise<Rendered> {
    const current = ++this.seq;
    await this.post({ method: 'context/didChange', params: { seq: current, model } });
    return (await this.waitForSent((m) => m.method === 'webview/didRender' && m.params.seq === current)) as Rendered;
  }

  async showExplore(model: ExploreViewModel): Promise<Rendered> {
    const current = ++this.seq;
    await this.post({ method: 'explore/didChange', params: { seq: current, model } });
    return (await this.waitForSent((m) => m.method === 'webview/didRender' && m.params.seq === current)) as Rendered;
  }

  async evidence(): Promise<PageEvidence> {
    return this.page.evaluate(() => {
      const w = window as unknown as { __violations: string[]; __pwned?: unknown };
      return { violations: [...w.__violations], pwned: w.__pwned };
    });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** The production page, plus a nonce'd stand-in for `acquireVsCodeApi` that records what the webview does. */
export function pageWithStandIn(kind: WebviewKind, origin: string): string {
  const nonce = createNonce();
  const html = webviewHtml(kind, origin, `${origin}/sidebar.js`, `${origin}/sidebar.css`, nonce);
  const standIn = `<script nonce="${nonce}">
    window.__sent = []; window.__violations = []; window.__state = undefined; window.__frameOpened = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    // What VS Code's webview frame does (pre/index.html, handleInnerClick): every click on an <a href> that reaches the
    // window is opened by the workbench too, whether or not the page called preventDefault.
    window.addEventListener('click', (e) => {
      for (const node of e.composedPath()) {
        if (node.tagName && node.tagName.toLowerCase() === 'a' && node.href) { window.__frameOpened.push(node.href); e.preventDefault(); return; }
      }
    });
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__sent.push(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
  </script>`;
  return html.replace('<script ', `${standIn}\n<script `);
}
