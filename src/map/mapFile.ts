// Parses and validates one map file, keeping the position of everything so problems read `file:line:col`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { core } from 'zod';
import type { MapFeature, MapFix, MapPattern, MapProblem, ProblemSeverity, TextRange } from '../shared/mapModel';
import { fixedPattern, mapFeatureSchema, mapFileSchema, mapPatternSchema, suggestFeatureId } from '../shared/mapSchema';
import { differingSpan, movePatternToExclude } from './mapEdit';
import { describeLocation, knownKeysAt, suggestKey, unknownKeyMessage, wrongTypeMessage, yamlErrorMessage } from './mapMessages';
import { MAX_CONTEXT_FILE_BYTES } from '../shared/contextBounds';
import { excessiveNesting, MAX_NESTING_DEPTH } from '../shared/nestingDepth';
import { displayText } from '../shared/safeText';

/** The names a map file may have, in order of preference when a folder holds more than one. */
export const MAP_FILE_NAMES: readonly string[] = ['.customer-lens.yml', '.customer-lens.yaml', '.customer-lens.json'];

/**
 * The map's JSON Schema as `customer-lens init` and Create Map copy it next to a new map when customer-lens is not
 * installed in the repository, so the `yaml-language-server` comment works offline and in any editor.
 */
export const SCHEMA_FILE_NAME = '.customer-lens.schema.json';
/** Map files larger than this are refused, on disk and in the editor alike: a map is hand-written and small. */
export const MAX_MAP_FILE_BYTES = 1024 * 1024;

/** The most syntax errors (and warnings) reported for one text. */
const MAX_SYNTAX_PROBLEMS = 20;

/** 1-based line and column of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** How long display strings of a map may be: a feature's name, description, owners and link titles. */
const MAP_TEXT_LIMITS = { name: 200, description: 1000, owner: 100, linkTitle: 200 } as const;

/** Whether a `context:` file may be read: its real path, or why not (a problem code and message). */
export type ContextFileVerdict = { file: string } | { code: string; message: string };

/** One map file, parsed and validated. */
export interface ParsedMapFile {
  /** Absolute path of the map file. */
  file: string;
  /** Absolute path of its folder: its patterns are relative to it. */
  dir: string;
  /** The features that validated (an invalid feature entry is left out; the problems say why). */
  features: MapFeature[];
  /** The `unmapped` patterns that validated. */
  unmapped: MapPattern[];
  /** Absolute path of the `context` file, when it names one that exists. */
  contextFile?: string;
  /** Every problem found, errors and warnings. */
  problems: MapProblem[];
  /** True when no problem is an error. */
  valid: boolean;
}

const idRanges = new WeakMap<MapFeature, TextRange>();

/** Where a feature's `id` value is written (its entry's start when unknown). */
export function featureIdRange(feature: MapFeature): TextRange {
  return idRanges.get(feature) ?? feature.range;
}

type Path = readonly PropertyKey[];

class Positions {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  range(start: number, end: number): TextRange {
    const a = this.lines.linePos(start);
    const b = this.lines.linePos(Math.max(start, end));
    return { start: { line: a.line, column: a.col }, end: { line: b.line, column: b.col } };
  }

  ofNode(node: Node | undefined): TextRange | undefined {
    return node?.range ? this.range(node.range[0], node.range[1]) : undefined;
  }

  /** The deepest node on the path that exists (aliases followed). */
  node(p: Path): Node | undefined {
    let node = this.doc.contents as Node | null;
    let found: Node | undefined = node ?? undefined;
    for (const key of p) {
      if (node && isAlias(node)) node = node.resolve(this.doc) ?? null;
      let next: unknown;
      if (isMap(node)) next = node.get(key, true);
      else if (isSeq(node) && typeof key === 'number') next = node.items[key];
      else next = undefined;
      if (next === undefined || next === null || !(next as Node).range) break;
      node = next as Node;
      found = node;
    }
    return found;
  }

  at(p: Path): TextRange {
    return this.ofNode(this.node(p)) ?? this.range(0, 0);
  }

  /** The range of a key inside the mapping at `p` (for unknown keys). */
  key(p: Path, key: string): TextRange {
    let node = this.node(p);
    if (node && isAlias(node)) node = node.resolve(this.doc);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) {
          const range = this.ofNode(pair.key);
          if (range) return range;
        }
      }
    }
    return this.at(p);
  }

  /** The source text of the node at `p` (quotes included), when it exists. */
  textAt(p: Path, source: string): string | undefined {
    const node = this.node(p);
    return node?.range ? source.slice(node.range[0], node.range[1]) : undefined;
  }

  /** The source text of a key inside the mapping at `p`. */
  keyText(p: Path, key: string, source: string): string | undefined {
    let node = this.node(p);
    if (node && isAlias(node)) node = node.resolve(this.doc);
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) return source.slice(pair.key.range[0], pair.key.range[1]);
    }
    return undefined;
  }

  /** A range on the first key of the mapping at `p`, for "missing key" problems. */
  start(p: Path): TextRange {
    const node = this.node(p);
    if (isMap(node) && node.items.length > 0 && isPair(node.items[0]) && isScalar(node.items[0].key)) {
      return this.ofNode(node.items[0].key) ?? this.at(p);
    }
    const range = this.at(p);
    return { start: range.start, end: range.start };
  }
}

function problemCode(issue: core.$ZodIssue, missing: boolean): string {
  if (missing) return 'missing-key';
  if (issue.code === 'unrecognized_keys') return 'unknown-key';
  if (issue.code === 'invalid_type') return 'wrong-type';
  const last = issue.path[issue.path.length - 1];
  if (issue.path.length === 1 && last === 'version') return 'unsupported-version';
  if (issue.code === 'invalid_format' && last === 'id') return 'invalid-id';
  if (issue.code === 'custom' && (issue.params as { rule?: string } | undefined)?.rule) return String(issue.params?.rule);
  return 'invalid-value';
}

function valueAt(data: unknown, p: Path): unknown {
  let value = data;
  for (const key of p) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Generic zod messages, used when the schema does not word one itself. */
function zodMessage(issue: core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return wrongTypeMessage(issue.expected, issue.input);
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must have at least ${issue.minimum} entries`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
}

function jsonSyntaxProblem(error: unknown): { message: string; offset: number } {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  return { message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, offset: at ? Number(at[1]) : 0 };
}

/** The size of `text` in UTF-8 bytes when it is over `max`, else undefined (short texts are not even measured). */
function oversize(text: string, max: number): number | undefined {
  if (text.length * 3 <= max) return undefined;
  const bytes = Buffer.byteLength(text);
  return bytes > max ? bytes : undefined;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The problem for a map over the size limit, wherever its text came from. */
export function mapTooLargeMessage(bytes: number): string {
  return `the map file is ${megabytes(bytes)}; a map is limited to 1 MB: split it into nested map files or remove generated content`;
}

export interface ParseMapOptions {
  /**
   * The workspace folder: a `context` file must lie inside it (after resolving symbolic links). Default: the map
   * file's own folder.
   */
  root?: string;
  /** Decides whether a `context` file may be read. Default: {@link inspectContextFile} on the file system. */
  checkContextFile?: (absPath: string) => ContextFileVerdict;
}

/**
 * Parses and validates a map file's text. Never throws: every problem is reported at once, with its position. A
 * feature or pattern that fails validation is left out of the result, the rest is kept. Text over the 1 MB limit is
 * not parsed at all (an editor may hold far more than the disk check ever let through).
 */
export function parseMapFile(filePath: string, text: string, options: ParseMapOptions = {}): ParsedMapFile {
  const file = path.resolve(filePath);
  const dir = path.dirname(file);
  const result: ParsedMapFile = { file, dir, features: [], unmapped: [], problems: [], valid: true };
  const tooLarge = oversize(text, MAX_MAP_FILE_BYTES);
  if (tooLarge !== undefined) {
    const start = { line: 1, column: 1 };
    result.problems.push({ file, range: { start, end: start }, severity: 'error', code: 'map-too-large', message: mapTooLargeMessage(tooLarge) });
    result.valid = false;
    return result;
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tooDeep = excessiveNesting(source);
  if (tooDeep !== undefined) {
    // The YAML parser would recurse once per level; a map is a handful of levels deep.
    const at = lineColumn(source, tooDeep.offset);
    result.problems.push({
      file,
      range: { start: at, end: at },
      severity: 'error',
      code: 'nesting-too-deep',
      message: `the map nests more than ${MAX_NESTING_DEPTH} levels deep here; a map is a few levels deep (features, a feature, its lists): remove the extra brackets or indentation`,
    });
    result.valid = false;
    return result;
  }
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, logLevel: 'error', uniqueKeys: true });
  const positions = new Positions(doc, lines);
  const report = (range: TextRange, severity: ProblemSeverity, code: string, message: string, fixes?: MapFix[]) => {
    // Messages quote the map; they reach the Problems panel and the terminal (`customer-lens check`).
    result.problems.push({ file, range, severity, code, message: displayText(message, 2000), ...(fixes && fixes.length > 0 ? { fixes } : {}) });
    if (severity === 'error') result.valid = false;
  };

  const language = file.endsWith('.json') ? 'JSON' : 'YAML';
  const syntax = language === 'JSON' ? 'invalid-json' : 'invalid-yaml';
  // A broken text can yield thousands of syntax errors; the first few say what to fix.
  for (const error of doc.errors.slice(0, MAX_SYNTAX_PROBLEMS)) {
    report(positions.range(error.pos[0], error.pos[1]), 'error', syntax, yamlErrorMessage(error, source, language));
  }
  if (doc.errors.length > MAX_SYNTAX_PROBLEMS) {
    const last = doc.errors[MAX_SYNTAX_PROBLEMS]!;
    report(positions.range(last.pos[0], last.pos[1]), 'error', syntax, `${doc.errors.length - MAX_SYNTAX_PROBLEMS} more ${language} errors from here on; fix the ones above first`);
  }
  for (const warning of doc.warnings.slice(0, MAX_SYNTAX_PROBLEMS)) {
    report(positions.range(warning.pos[0], warning.pos[1]), 'warning', 'yaml-warning', yamlErrorMessage(warning, source, language));
  }
  // YAML reads almost all JSON with positions; JSON.parse catches what YAML would let through (comments, quotes).
  if (result.valid && file.endsWith('.json') && source.trim() !== '') {
    try {
      JSON.parse(source);
    } catch (error) {
      const { message, offset } = jsonSyntaxProblem(error);
      report(positions.range(offset, offset + 1), 'error', 'invalid-json', message);
    }
  }
  visit(doc, {
    Alias(_, node) {
      if (!node.resolve(doc)) {
        const hint = node.source.length > 0 ? ` (a value starting with "*" is an alias in YAML; quote patterns: "*${node.source}")` : '';
        const range = positions.ofNode(node) ?? positions.range(0, 0);
        const written = node.range ? source.slice(node.range[0], node.range[1]) : '';
        const fixes: MapFix[] = node.source.length > 0 && written === `*${node.source}` ? [{ title: `Quote it: "*${node.source}"`, edits: [{ range, oldText: written, newText: JSON.stringify(written) }] }] : [];
        report(range, 'error', 'invalid-yaml', `invalid YAML: unknown alias "*${node.source}"${hint}`, fixes);
      }
    },
  });
  if (!result.valid) return result;

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias bomb: point at the first alias, where the expansion starts.
    let at = positions.range(0, 0);
    visit(doc, {
      Alias(_, node) {
        at = positions.ofNode(node) ?? at;
        return visit.BREAK;
      },
    });
    report(at, 'error', 'invalid-yaml', `invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
    return result;
  }
  if (data === null || data === undefined) {
    report(positions.range(0, 0), 'error', 'empty-map', 'the map is empty; start it with "version: 1" and a "features:" list');
    return result;
  }

  const ids = new Set(
    (Array.isArray((data as { features?: unknown }).features) ? ((data as { features: unknown[] }).features) : [])
      .map((f) => (f as { id?: unknown } | null)?.id)
      .filter((id): id is string => typeof id === 'string'),
  );
  const parsed = mapFileSchema.safeParse(data, { error: zodMessage });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const where = describeLocation(issue.path, data);
        for (const key of issue.keys) {
          const range = positions.key(issue.path, key);
          const known = knownKeysAt(issue.path);
          const suggestion = suggestKey(key, known);
          const taken = suggestion !== undefined && valueAt(data, [...issue.path, suggestion]) !== undefined;
          const fixes: MapFix[] = suggestion && !taken ? [{ title: `Change "${key}" to "${suggestion}"`, edits: [{ range, oldValue: key, newValue: suggestion }] }] : [];
          report(range, 'error', 'unknown-key', `${where}: ${unknownKeyMessage(key, known)}`, fixes);
        }
        continue;
      }
      const missing = issue.path.length > 0 && valueAt(data, issue.path) === undefined;
      if (missing) {
        const parent = issue.path.slice(0, -1);
        const key = String(issue.path[issue.path.length - 1]);
        const hint = key === 'version' ? '; add "version: 1" at the top' : '';
        const at = positions.start(parent);
        const fixes: MapFix[] = [];
        if (key === 'version' && parent.length === 0 && language === 'YAML') {
          const lineStart = { line: at.start.line, column: 1 };
          fixes.push({ title: 'Add "version: 1"', edits: [{ range: { start: lineStart, end: lineStart }, oldText: '', newText: `version: 1${source.includes('\r\n') ? '\r\n' : '\n'}` }] });
        }
        report(at, 'error', 'missing-key', `${describeLocation(parent, data)}: missing "${key}"${hint}`, fixes);
        continue;
      }
      report(positions.at(issue.path), 'error', problemCode(issue, false), `${describeLocation(issue.path, data)}: ${issue.message}`, fixesFor(issue, data, positions, source, ids, file));
    }
  }

  const raw = (typeof data === 'object' && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  const pattern = (value: unknown, kind: MapPattern['kind'], p: Path): MapPattern | undefined =>
    mapPatternSchema.safeParse(value).success ? { pattern: value as string, kind, mapFile: file, range: positions.at(p) } : undefined;

  const seen = new Map<string, number>();
  const features = Array.isArray(raw.features) ? raw.features : [];
  features.forEach((entry: unknown, i) => {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id !== '') {
      const first = seen.get(id);
      if (first !== undefined) {
        const line = positions.at(['features', first, 'id']).start.line;
        const range = positions.at(['features', i, 'id']);
        const free = freeId(id, ids);
        ids.add(free);
        const fixes: MapFix[] = [{ title: `Rename this one to "${free}"`, edits: [{ range, oldValue: id, newValue: free }] }];
        report(range, 'error', 'duplicate-id', `duplicate id "${id}": the feature at line ${line} already uses it; ids must be unique`, fixes);
        return;
      }
      seen.set(id, i);
    }
    const checked = mapFeatureSchema.safeParse(entry);
    if (!checked.success) return;
    const f = checked.data;
    const patterns = (list: unknown[] | undefined, key: 'paths' | 'exclude') =>
      (list ?? []).flatMap((value, j) => pattern(value, key === 'paths' ? 'path' : 'exclude', ['features', i, key, j]) ?? []);
    // Names, descriptions, owners and link titles are shown in hovers, the CodeLens, the status bar and the sidebar.
    const feature: MapFeature = {
      id: f.id,
      name: displayText(f.name ?? f.id, MAP_TEXT_LIMITS.name),
      owners: (f.owners ?? []).map((owner) => displayText(owner, MAP_TEXT_LIMITS.owner)),
      paths: patterns(f.paths, 'paths'),
      exclude: patterns(f.exclude, 'exclude'),
      symbols: f.symbols ?? [],
      events: f.events ?? [],
      links: (f.links ?? []).map((link) => ({ ...link, title: displayText(link.title, MAP_TEXT_LIMITS.linkTitle) })),
      mapFile: file,
      range: positions.at(['features', i]),
    };
    if (f.description !== undefined) feature.description = displayText(f.description, MAP_TEXT_LIMITS.description);
    idRanges.set(feature, positions.at(['features', i, 'id']));
    result.features.push(feature);
  });
  if (Array.isArray(raw.unmapped)) {
    result.unmapped = raw.unmapped.flatMap((value: unknown, j) => pattern(value, 'unmapped', ['unmapped', j]) ?? []);
  }

  if (typeof raw.context === 'string' && raw.context !== '') {
    const contextFile = path.resolve(dir, raw.context);
    const root = options.root ?? dir;
    const verdict = (options.checkContextFile ?? ((p: string) => inspectContextFile(p, root)))(contextFile);
    if ('file' in verdict) result.contextFile = verdict.file;
    else report(positions.at(['context']), 'error', verdict.code, `"context": ${verdict.message.replace('$NAME', JSON.stringify(raw.context))}`);
  }
  result.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
  return result;
}

/** The first of `id-2`, `id-3`, ... that `taken` does not hold. */
export function freeId(id: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}

/** Fixes for a validation issue whose message names the fix. */
function fixesFor(issue: core.$ZodIssue, data: unknown, positions: Positions, source: string, ids: ReadonlySet<string>, file: string): MapFix[] {
  const value = valueAt(data, issue.path);
  const range = positions.at(issue.path);
  const written = positions.textAt(issue.path, source);
  if (written === undefined) return [];
  const last = issue.path[issue.path.length - 1];
  // `owners: "@x"` → `owners: ["@x"]` (the message says "write it as a list").
  if (issue.code === 'invalid_type' && issue.expected === 'array' && typeof value === 'string') {
    const list = `[${JSON.stringify(value)}]`;
    return [{ title: `Make it a list: ${list}`, edits: [{ range, oldText: written, newText: list }] }];
  }
  // `version: 2` → `version: 1`.
  if (issue.path.length === 1 && last === 'version' && issue.code !== 'invalid_type') {
    return [{ title: 'Change to 1', edits: [{ range, oldText: written, newText: '1' }] }];
  }
  if (typeof value !== 'string') return [];
  // `id: Checkout` → `id: checkout` (the message gives the example).
  if (last === 'id' && issue.code === 'invalid_format') {
    const suggestion = suggestFeatureId(value);
    if (!suggestion || ids.has(suggestion)) return [];
    return [{ title: `Change the id to "${suggestion}"`, edits: [{ range, oldValue: value, newValue: suggestion }] }];
  }
  // `paths: ["!/src/legacy/"]` → `exclude: ["/src/legacy/"]` (the message says to list it under "exclude").
  if (value.startsWith('!') && issue.path.length === 4 && issue.path[0] === 'features' && issue.path[2] === 'paths') {
    const moved = movePatternToExclude(source, file, Number(issue.path[1]), Number(issue.path[3]));
    if (!moved) return [];
    const span = differingSpan(source, moved);
    const edit = { range: positions.range(span.start, span.end), oldText: source.slice(span.start, span.end), newText: span.newText };
    return [{ title: `Move "${value.slice(1)}" to this feature's "exclude"`, edits: [edit] }];
  }
  // A pattern with a fix its message names: trimmed spaces, "/" for "\\", one "/" for "//", "/" for "./".
  const fixed = issue.code === 'custom' ? fixedPattern(value) : undefined;
  if (fixed) return [{ title: `Change to "${fixed}"`, edits: [{ range, oldValue: value, newValue: fixed }] }];
  return [];
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Whether the file a map's `context:` names may be read, judged on the file system: it must exist, lie inside `root`
 * once symbolic links are resolved (a repository must not make the editor show `/etc/passwd` or a token from the home
 * folder), be a regular file (not a FIFO, a device or a folder) and be at most {@link MAX_CONTEXT_FILE_BYTES}. The
 * verdict's file is the real path, so a later read cannot be sent elsewhere by a link. Messages use `$NAME` for the
 * value as written in the map.
 */
export function inspectContextFile(absPath: string, root: string): ContextFileVerdict {
  let real: string;
  try {
    real = fs.realpathSync(absPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { code: 'missing-context-file', message: `the file $NAME does not exist (looked for ${absPath}); create it or fix the path` };
    return { code: 'unreadable-context-file', message: `the file $NAME cannot be read (${code ?? String(error)}); check it or fix the path` };
  }
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // A root that cannot be resolved is compared as given; nothing inside it resolves anyway.
  }
  if (!isInside(realRoot, real)) {
    return {
      code: 'context-outside-workspace',
      message: `$NAME is outside the workspace folder${real !== absPath ? ` (it leads to ${real})` : ''}; a context file must be inside ${root}: move it there or point an endpoint at its data instead`,
    };
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(real);
  } catch (error) {
    return { code: 'unreadable-context-file', message: `the file $NAME cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check it or fix the path` };
  }
  if (!stat.isFile()) {
    return { code: 'context-not-a-file', message: `$NAME is not a regular file (a folder, a FIFO or a device); name a JSON or YAML file` };
  }
  if (stat.size > MAX_CONTEXT_FILE_BYTES) {
    return {
      code: 'context-too-large',
      message: `$NAME is ${megabytes(stat.size)}; a context file is limited to ${megabytes(MAX_CONTEXT_FILE_BYTES).replace('.0', '')}: keep only what the editor shows, or serve it from an endpoint`,
    };
  }
  return { file: real };
}
