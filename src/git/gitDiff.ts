// The files a change touches, from git: a branch against its base (what a pull request shows), or the working tree
// (committed on the branch, staged, unstaged and untracked). Paths are relative to the folder asked about, and only
// those inside it; both sides of a rename are listed, since both belong to features.
import { GitError, runGit, type GitRunOptions } from './gitRunner';

/** Which change: `head` absent means the working tree. */
export interface ChangeRange {
  /** The base to compare with (default `HEAD`: the uncommitted changes). */
  base?: string;
  /** A commit to compare; absent: the working tree, untracked files included. */
  head?: string;
}

/** The files of a change and how it was named. */
export interface ChangedFiles {
  /** Root-relative, `/`-separated, sorted, each once. */
  files: string[];
  /** How the range reads in a report: `main...feature`, `uncommitted changes`. */
  label: string;
  /** The folder's path inside its repository (`packages/web/`), `''` at the top: annotations name repository paths. */
  prefix: string;
}

/** A ref as the user typed it: refuse what git would take as an option. */
function checkRef(ref: string, flag: string): string {
  if (ref.trim() === '' || ref.startsWith('-') || /[\0\s]/.test(ref)) throw new GitError(`${flag} ${JSON.stringify(ref)} is not a git revision`, 'failed');
  return ref;
}

function nulList(output: string): string[] {
  return output.split('\0').filter((f) => f !== '');
}

/** Resolves a revision to its commit, with a message that names the flag when git does not know it. */
async function commitOf(root: string, ref: string, flag: string, options: GitRunOptions): Promise<string> {
  try {
    return (await runGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { timeoutMs: 10_000, ...options })).trim();
  } catch (error) {
    if (error instanceof GitError && error.kind === 'failed') {
      throw new GitError(`${flag} ${ref} is not a commit in this repository (in a shallow CI clone, fetch it first: git fetch origin ${ref.replace(/^origin\//, '')})`, 'failed');
    }
    throw error;
  }
}

/**
 * The files changed between `base` and `head` (from their merge base, as a pull request counts them), or between
 * `base` and the working tree. Rejects with a GitError that says which revision is unknown.
 */
export async function changedFiles(root: string, range: ChangeRange, options: GitRunOptions = {}): Promise<ChangedFiles> {
  const base = checkRef(range.base ?? 'HEAD', '--base');
  const head = range.head === undefined ? undefined : checkRef(range.head, '--head');
  const baseCommit = await commitOf(root, base, '--base', options);
  const diff = ['diff', '--name-only', '-z', '--relative', '--no-renames', '--no-ext-diff', '--no-textconv'];
  let files: string[];
  if (head !== undefined) {
    const headCommit = await commitOf(root, head, '--head', options);
    files = nulList(await runGit(root, [...diff, `${baseCommit}...${headCommit}`, '--'], options));
  } else {
    // From the merge base with HEAD, so a base branch that moved on does not count its own commits as this change.
    const mergeBase = (await runGit(root, ['merge-base', baseCommit, 'HEAD'], options).catch(() => baseCommit)).trim() || baseCommit;
    const [tracked, untracked] = await Promise.all([
      runGit(root, [...diff, mergeBase, '--'], options),
      runGit(root, ['ls-files', '-z', '--others', '--exclude-standard', '--', '.'], options),
    ]);
    files = [...nulList(tracked), ...nulList(untracked)];
  }
  const prefix = (await runGit(root, ['rev-parse', '--show-prefix'], options)).trim();
  return { files: [...new Set(files)].sort(), prefix, label: head !== undefined ? `${base}...${head}` : `${base === 'HEAD' ? 'uncommitted changes' : `${base} and the working tree`}` };
}
