// Words for map problems: which part of the map a problem is about, what a value is, which key was meant.
import type { YAMLError } from 'yaml';
import { mapFeatureSchema, mapFileSchema, mapLinkSchema } from '../shared/mapSchema';

type Path = readonly PropertyKey[];

function featureLabel(data: unknown, index: number): string {
  const feature = Array.isArray((data as { features?: unknown })?.features)
    ? (data as { features: unknown[] }).features[index]
    : undefined;
  const id = (feature as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id !== '' ? `feature "${id}"` : `feature #${index + 1}`;
}

/** Names the part of the map a path points at: `"version"`, `feature "checkout" › paths[1]`, `unmapped[0]`. */
export function describeLocation(path: Path, data: unknown): string {
  if (path.length === 0) return 'the map';
  let text = '';
  let i = 0;
  if (path[0] === 'features' && typeof path[1] === 'number') {
    text = featureLabel(data, path[1]);
    i = 2;
    if (i < path.length) text += ' › ';
  }
  let first = true;
  for (; i < path.length; i++) {
    const key = path[i];
    if (typeof key === 'number') text += `[${key}]`;
    else text += first ? String(key) : `.${String(key)}`;
    first = false;
  }
  return i === 1 && path.length === 1 ? `"${text}"` : text;
}

/** Says what a value is, for `expected a list, got …`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

const expectedText: Record<string, string> = {
  string: 'a string',
  array: 'a list',
  object: 'a mapping (key: value)',
  number: 'a number',
  boolean: 'true or false',
};

/** The message for a value of the wrong type. */
export function wrongTypeMessage(expected: string, value: unknown): string {
  if (value === null) return 'is empty; give it a value or remove the key';
  const wanted = expectedText[expected] ?? expected;
  let message = `expected ${wanted}, got ${describeValue(value)}`;
  if (expected === 'array' && typeof value === 'string') message += `; write it as a list: [${JSON.stringify(value)}]`;
  return message;
}

/** The keys allowed in the mapping a path points at. */
export function knownKeysAt(path: Path): string[] {
  if (path.length === 0) return Object.keys(mapFileSchema.shape);
  if (path.length === 2 && path[0] === 'features') return Object.keys(mapFeatureSchema.shape);
  if (path.length === 4 && path[2] === 'links') return Object.keys(mapLinkSchema.shape);
  return [];
}

/** Optimal string alignment distance: Levenshtein plus swapped neighbours (`pahts` → `paths` is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest known key to an unknown one, if it is close enough to be a typo. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const key of known) {
    const distance = key.toLowerCase() === lower ? 0 : editDistance(lower, key.toLowerCase());
    if (distance < bestDistance) {
      best = key;
      bestDistance = distance;
    }
  }
  const limit = unknown.length <= 3 ? 1 : unknown.length <= 6 ? 2 : 3;
  return bestDistance <= limit ? best : undefined;
}

/** The message for a key the map does not know, with the key that was probably meant. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = suggestKey(key, known);
  if (suggestion) return `unknown key "${key}" (did you mean "${suggestion}"?)`;
  return `unknown key "${key}"; known keys are ${known.filter((k) => k !== '$schema').join(', ')}`;
}

/** A YAML syntax error in words a map author can act on. */
export function yamlErrorMessage(error: YAMLError, text: string, language: 'YAML' | 'JSON' = 'YAML'): string {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return 'a map file holds one YAML document; remove the "---" line and merge the documents';
    case 'DUPLICATE_KEY': {
      const line = text.slice(error.pos[0]).split('\n')[0];
      const key = (/^\s*("[^"]*"|'[^']*'|[^:#]*?)\s*:/.exec(line)?.[1] ?? '').replace(/^["']|["']$/g, '');
      return `key ${key ? `"${key}" ` : ''}appears twice in the same mapping; keep one`;
    }
    case 'TAB_AS_INDENT':
      return 'YAML is indented with spaces, not tabs; replace the tab';
    default:
      return `invalid ${language}: ${error.message.replace(/\s+at line \d+, column \d+[\s\S]*$/, '')}`;
  }
}
