// Compiles one CODEOWNERS/gitignore-style pattern into segment matchers and answers whether it matches a path.
//
// Every pattern is rebased onto the workspace root: the map file's folder becomes a literal prefix, and a pattern
// that is not anchored (no slash except a trailing one) becomes `**/<name>`. So `*.ts` in packages/web/.customer-lens.yml
// is matched as `packages/web/**/*.ts`. The index in matcher.ts relies on that shape.
//
// A map comes with whatever repository is opened, so matching must stay fast for every pattern the validator accepts:
// no regular expressions (`*a*a*a…b` backtracks exponentially in V8), repeated `**` collapsed, and patterns with `**`
// between names matched by a set of states, in time proportional to the path's length times the pattern's.

/** One folder or file name of a compiled pattern. */
export type PatternSegment =
  | { kind: 'literal'; text: string }
  | { kind: 'glob'; text: string; stars?: string[] }
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
  /** Some `**` has more names after it (`**` between `a` and `b`): matched by {@link matchStates}. */
  innerGlobstar: boolean;
}

/** Splits a root-relative folder into segments (`''` is the root). */
export function folderSegments(folder: string): string[] {
  return folder.split('/').filter((s) => s !== '' && s !== '.');
}

function compileSegment(text: string): PatternSegment {
  if (text === '**') return { kind: 'globstar' };
  if (!/[*?]/.test(text)) return { kind: 'literal', text };
  const glob = text.replace(/\*+/g, '*');
  // Without `?` (`*.ts`, `*test*`), the literal runs between the stars are all there is to find.
  return glob.includes('?') ? { kind: 'glob', text: glob } : { kind: 'glob', text: glob, stars: glob.split('*') };
}

/**
 * Whether a name matches a glob made of literal runs and `*` only (`runs` is the glob split at its stars): the first
 * run starts the name, the last ends it, and each run between is found leftmost after the one before, which is
 * always the best choice when only stars lie between them.
 */
function starsMatch(runs: readonly string[], name: string): boolean {
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  const end = name.length - last.length;
  let at = first.length;
  for (let i = 1; i < runs.length - 1; i++) {
    const run = runs[i]!;
    if (run === '') continue;
    const found = name.indexOf(run, at);
    if (found < 0 || found + run.length > end) return false;
    at = found + run.length;
  }
  return true;
}

/**
 * Whether a wildcard name (`*`: any characters, `?`: one) matches `name`. Greedy, and on a mismatch the last `*` takes
 * one character more: at most name × pattern steps, where a regular expression could backtrack exponentially.
 */
export function globMatches(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const ch = glob.charCodeAt(g);
    if (g < glob.length && ch !== 42 /* * */ && (ch === 63 /* ? */ || ch === name.charCodeAt(n))) {
      g++;
      n++;
    } else if (g < glob.length && ch === 42) {
      star = g++;
      resume = n;
    } else if (star >= 0) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob.charCodeAt(g) === 42) g++;
  return g === glob.length;
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
  // `**/**` matches what `**` matches; collapsing repeats keeps `**/` written 400 times from costing 400 states.
  const own = body === '' ? [] : body.split('/').map(compileSegment).filter((segment, i, all) => segment.kind !== 'globstar' || all[i - 1]?.kind !== 'globstar');
  const segments: PatternSegment[] = [...base.map((text) => ({ kind: 'literal' as const, text }))];
  if (!anchored && own[0]?.kind !== 'globstar') segments.push({ kind: 'globstar' });
  segments.push(...own);
  let literalPrefix = 0;
  while (literalPrefix < segments.length && segments[literalPrefix].kind === 'literal') literalPrefix++;
  const last = own[own.length - 1];
  const expandable = dirOnly || last === undefined || last.kind !== 'glob';
  const innerGlobstar = segments.some((segment, i) => segment.kind === 'globstar' && i < segments.length - 1);
  const compiled: CompiledPattern = { segments, literalPrefix, dirOnly, expandable, innerGlobstar };
  if (literalPrefix === segments.length - 2 && segments[literalPrefix].kind === 'globstar') {
    const tail = segments[segments.length - 1].kind;
    if (tail === 'literal' || tail === 'glob') compiled.tail = tail;
  }
  return compiled;
}

function segmentMatches(segment: PatternSegment, name: string): boolean {
  if (segment.kind === 'literal') return segment.text === name;
  if (segment.kind === 'glob') return segment.stars ? starsMatch(segment.stars, name) : globMatches(segment.text, name);
  return true;
}

/**
 * Whether `pattern` matches a path given as segments. `isDir` asks about a folder: true when the pattern covers every
 * file below it. `from` skips segments already known to equal the pattern's literal prefix.
 */
export function patternMatches(pattern: CompiledPattern, path: readonly string[], isDir: boolean, from = 0): boolean {
  if (pattern.tail) return matchTail(pattern, path, isDir, from);
  if (pattern.innerGlobstar) return matchStates(pattern, path, isDir, from);
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
    if (!p.dirOnly) return !isDir && n > prefix && segmentMatches(last, path[n - 1]);
    const end = isDir ? n : n - 1;
    for (let i = prefix; i < end; i++) if (segmentMatches(last, path[i])) return true;
    return false;
  }
  // A literal last name matches a file of that name, or a folder of that name and everything below it.
  const end = isDir || p.dirOnly ? (isDir ? n : n - 1) : n;
  for (let i = prefix; i < end; i++) if (path[i] === (last as { text: string }).text) return true;
  return false;
}

/** Whether the pattern, having consumed `path[0..si)` and all of its segments, accepts the path (or the folder). */
function acceptsAtEnd(p: CompiledPattern, si: number, n: number, isDir: boolean): boolean {
  // A file when si === n (unless it is a folder query), otherwise a folder and everything below it.
  if (isDir) return si <= n && p.expandable;
  return si === n ? !p.dirOnly : p.expandable;
}

/** A trailing `**` matches everything below: at least one more name, or one more folder when written with a `/`. */
function acceptsTrailingGlobstar(p: CompiledPattern, si: number, n: number, isDir: boolean): boolean {
  if (isDir) return p.dirOnly ? si < n : si <= n;
  return p.dirOnly ? si < n - 1 : si < n;
}

/**
 * Matches a pattern with `**` between names by walking the path once and keeping the set of pattern positions that
 * can be reached: each `**` either stays (takes one more name) or is skipped. The same answers as trying every split,
 * in at most path × pattern steps.
 */
function matchStates(p: CompiledPattern, path: readonly string[], isDir: boolean, from: number): boolean {
  const segments = p.segments;
  const m = segments.length;
  const n = path.length;
  let current = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  current[from] = 1;
  for (let si = from; ; si++) {
    let any = false;
    for (let pi = from; pi <= m; pi++) {
      if (!current[pi]) continue;
      any = true;
      if (pi === m) {
        if (acceptsAtEnd(p, si, n, isDir)) return true;
        continue;
      }
      if (segments[pi].kind === 'globstar') {
        if (pi === m - 1) {
          if (acceptsTrailingGlobstar(p, si, n, isDir)) return true;
        } else {
          current[pi + 1] = 1;
        }
      }
    }
    if (!any || si >= n) return false;
    next.fill(0);
    for (let pi = from; pi < m; pi++) {
      if (!current[pi]) continue;
      const segment = segments[pi];
      if (segment.kind === 'globstar') next[pi] = 1;
      else if (segmentMatches(segment, path[si])) next[pi + 1] = 1;
    }
    [current, next] = [next, current];
  }
}

/** Matches a pattern whose only `**` (if any) is its last segment: one pass, name by name. */
function matchFrom(p: CompiledPattern, pi: number, path: readonly string[], si: number, isDir: boolean): boolean {
  const n = path.length;
  const segments = p.segments;
  for (;;) {
    if (pi === segments.length) return acceptsAtEnd(p, si, n, isDir);
    const segment = segments[pi];
    if (segment.kind === 'globstar') return acceptsTrailingGlobstar(p, si, n, isDir);
    if (si >= n || !segmentMatches(segment, path[si])) return false;
    pi++;
    si++;
  }
}
