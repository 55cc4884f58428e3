// Small edits to a map file's text that leave every comment, blank line and quote style as the author wrote them:
// text is inserted at positions found with the YAML parser, never re-serialized.
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { patternSyntaxProblem } from '../shared/mapSchema';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  if (end < 0) return text.length;
  return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
}

/** The file's own line break, so an edit does not mix `\r\n` and `\n`. */
function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function quote(value: string, json: boolean, like?: Node): string {
  if (!json && isScalar(like)) {
    if (like.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
    if (like.type === 'PLAIN' && /^[\w/.][\w/.@-]*$/.test(value)) return value;
  }
  return JSON.stringify(value);
}

function insert(text: string, offset: number, addition: string): string {
  return text.slice(0, offset) + addition + text.slice(offset);
}

function findFeature(text: string, mapFilePath: string, featureId: string): YAMLMap {
  const doc = parseDocument(text, { logLevel: 'error' });
  if (doc.errors.length > 0) throw new Error(`${mapFilePath} has syntax errors; fix them before editing it`);
  const features = doc.get('features', true);
  if (isSeq(features)) {
    for (const item of features.items) {
      if (isMap(item) && item.get('id') === featureId) return item;
    }
  }
  throw new Error(`${mapFilePath} declares no feature "${featureId}"`);
}

/** Appends an item to a flow (`[a, b]`) or block (`- a`) sequence. */
function appendToSequence(text: string, seq: Node & { items: unknown[]; flow?: boolean }, value: string, json: boolean): string {
  const items = seq.items.filter((i): i is Node => isScalar(i) || isMap(i) || isSeq(i));
  const last = items[items.length - 1];
  const range = seq.range as [number, number, number];
  if (seq.flow || json) {
    if (!last?.range) {
      const open = text.indexOf('[', range[0]);
      return insert(text, open + 1, quote(value, json));
    }
    const end = last.range[1];
    const multiline = text.slice(range[0], last.range[0]).includes('\n');
    const indent = text.slice(lineStart(text, last.range[0]), last.range[0]);
    return insert(text, end, multiline ? `,${eol(text)}${indent}${quote(value, json, last)}` : `, ${quote(value, json, last)}`);
  }
  const start = last.range as [number, number, number];
  const prefix = text.slice(lineStart(text, start[0]), start[0]);
  const marker = /^\s*-\s+$/.test(prefix) ? prefix : `${' '.repeat(Math.max(0, prefix.search(/\S/)))}- `;
  return insert(text, lineEnd(text, start[1]), `${eol(text)}${marker}${quote(value, json, last)}`);
}

/** Adds a `paths` (or another list) key to a feature mapping that has none. */
function addPathsKey(text: string, feature: YAMLMap, value: string, json: boolean, name = 'paths'): string {
  const pairs = feature.items.filter((p): p is Pair<Node, Node> => isPair(p) && isScalar(p.key));
  const last = pairs[pairs.length - 1];
  const key = json ? `"${name}"` : name;
  const entry = `${key}: [${JSON.stringify(value)}]`;
  const valueEnd = (last.value?.range ?? (last.key.range as [number, number, number]))[1];
  const firstKey = pairs[0].key.range as [number, number, number];
  if (feature.flow || json) {
    const multiline = text.slice((feature.range as [number, number, number])[0], firstKey[0]).includes('\n');
    const indent = text.slice(lineStart(text, firstKey[0]), firstKey[0]);
    return insert(text, valueEnd, multiline ? `,${eol(text)}${indent}${entry}` : `, ${entry}`);
  }
  const column = firstKey[0] - lineStart(text, firstKey[0]);
  return insert(text, lineEnd(text, Math.max(valueEnd - 1, firstKey[0])), `${eol(text)}${' '.repeat(column)}${entry}`);
}

/**
 * Adds `pattern` to the `paths` of feature `featureId` in a map file's text and returns the new text. Comments,
 * blank lines, ordering and quoting are kept; the pattern takes the quote style of its neighbours. Returns the text
 * unchanged when the feature already lists the pattern. Throws with a message naming the file when the text has
 * syntax errors, the feature does not exist, or the pattern is invalid.
 */
export function addPatternToFeature(mapText: string, mapFilePath: string, featureId: string, pattern: string): string {
  const problem = patternSyntaxProblem(pattern);
  if (problem) throw new Error(`cannot add to ${mapFilePath}: ${problem}`);
  const json = mapFilePath.endsWith('.json');
  const feature = findFeature(mapText, mapFilePath, featureId);
  const paths = feature.get('paths', true) as Node | undefined;
  let edited: string;
  if (paths === undefined) {
    edited = addPathsKey(mapText, feature, pattern, json);
  } else if (isSeq(paths)) {
    if (paths.items.some((i) => isScalar(i) && i.value === pattern)) return mapText;
    edited = appendToSequence(mapText, paths, pattern, json);
  } else {
    throw new Error(`${mapFilePath}: the "paths" of feature "${featureId}" is not a list; make it one (e.g. paths: ["/src/"]) first`);
  }
  // The edit is positional; prove it produced what was asked before handing it out.
  const check = findFeature(edited, mapFilePath, featureId).get('paths');
  const written = isSeq(check) ? check.items.map((i) => (isScalar(i) ? i.value : undefined)) : [];
  if (!written.includes(pattern) || (json && !isValidJson(edited))) {
    throw new Error(`could not add "${pattern}" to feature "${featureId}" in ${mapFilePath} without changing its layout; add it by hand`);
  }
  return edited;
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    // Reported by the caller as a failed edit.
    return false;
  }
}

/**
 * The anchored pattern for one path, as "Add to feature…" writes it: `/src/checkout/cart.ts`, or `/src/checkout/`
 * for a folder. Throws when the path is not inside the map file's folder.
 */
export function patternForPath(mapDir: string, absolutePath: string, isDirectory: boolean): string {
  const relative = path.relative(mapDir, absolutePath).split(path.sep).join('/');
  if (relative === '') return '/';
  if (relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) {
    throw new Error(`${absolutePath} is not inside ${mapDir}, the folder of the map file`);
  }
  const pattern = `/${relative}${isDirectory ? '/' : ''}`;
  const problem = patternSyntaxProblem(pattern);
  if (problem) throw new Error(problem);
  return pattern;
}

/** The value a YAML or JSON scalar's source text stands for; undefined for what is not a simple scalar. */
function scalarValue(source: string): string | undefined {
  if (source.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(source);
      return typeof value === 'string' ? value : undefined;
    } catch {
      // A YAML escape JSON does not know: not a scalar a fix should touch.
      return undefined;
    }
  }
  if (source.startsWith("'")) return source.length >= 2 && source.endsWith("'") ? source.slice(1, -1).replace(/''/g, "'") : undefined;
  return /^[^\s"'[\]{},#&*!|>%@`][^\n]*$/.test(source) ? source.trimEnd() : undefined;
}

/**
 * The text that replaces a scalar whose source is `current` (`pahts`, `"/src/"`, `'x'`) by `newValue` in the same
 * quoting style, or undefined when `current` no longer stands for `oldValue`. A plain YAML scalar stays plain when the
 * new value can be written plain, and is double-quoted otherwise.
 */
export function scalarReplacement(current: string, oldValue: string, newValue: string, json: boolean): string | undefined {
  if (scalarValue(current) !== oldValue) return undefined;
  if (current.startsWith("'")) return `'${newValue.replace(/'/g, "''")}'`;
  if (current.startsWith('"') || json) return JSON.stringify(newValue);
  return /^[\w/.][\w/.@*?-]*$/.test(newValue) ? newValue : JSON.stringify(newValue);
}

/** Removes one item of a flow (`[a, b]`) or block (`- a`) sequence, with its separator or its line. */
function removeFromSequence(text: string, seq: Node & { items: unknown[]; flow?: boolean }, index: number, json: boolean): string {
  const items = seq.items as Node[];
  const item = items[index];
  const range = item.range as [number, number, number];
  if (seq.flow || json) {
    const next = items[index + 1]?.range;
    if (next) return text.slice(0, range[0]) + text.slice(next[0]);
    const previous = items[index - 1]?.range;
    return previous ? text.slice(0, previous[1]) + text.slice(range[1]) : text.slice(0, range[0]) + text.slice(range[1]);
  }
  const start = lineStart(text, range[0]);
  const end = text.indexOf('\n', range[1] - 1);
  return text.slice(0, start) + (end < 0 ? '' : text.slice(end + 1));
}

/**
 * Moves the negated pattern `paths[pathIndex]` (`"!/src/legacy/"`) of the feature at `featureIndex` to that
 * feature's `exclude`, without the `!`: what the negation error asks for. Returns the new text, or undefined when the
 * move cannot be made without changing the layout (the pattern is the feature's only path, the text has syntax errors).
 */
export function movePatternToExclude(mapText: string, mapFilePath: string, featureIndex: number, pathIndex: number): string | undefined {
  const json = mapFilePath.endsWith('.json');
  const locate = (text: string) => {
    const doc = parseDocument(text, { logLevel: 'error' });
    const features = doc.get('features', true);
    const feature = isSeq(features) ? features.items[featureIndex] : undefined;
    if (doc.errors.length > 0 || !isMap(feature)) return undefined;
    return { feature, paths: feature.get('paths', true) as Node | undefined, exclude: feature.get('exclude', true) as Node | undefined };
  };
  const before = locate(mapText);
  if (!before || !isSeq(before.paths) || before.paths.items.length < 2) return undefined;
  const negated = before.paths.items[pathIndex];
  if (!isScalar(negated) || typeof negated.value !== 'string' || !negated.value.startsWith('!')) return undefined;
  const pattern = negated.value.slice(1);
  if (patternSyntaxProblem(pattern)) return undefined;
  // Each step re-reads the document: the addition works on the text as the removal left it.
  let edited = removeFromSequence(mapText, before.paths, pathIndex, json);
  const after = locate(edited);
  if (!after) return undefined;
  if (after.exclude === undefined) edited = addPathsKey(edited, after.feature, pattern, json, 'exclude');
  else if (isSeq(after.exclude)) edited = appendToSequence(edited, after.exclude, pattern, json);
  else return undefined;
  const check = locate(edited);
  const values = (node: Node | undefined) => (isSeq(node) ? node.items.map((i) => (isScalar(i) ? i.value : undefined)) : []);
  if (!check || values(check.paths).includes(negated.value) || !values(check.exclude).includes(pattern) || (json && !isValidJson(edited))) return undefined;
  return edited;
}

/** The smallest replacement that turns `before` into `after`: what changed, with the text around it left alone. */
export function differingSpan(before: string, after: string): { start: number; end: number; newText: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { start, end: before.length - end, newText: after.slice(start, after.length - end) };
}
