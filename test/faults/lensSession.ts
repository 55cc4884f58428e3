// The shipped language server (`customer-lens lsp` of dist/cli/customerLens.js) as a real child process over stdio,
// with what the fault cases ask of it: hovers, CodeLens, the file context behind the status bar and the sidebar,
// Refresh, and what the process itself shows (alive, peak memory, log lines, unhandled rejections).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FeatureListRequest, FileContextRequest, RefreshRequest, type FeatureSummary, type FileContextResult } from '../../src/shared/lspProtocol';
import { TestLspClient, uriOf, type StartOptions } from '../unit/support/lspTestClient';

export interface TimedHover {
  ms: number;
  /** The card's markdown; empty when there was no hover. */
  markdown: string;
}

export class LensSession {
  private constructor(readonly client: TestLspClient) {}

  static async start(options: Omit<StartOptions, 'entry'>): Promise<LensSession> {
    return new LensSession(await TestLspClient.start({ ...options, entry: 'dist' }));
  }

  /** Opens a file (once) and returns its uri. */
  private readonly opened = new Set<string>();
  open(file: string, languageId = 'typescript'): string {
    const uri = uriOf(file);
    if (!this.opened.has(uri)) {
      this.client.open(file, languageId);
      this.opened.add(uri);
    }
    return uri;
  }

  /** Hovers `needle` (plus `offset` characters) in `file`, timing the answer. */
  async hover(file: string, needle: string, offset = 1): Promise<TimedHover> {
    const uri = this.open(file);
    const position = TestLspClient.positionOf(file, needle, offset);
    const started = performance.now();
    const hover = await this.client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position });
    return { ms: performance.now() - started, markdown: hover?.contents.value ?? '' };
  }

  /** The CodeLens titles of `file`. */
  async codeLensTitles(file: string): Promise<string[]> {
    const uri = this.open(file);
    const lenses = await this.client.request<{ command?: { title: string } }[] | null>('textDocument/codeLens', { textDocument: { uri } });
    return (lenses ?? []).map((lens) => lens.command?.title ?? '');
  }

  /** What the status bar and the Context view are drawn from. */
  fileContext(file: string): Promise<FileContextResult> {
    return this.client.request<FileContextResult>(FileContextRequest.method, { uri: uriOf(file) });
  }

  /** What the Feature Map and Explore are drawn from. */
  features(): Promise<FeatureSummary[]> {
    return this.client.request<FeatureSummary[]>(FeatureListRequest.method);
  }

  /** Customer Lens: Refresh; resolves once every source was asked again. */
  refresh(): Promise<void> {
    return this.client.request<void>(RefreshRequest.method);
  }

  get logs(): readonly string[] {
    return this.client.logs;
  }

  get alive(): boolean {
    return this.client.alive;
  }

  /** Unhandled rejections the server logged, and anything it wrote to stderr. */
  troubles(): string[] {
    return [...this.client.logs.filter((line) => line.startsWith('unhandled rejection')), ...this.client.stderr.filter((text) => text.trim() !== '')];
  }

  /** The server process's peak resident memory so far, in MB (Linux). */
  peakMemoryMb(): number {
    const status = fs.readFileSync(path.join('/proc', String(this.client.pid), 'status'), 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
    return Math.round(kb / 1024);
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}

/** Waits `ms` between two user gestures (hovers paced like a user moving the mouse); not a wait for an event. */
export function pace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
