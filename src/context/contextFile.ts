// A context file in the repository (JSON or YAML, the shape of a `/v1/context` answer): the embedded default when no
// endpoint is configured, and the data the reference server serves. Reloaded when it changes; a bad edit is reported
// with file:line:col and the last good content stays in use.
import { constants as fsConstants, promises as fs, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isNode, visit, type Document } from 'yaml';
import { MAX_CONTEXT_FILE_BYTES } from '../shared/contextBounds';
import { excessiveNesting, MAX_NESTING_DEPTH } from '../shared/nestingDepth';
import type { Logger } from '../shared/contextModel';
import { displayText } from '../shared/safeText';
import { parseContextResponse, type DocumentPath, type FeatureContext } from '../shared/contextProtocol';

/** The outcome of reading a context file once. */
export type ContextFileRead =
  | { ok: true; features: FeatureContext[]; warnings: string[] }
  | { ok: false; error: string };

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: lines[lines.length - 1]!.length + 1 };
}

/** A locator that names `file:line:col` of the deepest existing node on a path. */
function locator(file: string, doc: Document, counter: LineCounter): (p: DocumentPath) => string {
  return (p) => {
    for (let depth = p.length; depth >= 0; depth--) {
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(p.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const pos = counter.linePos(node.range[0]);
        return `${file}:${pos.line}:${pos.col}`;
      }
    }
    return file;
  };
}

/** Where a JSON syntax error is: from the parser's position when it gives one, else from the YAML parser's view. */
function jsonErrorPlace(file: string, text: string, message: string): string {
  const position = /position (\d+)/.exec(message);
  let offset: number | undefined = position ? Number(position[1]) : undefined;
  if (offset === undefined) {
    const yamlError = parseDocument(text, { prettyErrors: false }).errors[0];
    offset = yamlError?.pos[0] ?? (/end of JSON input/.test(message) ? text.trimEnd().length : undefined);
  }
  // Without a better clue, the text is not JSON from its first character on.
  offset ??= Math.max(0, text.search(/\S/));
  const { line, col } = lineCol(text, offset);
  return `${file}:${line}:${col}`;
}

/** Parses context file text. JSON is read as YAML too (it is a subset), which gives every field a position. */
export function parseContextFileText(file: string, text: string): ContextFileRead {
  const tooDeep = excessiveNesting(text);
  if (tooDeep !== undefined) {
    // The YAML parser recurses once per level; what the protocol sends is a handful of levels deep.
    const { line, col } = lineCol(text, tooDeep.offset);
    return { ok: false, error: `${file}:${line}:${col}: nested more than ${MAX_NESTING_DEPTH} levels deep; a context file is a few levels deep (features, a feature, its lists); fix the file, the last good content stays in use` };
  }
  if (/\.json$/i.test(file)) {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
      return { ok: false, error: `${jsonErrorPlace(file, text, message)}: invalid JSON (${message.replace(/ in JSON at position \d+.*$/, '').slice(0, 120)}); fix the file, the last good content stays in use` };
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = counter.linePos(firstError.pos[0]);
    const where = `${file}:${pos.line}:${pos.col}`;
    return { ok: false, error: `${where}: invalid YAML (${firstError.message.split('\n')[0]}); fix the file, the last good content stays in use` };
  }
  let json: unknown;
  try {
    json = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias bomb: name the first alias, where the expansion starts.
    let where = file;
    visit(doc, {
      Alias(_, node) {
        if (node.range) {
          const pos = counter.linePos(node.range[0]);
          where = `${file}:${pos.line}:${pos.col}`;
        }
        return visit.BREAK;
      },
    });
    return { ok: false, error: `${where}: ${error instanceof Error ? error.message : String(error)}; fix the file, the last good content stays in use` };
  }
  const parsed = parseContextResponse(json, locator(file, doc, counter));
  if (!parsed.ok) return { ok: false, error: `${parsed.error}; a context file looks like {"version": 1, "features": [{"id": "checkout", ...}]}` };
  return { ok: true, features: parsed.value.features, warnings: parsed.warnings };
}

export interface ReadContextFileOptions {
  /** Refuse larger files. Default {@link MAX_CONTEXT_FILE_BYTES}. */
  maxBytes?: number;
  /**
   * The path is the file's real path, as the map's check resolved it: refuse it when a symbolic link now stands
   * anywhere on the way (a checkout can replace a file with a link to one outside the workspace after the check).
   */
  realPathOnly?: boolean;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Reads a context file's text: a regular file only (opened without blocking, so a FIFO cannot hang the reader), up to
 * `maxBytes`. Returns the text or the reason it was refused.
 */
async function readBoundedText(file: string, options: ReadContextFileOptions): Promise<{ text: string } | { error: string }> {
  const maxBytes = options.maxBytes ?? MAX_CONTEXT_FILE_BYTES;
  let handle: fs.FileHandle | undefined;
  try {
    if (options.realPathOnly && (await fs.realpath(file)) !== file) {
      return { error: `${file}: is now reached through a symbolic link; the map's "context" must name a file inside the workspace folder` };
    }
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const stat = await handle.stat();
    if (!stat.isFile()) return { error: `${file}: not a regular file (a folder, a FIFO or a device); name a JSON or YAML file` };
    if (stat.size > maxBytes) {
      return { error: `${file}: ${megabytes(stat.size)}, more than the ${megabytes(maxBytes).replace('.0', '')} limit for a context file; keep only what the editor shows` };
    }
    // The size is checked again while reading: the file may grow after the stat.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { error: `${file}: more than the ${megabytes(maxBytes).replace('.0', '')} limit for a context file; keep only what the editor shows` };
      if (length === buffer.length) break;
    }
    const text = buffer.subarray(0, length).toString('utf8');
    // A byte order mark (editors on Windows write one) is not part of the JSON.
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `${file}: file not found; create it or fix the path that names it` : `${file}: cannot read (${(error as Error).message})` };
  } finally {
    await handle?.close();
  }
}

/** Reads and parses a context file: a regular file of at most `options.maxBytes` (10 MB by default). */
export async function readContextFile(file: string, options: ReadContextFileOptions = {}): Promise<ContextFileRead> {
  const read = await readBoundedText(file, options);
  if ('error' in read) return { ok: false, error: read.error };
  return parseContextFileText(file, read.text);
}

/** What a watched context file currently offers. */
export interface ContextFileState {
  /** The last good content, by feature id (empty until a read succeeds). */
  features: ReadonlyMap<string, FeatureContext>;
  /** Epoch ms of the last successful read. */
  loadedAt?: number;
  /** Set while the file on disk is bad or missing; the last good content is still in `features`. */
  error?: string;
}

export interface ContextFileOptions {
  log: Logger;
  /** Called after the file was reread because it changed (whether the read succeeded or not). */
  onChange?: (changedIds: string[]) => void;
  /** Watch the file's folder for changes (default true). Without a watcher, `check()` compares mtime and size. */
  watch?: boolean;
  now?: () => number;
  /** How long to wait after a change event before rereading, so an editor's save sequence costs one read. */
  debounceMs?: number;
  /** See {@link ReadContextFileOptions.realPathOnly}: set for files a map names (checked and resolved by the map). */
  realPathOnly?: boolean;
}

/** One context file, kept current. */
export class ContextFile {
  private state: ContextFileState = { features: new Map() };
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private stamp = '';
  private reading: Promise<void> | undefined;
  private disposed = false;

  constructor(
    readonly file: string,
    private readonly options: ContextFileOptions,
  ) {}

  /** Reads the file and starts watching it. */
  async start(): Promise<ContextFileState> {
    await this.reload(false);
    if (this.options.watch !== false) this.startWatching();
    return this.state;
  }

  get current(): ContextFileState {
    return this.state;
  }

  /** Rereads the file when its mtime or size changed since the last read (for when watching is unavailable). */
  async check(): Promise<void> {
    if ((await this.readStamp()) !== this.stamp) await this.reload(true);
  }

  /** Rereads the file now. */
  reload(notify = true): Promise<void> {
    // Reads are serialized so an old read never overwrites a newer one.
    const next = (this.reading ?? Promise.resolve()).then(() => this.read(notify));
    this.reading = next;
    return next;
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.debounce) clearTimeout(this.debounce);
  }

  private async readStamp(): Promise<string> {
    try {
      const stat = await fs.stat(this.file);
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return 'missing';
    }
  }

  private async read(notify: boolean): Promise<void> {
    if (this.disposed) return;
    this.stamp = await this.readStamp();
    const result = await readContextFile(this.file, { realPathOnly: this.options.realPathOnly });
    const previous = this.state.features;
    if (!result.ok) {
      // Parser messages quote the file: shown in hovers and the sidebar, they get the same care as its content.
      const error = displayText(result.error, 1000);
      const repeated = this.state.error === error;
      this.state = { ...this.state, error };
      if (!repeated) this.options.log.error(`context file error file=${this.file} ${error}`);
      if (notify && !repeated) this.options.onChange?.([...previous.keys()]);
      return;
    }
    for (const warning of result.warnings) this.options.log.warn(`context file warning file=${this.file} ${warning}`);
    const features = new Map(result.features.map((f) => [f.id, f]));
    this.state = { features, loadedAt: (this.options.now ?? Date.now)() };
    this.options.log.info(`context file loaded file=${this.file} features=${features.size} warnings=${result.warnings.length}`);
    if (notify) {
      const changed = new Set<string>();
      for (const id of new Set([...previous.keys(), ...features.keys()])) {
        if (JSON.stringify(previous.get(id)) !== JSON.stringify(features.get(id))) changed.add(id);
      }
      this.options.onChange?.([...changed]);
    }
  }

  private startWatching(): void {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    try {
      // The folder, not the file: editors save by writing a new file and renaming it over the old one.
      this.watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null && name.toString() !== base) return;
        if (this.debounce) clearTimeout(this.debounce);
        this.debounce = setTimeout(() => {
          this.debounce = undefined;
          void this.check();
        }, this.options.debounceMs ?? 50);
      });
      this.watcher.on('error', (error) => {
        this.options.log.warn(`context file watch stopped file=${this.file} error=${error.message}; changes are picked up on the next lookup`);
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.options.log.warn(`context file not watched file=${this.file} error=${(error as Error).message}; changes are picked up on the next lookup`);
    }
  }

  /** True when changes are noticed by a watcher; otherwise callers should `check()` on access. */
  get watching(): boolean {
    return this.watcher !== undefined;
  }
}
