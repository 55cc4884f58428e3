// A folder's recent git history in one read: every commit of HEAD's history since a date (at most a number of
// commits) with the files it changed under the folder, and the repository's tags. One `git log` for the whole folder,
// however many features its map has: the map assigns the files to features afterwards (src/lens/featureChanges.ts).
import { GitError, runGit, type GitRunOptions } from './gitRunner';

/** One commit, as the log gave it. Subjects and names come from the repository: untrusted text. */
export interface GitCommit {
  hash: string;
  /** The abbreviated hash git chose (unique in this repository). */
  short: string;
  parents: string[];
  /** Committer date, epoch ms: when the change landed on this history (a rebase or squash moves it; the author date does not). */
  date: number;
  authorEmail: string;
  authorName: string;
  subject: string;
  /** Files it changed, relative to the folder read, `/`-separated; empty for a merge. */
  files: string[];
}

/** A tag and the commit it points to (annotated tags peeled). */
export interface GitTag {
  name: string;
  commit: string;
  /** The tagger's date for an annotated tag, the commit's for a lightweight one; epoch ms. */
  date: number;
}

/** What one read found. */
export interface GitHistory {
  /** HEAD's commit when read. */
  head: string;
  /** Newest first. */
  commits: GitCommit[];
  tags: GitTag[];
  /** True when the commit cap cut the period short: the oldest commits of the period were not read. */
  truncated: boolean;
  /** The start of the period read (epoch ms). */
  since: number;
}

/** How much history to read. */
export interface HistoryBounds extends GitRunOptions {
  /** Read commits since this time (epoch ms). */
  since: number;
  /** At most this many commits. */
  maxCommits: number;
  /** Lets other work run between slices of the parse (a language server answering hovers). */
  pause?: () => Promise<void>;
}

const RECORD = '\x1e';
const FIELD = '\x1f';
const FORMAT = `--format=${'%x1e'}%H%x1f%h%x1f%P%x1f%ct%x1f%ae%x1f%an%x1f%s`;
const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** HEAD's commit, or undefined when the folder is in no repository or the repository has no commit yet. */
export async function headCommit(root: string, options: GitRunOptions = {}): Promise<string | undefined> {
  try {
    const head = (await runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD'], { timeoutMs: 10_000, ...options })).trim();
    return HASH.test(head) ? head : undefined;
  } catch (error) {
    if (error instanceof GitError && error.kind === 'failed') return undefined;
    throw error;
  }
}

/** The folder's path inside its repository (`packages/web/`), `''` at the top; undefined outside a repository. */
async function prefixOf(root: string, options: GitRunOptions): Promise<string | undefined> {
  try {
    return (await runGit(root, ['rev-parse', '--show-prefix'], { timeoutMs: 10_000, ...options })).trim();
  } catch (error) {
    if (error instanceof GitError && error.kind === 'failed') return undefined;
    throw error;
  }
}

/** One record of the log (a commit and its files), or undefined when it does not parse (a hostile subject). */
function parseRecord(record: string): GitCommit | undefined {
  const [header = '', ...rest] = record.split('\0');
  const fields = header.split(FIELD);
  const [hash = '', short = '', parents = '', seconds = '', authorEmail = '', authorName = ''] = fields;
  const date = Number(seconds) * 1000;
  if (!HASH.test(hash) || fields.length < 7 || !Number.isFinite(date) || seconds === '') return undefined;
  const files = rest.map((f, i) => (i === 0 ? f.replace(/^\n/, '') : f)).filter((f) => f !== '' && f !== '\n');
  return {
    hash,
    short,
    parents: parents === '' ? [] : parents.split(' '),
    date,
    authorEmail,
    authorName,
    // A subject holding the field separator loses nothing: the rest of the fields are the subject.
    subject: fields.slice(6).join(FIELD),
    files,
  };
}

/** Records parsed between two pauses: a few milliseconds of work. */
const RECORDS_PER_SLICE = 100;

/**
 * Parses `git log -z --name-only` output in FORMAT. Records that do not parse (a hostile subject) are skipped. With
 * `pause`, yields between slices of records, so a long history never holds up a hover.
 */
export async function parseLogInSlices(output: string, pause?: () => Promise<void>): Promise<{ commits: GitCommit[]; skipped: number }> {
  const commits: GitCommit[] = [];
  let skipped = 0;
  const records = output.split(RECORD);
  for (let i = 0; i < records.length; i++) {
    if (pause && i > 0 && i % RECORDS_PER_SLICE === 0) await pause();
    const record = records[i]!;
    if (record === '' || record === '\n') continue;
    const commit = parseRecord(record);
    if (commit) commits.push(commit);
    else skipped++;
  }
  return { commits, skipped };
}

/** Parses `git log -z --name-only` output in FORMAT, at once. */
export function parseLog(output: string): { commits: GitCommit[]; skipped: number } {
  const commits: GitCommit[] = [];
  let skipped = 0;
  for (const record of output.split(RECORD)) {
    if (record === '' || record === '\n') continue;
    const commit = parseRecord(record);
    if (commit) commits.push(commit);
    else skipped++;
  }
  return { commits, skipped };
}

/** True when the repository ignores the folder itself (`git check-ignore` exits 0; 1 means not ignored). */
async function isIgnored(root: string, options: GitRunOptions): Promise<boolean> {
  try {
    await runGit(root, ['check-ignore', '-q', '.'], { timeoutMs: 10_000, ...options, signal: options.signal });
    return true;
  } catch (error) {
    if (error instanceof GitError && error.kind === 'failed') return false;
    throw error;
  }
}

/** Parses `git for-each-ref` output of tags: name NUL object NUL peeled object NUL creator date, one a line. */
export function parseTags(output: string): GitTag[] {
  const tags: GitTag[] = [];
  for (const line of output.split('\n')) {
    const [name, object, peeled, seconds] = line.split('\0');
    const commit = peeled || object;
    if (!name || !commit || !HASH.test(commit)) continue;
    tags.push({ name, commit, date: Number(seconds) * 1000 || 0 });
  }
  return tags;
}

/**
 * Reads the history of HEAD in `root` within `bounds`. Paths are relative to `root`; when `root` is a folder inside
 * a larger repository, only commits that touch it are read (their parents rewritten to the nearest such commit).
 * Rejects with a GitError when `root` is in no repository or git is missing.
 */
export async function readHistory(root: string, bounds: HistoryBounds): Promise<GitHistory> {
  const head = await headCommit(root, bounds);
  if (!head) throw new GitError(`${root} is not in a git repository with commits`, 'failed');
  const prefix = await prefixOf(root, bounds);
  // A copy of a project under a folder its enclosing repository ignores (a build or test folder) has no history of
  // its own: the enclosing repository's commits never touch it.
  if (prefix && (await isIgnored(root, bounds))) throw new GitError(`${root} is in a folder its git repository ignores, so it has no history there`, 'failed');
  const since = Math.floor(bounds.since / 1000);
  const args = ['log', '-z', '--name-only', '--relative', '--parents', '--no-renames', FORMAT, ...(since > 0 ? [`--since=@${since}`] : []), `--max-count=${bounds.maxCommits}`, head];
  // At the top of the repository every commit touches the folder: no pathspec, so no history simplification either.
  if (prefix) args.push('--', '.');
  const [log, tagOutput] = await Promise.all([
    runGit(root, args, bounds),
    runGit(root, ['for-each-ref', '--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)', 'refs/tags'], bounds).catch(() => ''),
  ]);
  const { commits } = await parseLogInSlices(log, bounds.pause);
  return { head, commits, tags: parseTags(tagOutput), truncated: commits.length >= bounds.maxCommits, since: bounds.since };
}
