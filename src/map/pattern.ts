// Compiles one CODEOWNERS/gitignore-style pattern into segment matchers and answers whether it matches a path.
//
// Every pattern is rebased onto the workspace root: the map file's folder becomes a literal prefix, and a pattern
// that is not anchored (no slash except a trailing one) becomes `**/<name>`. So `*.ts` in packages/web/.customer-lens.yml
// is matched as `packages/web/**/*.ts`. The index in matcher.ts relies on that shape.

/** One folder or file name of a compiled pattern. */
export type PatternSegment =
  | { kind: 'literal'; text: string }
  | { kind: 'glob'; text: string; regex: RegExp }
  | { kind: 'globstar' };

/** A pattern ready to be matched against root-relative paths. */
export interface CompiledPattern {
  /** The pattern's segments, the map folder's segments first. */
  segments: PatternSegment[];
  /** Number of leading literal segments (used as the index key). */
  literalPrefix: number;
  /** Written with a trailing `/`: matches folders (so every file below them), never a file of that name. */
  dirOnly: boolean;
  /**
   * A match on a folder covers everything below it. True for a trailing `/`, a literal last name (`/src/checkout`)
   * and a trailing `**`; false for a wildcard last name (`docs/*`, `*.ts`), which only matches file names (CODEOWNERS'
   * rule: `docs/*` does not match `docs/a/b.md`).
   */
  expandable: boolean;
  /**
   * The pattern is a literal prefix, `**`, and one last name (`*.ts`, `README.md` rebased onto the map folder): the
   * common shape of unanchored patterns, matched without trying every depth.
   */
  tail?: 'glob' | 'literal';
}

/** Splits a root-relative folder into segments (`''` is the root). */
export function folderSegments(folder: string): string[] {
  return folder.split('/').filter((s) => s !== '' && s !== '.');
}

function compileSegment(text: string): PatternSegment {
  if (text === '**') return { kind: 'globstar' };
  if (!/[*?]/.test(text)) return { kind: 'literal', text };
  let source = '^';
  for (const ch of text.replace(/\*+/g, '*')) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return { kind: 'glob', text, regex: new RegExp(`${source}$`) };
}

/**
 * Compiles `pattern` (already checked by `patternSyntaxProblem`) written in a map file whose folder is `base`
 * segments below the root.
 */
export function compilePattern(pattern: string, base: readonly string[]): CompiledPattern {
  const dirOnly = pattern.endsWith('/');
  const body = pattern.replace(/^\//, '').replace(/\/$/, '');
  // gitignore's rule: a slash at the start or in the middle anchors the pattern to the map file's folder.
  const anchored = pattern.startsWith('/') || body.includes('/');
  const own = body === '' ? [] : body.split('/').map(compileSegment);
  const segments: PatternSegment[] = [...base.map((text) => ({ kind: 'literal' as const, text }))];
  if (!anchored) segments.push({ kind: 'globstar' });
  segments.push(...own);
  let literalPrefix = 0;
  while (literalPrefix < segments.length && segments[literalPrefix].kind === 'literal') literalPrefix++;
  const last = own[own.length - 1];
  const expandable = dirOnly || last === undefined || last.kind !== 'glob';
  const compiled: CompiledPattern = { segments, literalPrefix, dirOnly, expandable };
  if (literalPrefix === segments.length - 2 && segments[literalPrefix].kind === 'globstar') {
    const tail = segments[segments.length - 1].kind;
    if (tail === 'literal' || tail === 'glob') compiled.tail = tail;
  }
  return compiled;
}

function segmentMatches(segment: PatternSegment, name: string): boolean {
  if (segment.kind === 'literal') return segment.text === name;
  if (segment.kind === 'glob') return segment.regex.test(name);
  return true;
}

/**
 * Whether `pattern` matches a path given as segments. `isDir` asks about a folder: true when the pattern covers every
 * file below it. `from` skips segments already known to equal the pattern's literal prefix.
 */
export function patternMatches(pattern: CompiledPattern, path: readonly string[], isDir: boolean, from = 0): boolean {
  if (pattern.tail) return matchTail(pattern, path, isDir, from);
  return matchFrom(pattern, from, path, from, isDir);
}

function matchTail(p: CompiledPattern, path: readonly string[], isDir: boolean, from: number): boolean {
  const n = path.length;
  const prefix = p.literalPrefix;
  if (n < prefix) return false;
  for (let i = from; i < prefix; i++) if ((p.segments[i] as { text: string }).text !== path[i]) return false;
  const last = p.segments[p.segments.length - 1];
  if (last.kind === 'glob') {
    // A wildcard last name ends on a file name (or, written with a trailing "/", on a folder with everything below).
    if (!p.dirOnly) return !isDir && n > prefix && last.regex.test(path[n - 1]);
    const end = isDir ? n : n - 1;
    for (let i = prefix; i < end; i++) if (last.regex.test(path[i])) return true;
    return false;
  }
  // A literal last name matches a file of that name, or a folder of that name and everything below it.
  const end = isDir || p.dirOnly ? (isDir ? n : n - 1) : n;
  for (let i = prefix; i < end; i++) if (path[i] === (last as { text: string }).text) return true;
  return false;
}

function matchFrom(p: CompiledPattern, pi: number, path: readonly string[], si: number, isDir: boolean): boolean {
  const n = path.length;
  const segments = p.segments;
  for (;;) {
    if (pi === segments.length) {
      // The pattern consumed path[0..si): a file when si === n (unless it is a folder query), otherwise a folder.
      if (isDir) return si <= n && p.expandable;
      return si === n ? !p.dirOnly : p.expandable;
    }
    const segment = segments[pi];
    if (segment.kind === 'globstar') {
      if (pi === segments.length - 1) {
        // A trailing `**` matches everything below, at least one more name (a trailing `**/` at least one folder).
        if (isDir) return p.dirOnly ? si < n : si <= n;
        return p.dirOnly ? si < n - 1 : si < n;
      }
      for (let k = si; k <= n; k++) if (matchFrom(p, pi + 1, path, k, isDir)) return true;
      return false;
    }
    if (si >= n || !segmentMatches(segment, path[si])) return false;
    pi++;
    si++;
  }
}
