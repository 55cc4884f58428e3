// The compiled map: answers "which patterns match this path" without scanning every pattern.
//
// Patterns are filed where a path can only reach them:
// - a segment trie keyed by the pattern's literal prefix (`/src/checkout/` sits at src → checkout; the map folder of
//   a nested map is part of that prefix), checked for the paths that walk through that node;
// - a hash of literal names for `name` and `**/name` (keyed by the name, checked when a path has that segment);
// - a hash of file-name suffixes for `*.ext`-like patterns, keyed by the suffix from its first dot (`.payment.ts`),
//   looked up once per dot of the file name;
// - what is left (`*test*`, `/*/x`, `**/a/b`) sits at the trie node of its literal prefix, usually the map folder.
// Every candidate is then confirmed with the full pattern, so the index only prunes and can never change an answer.
import * as path from 'node:path';
import type { FeatureMatch, MapFeature, MapPattern, PathExplanation, WorkspaceMap } from '../shared/mapModel';
import { SCHEMA_FILE_NAME } from './mapFile';
import { compilePattern, folderSegments, patternMatches, type CompiledPattern } from './pattern';

/** One pattern in the index, with what it belongs to and its rank in file order. */
export interface IndexedPattern {
  source: MapPattern;
  compiled: CompiledPattern;
  /** Index of the feature in `WorkspaceMap.features`; -1 for `unmapped` patterns. */
  feature: number;
  /** Position in file order across all map files (outer map files first): a higher rank comes later. */
  rank: number;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  patterns: IndexedPattern[];
}

function newNode(): TrieNode {
  return { children: new Map(), patterns: [] };
}

/** A path split for matching; `isDir` when it ended with `/`; `outside` when it leaves the root. */
export interface SplitPath {
  segments: string[];
  isDir: boolean;
  outside: boolean;
  /** The normalized path, `/`-separated, with a trailing `/` for folders. */
  text: string;
}

/** Normalizes a root-relative path (`./a\\b`, `/a//b`) and splits it into segments. */
export function splitPath(relativePath: string): SplitPath {
  const slashed = relativePath.replace(/\\/g, '/');
  const isDir = slashed.endsWith('/');
  const segments: string[] = [];
  let outside = false;
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) outside = true;
      else segments.pop();
      continue;
    }
    segments.push(segment);
  }
  const text = segments.join('/') + (isDir && segments.length > 0 ? '/' : '');
  return { segments, isDir: isDir || segments.length === 0, outside, text };
}


/** The patterns of a workspace map, indexed. Build once per map; queries are cheap. */
export class PatternIndex {
  private readonly trie = newNode();
  private readonly byName = new Map<string, IndexedPattern[]>();
  private readonly bySuffix = new Map<string, IndexedPattern[]>();
  readonly patterns: readonly IndexedPattern[];

  constructor(patterns: readonly IndexedPattern[]) {
    this.patterns = patterns;
    for (const entry of patterns) this.add(entry);
  }

  private add(entry: IndexedPattern): void {
    const { segments, literalPrefix, dirOnly, tail } = entry.compiled;
    // `prefix/**/name` or `prefix/**/*suffix`: index by the last name instead of walking the trie.
    if (tail) {
      const last = segments[segments.length - 1];
      if (last.kind === 'literal') {
        push(this.byName, last.text, entry);
        return;
      }
      if (last.kind === 'glob' && !dirOnly && /^\*[^*?]*\.[^*?]*$/.test(last.text)) {
        push(this.bySuffix, last.text.slice(last.text.indexOf('.')), entry);
        return;
      }
    }
    let node = this.trie;
    for (let i = 0; i < literalPrefix; i++) {
      const text = (segments[i] as { text: string }).text;
      let child = node.children.get(text);
      if (!child) node.children.set(text, (child = newNode()));
      node = child;
    }
    node.patterns.push(entry);
  }

  /** Every pattern (paths, excludes and unmapped) matching the path, in no particular order. */
  match(path: SplitPath): IndexedPattern[] {
    const found: IndexedPattern[] = [];
    if (path.outside) return found;
    const { segments, isDir } = path;
    let node: TrieNode | undefined = this.trie;
    for (let depth = 0; node; depth++) {
      for (const entry of node.patterns) {
        if (patternMatches(entry.compiled, segments, isDir, depth)) found.push(entry);
      }
      node = depth < segments.length ? node.children.get(segments[depth]) : undefined;
    }
    if (this.byName.size > 0) {
      for (const segment of segments) {
        const candidates = this.byName.get(segment);
        if (candidates) for (const entry of candidates) confirm(entry, path, found);
      }
    }
    if (!isDir && segments.length > 0 && this.bySuffix.size > 0) {
      const name = segments[segments.length - 1];
      for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        const candidates = this.bySuffix.get(name.slice(dot));
        if (candidates) for (const entry of candidates) if (patternMatches(entry.compiled, segments, false)) found.push(entry);
      }
    }
    return found;
  }
}

function confirm(entry: IndexedPattern, path: SplitPath, found: IndexedPattern[]): void {
  // A name can occur twice in one path (src/a/src/b.ts); report the pattern once.
  if (patternMatches(entry.compiled, path.segments, path.isDir) && !found.includes(entry)) found.push(entry);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Builds the index of a workspace map's patterns. The rank follows the order of `mapFiles` (outermost first), then
 * the position of the pattern in its file.
 */
export function indexPatterns(
  root: string,
  mapFiles: readonly string[],
  features: readonly MapFeature[],
  unmapped: readonly MapPattern[],
): PatternIndex {
  const entries: IndexedPattern[] = [];
  const bases = new Map<string, string[]>();
  const baseOf = (mapFile: string) => {
    let base = bases.get(mapFile);
    if (!base) {
      base = folderSegments(path.relative(root, path.dirname(mapFile)).split(path.sep).join('/'));
      bases.set(mapFile, base);
    }
    return base;
  };
  const add = (source: MapPattern, feature: number) =>
    entries.push({ source, feature, rank: 0, compiled: compilePattern(source.pattern, baseOf(source.mapFile)) });
  features.forEach((feature, index) => {
    for (const p of feature.paths) add(p, index);
    for (const p of feature.exclude) add(p, index);
  });
  for (const p of unmapped) add(p, -1);
  const fileOrder = new Map(mapFiles.map((file, i) => [file, i]));
  const sorted = [...entries].sort(
    (a, b) =>
      (fileOrder.get(a.source.mapFile) ?? 0) - (fileOrder.get(b.source.mapFile) ?? 0) ||
      a.source.range.start.line - b.source.range.start.line ||
      a.source.range.start.column - b.source.range.start.column,
  );
  sorted.forEach((entry, rank) => (entry.rank = rank));
  return new PatternIndex(entries);
}

/** Turns the matching patterns of one path into its explanation: features (primary first), and whether it is ignored. */
export function explainMatches(
  path: SplitPath,
  matches: readonly IndexedPattern[],
  features: readonly MapFeature[],
): PathExplanation {
  const best = new Map<number, IndexedPattern>();
  const excluded = new Set<number>();
  let ignoredBy: IndexedPattern | undefined;
  for (const m of matches) {
    if (m.feature < 0) {
      if (!ignoredBy || m.rank > ignoredBy.rank) ignoredBy = m;
    } else if (m.source.kind === 'exclude') {
      excluded.add(m.feature);
    } else {
      const current = best.get(m.feature);
      if (!current || m.rank > current.rank) best.set(m.feature, m);
    }
  }
  const winners = [...best.entries()].filter(([feature]) => !excluded.has(feature));
  let primary = -1;
  let primaryRank = -1;
  for (const [feature, m] of winners) {
    if (m.rank > primaryRank) {
      primary = feature;
      primaryRank = m.rank;
    }
  }
  winners.sort(([a], [b]) => (a === primary ? -1 : b === primary ? 1 : a - b));
  const result: FeatureMatch[] = winners.map(([feature, m]) => ({
    featureId: features[feature].id,
    primary: feature === primary,
    pattern: m.source.pattern,
    mapFile: m.source.mapFile,
    line: m.source.range.start.line,
  }));
  const explanation: PathExplanation = { path: path.text, features: result, ignored: ignoredBy !== undefined };
  if (ignoredBy) {
    explanation.ignoredBy = { pattern: ignoredBy.source.pattern, mapFile: ignoredBy.source.mapFile, line: ignoredBy.source.range.start.line };
  }
  return explanation;
}

type OwnFile = NonNullable<PathExplanation['partOfMap']>;
const ownFilesOf = new WeakMap<WorkspaceMap, Map<string, OwnFile>>();

/**
 * The map's own files inside the root, by root-relative path: its map files, the context files they name and the
 * schema copies next to them.
 */
function ownFiles(map: WorkspaceMap): Map<string, OwnFile> {
  let own = ownFilesOf.get(map);
  if (!own) {
    own = new Map();
    const add = (file: string, kind: OwnFile) => {
      const relative = path.relative(map.root, file);
      if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) own?.set(relative.split(path.sep).join('/'), kind);
    };
    for (const file of map.contextFiles) add(file, 'context file');
    for (const file of map.mapFiles) {
      add(file, 'map file');
      add(path.join(path.dirname(file), SCHEMA_FILE_NAME), 'schema file');
    }
    ownFilesOf.set(map, own);
  }
  return own;
}

/**
 * The explanation of a path that no feature claims and no `unmapped` pattern ignores, when it is one of the map's own
 * files: they belong to the map, so they count as covered without anyone listing them under `unmapped`.
 */
export function withPartOfMap(map: WorkspaceMap, explanation: PathExplanation): PathExplanation {
  if (explanation.features.length > 0 || explanation.ignored) return explanation;
  const kind = ownFiles(map).get(explanation.path);
  return kind ? { ...explanation, ignored: true, partOfMap: kind } : explanation;
}

const indexes = new WeakMap<WorkspaceMap, PatternIndex>();

/** Remembers the index built for a map, so coverage and explain share it. */
export function rememberIndex(map: WorkspaceMap, index: PatternIndex): void {
  indexes.set(map, index);
}

/** The index of a map: the one built with it, or a new one for a map built elsewhere. */
export function indexOf(map: WorkspaceMap): PatternIndex {
  let index = indexes.get(map);
  if (!index) {
    index = indexPatterns(map.root, map.mapFiles, map.features, map.unmapped);
    indexes.set(map, index);
  }
  return index;
}
