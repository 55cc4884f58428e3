// The paths a unified diff touches (`git diff`, `git show`, a patch file): both sides of a rename, a deleted file's
// old path, a new file's new path. Paths are as the diff writes them, without git's `a/` and `b/` prefixes.

/** Git quotes a path with special characters as a C string: `"dir/caf\303\251 \"x\".ts"`. */
function unquote(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      bytes.push(parseInt(octal, 8));
      i += octal.length;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of a `---`/`+++` line's value: unquoted, git's `a/`/`b/` prefix (when `prefixed`) and a trailing timestamp removed. */
function sidePath(value: string, prefixed = true): string | undefined {
  let raw = value.replace(/\r$/, '');
  if (!raw.startsWith('"')) raw = raw.split('\t')[0]!.trimEnd();
  const unquoted = unquote(raw);
  if (unquoted === '/dev/null' || unquoted === '') return undefined;
  return prefixed ? unquoted.replace(/^[ab]\//, '') : unquoted;
}

/** The two paths of `diff --git a/x b/y` when they can be told apart (quoted, or the same path twice). */
function gitHeaderPaths(rest: string): string[] {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (rest.includes('"') && quoted) return [sidePath(quoted[1]!), sidePath(quoted[2]!)].filter((p): p is string => p !== undefined);
  // Unquoted paths may hold spaces: `a/x y b/x y` splits in the middle when both halves are the same path.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ') {
    const a = rest.slice(0, half).replace(/^a\//, '');
    const b = rest.slice(half + 1).replace(/^b\//, '');
    if (a === b) return [a];
  }
  return [];
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;
const HEADERS = ['rename from ', 'rename to ', 'copy from ', 'copy to '];

/**
 * Every path a unified diff touches, in the order they first appear, each once. Hunk lengths are counted, so a
 * removed line that reads `--- x` is never taken for a file header. Text that holds no diff gives an empty list.
 */
export function pathsOfDiff(diff: string): string[] {
  const paths: string[] = [];
  const add = (p: string | undefined) => {
    if (p !== undefined && p !== '' && !paths.includes(p)) paths.push(p);
  };
  let oldLeft = 0;
  let newLeft = 0;
  for (const raw of diff.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      const kind = line[0];
      if (kind === '-') oldLeft--;
      else if (kind === '+') newLeft--;
      else {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      continue;
    }
    if (line.startsWith('diff --git ')) {
      gitHeaderPaths(line.slice('diff --git '.length)).forEach(add);
      continue;
    }
    if (line.startsWith('--- ') || line.startsWith('+++ ')) {
      add(sidePath(line.slice(4)));
      continue;
    }
    const header = HEADERS.find((h) => line.startsWith(h));
    if (header) add(sidePath(line.slice(header.length), false));
  }
  return paths;
}
