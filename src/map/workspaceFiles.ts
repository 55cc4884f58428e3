// The files of a workspace root: `git ls-files` in a git repository (tracked plus untracked-but-not-ignored, minus
// deleted), otherwise a walk that skips `.git` and `node_modules` and never follows symbolic links. A folder that the
// enclosing repository ignores (a copy under a git-ignored scratch folder) is walked too: git would list nothing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Folders the walk never enters. */
export const SKIPPED_FOLDERS: readonly string[] = ['.git', 'node_modules'];

/** Something a user should know about how the files were listed. */
export interface ListNotice {
  /** `info`: the listing took another way than usual; `warning`: the list looks wrong (empty where files exist). */
  level: 'info' | 'warning';
  message: string;
}

/** Options for {@link listWorkspaceFiles}. */
export interface ListOptions {
  /** Told about each folder the walk could not read (the listing goes on without it). */
  onSkipped?: (relativePath: string, reason: string) => void;
  /** Told how the files were listed when that is not the usual way, and when the list is empty but files exist. */
  onNotice?: (notice: ListNotice) => void;
}

interface GitResult {
  code: number | null;
  stdout: string;
}

function git(root: string, args: string[]): Promise<GitResult | undefined> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    } catch {
      // No git on this machine: the caller walks the folder instead.
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** The top of the git work tree `root` is in, when git ignores `root` itself (so `ls-files` would list nothing). */
async function ignoringRepository(root: string): Promise<string | undefined> {
  // The top of a work tree is never ignored by its own repository (`*` in its .gitignore "matches" `.` too).
  const prefix = await git(root, ['rev-parse', '--show-prefix']);
  if (prefix?.code !== 0 || prefix.stdout.trim() === '') return undefined;
  const ignored = await git(root, ['check-ignore', '-q', '.']);
  if (ignored?.code !== 0) return undefined;
  const top = await git(root, ['rev-parse', '--show-toplevel']);
  return top?.code === 0 ? top.stdout.trim() : 'an enclosing folder';
}

async function gitFiles(root: string): Promise<string[] | undefined> {
  const listed = await git(root, ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (!listed || listed.code !== 0) return undefined;
  const deleted = await git(root, ['ls-files', '-z', '--deleted']);
  const gone = new Set(deleted && deleted.code === 0 ? deleted.stdout.split('\0') : []);
  // `--cached` lists a file once per merge stage during a conflict; keep one.
  return [...new Set(listed.stdout.split('\0'))].filter((file) => file !== '' && !gone.has(file));
}

async function walk(root: string, options: ListOptions): Promise<string[]> {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    let entries;
    try {
      entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
    } catch (error) {
      options.onSkipped?.(relative || '.', error instanceof Error ? error.message : String(error));
      continue;
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.includes(entry.name)) pending.push(child);
      } else {
        // Files, and symbolic links as git lists them: never followed, so a link loop cannot trap the walk.
        files.push(child);
      }
    }
  }
  return files;
}

/**
 * Lists the files of a workspace root: relative, `/`-separated, sorted. Uses `git ls-files` when the root is inside
 * a git work tree (so `.gitignore` is honoured), otherwise walks the folder. Throws when `root` is not a folder.
 */
export async function listWorkspaceFiles(root: string, options: ListOptions = {}): Promise<string[]> {
  const stat = await fs.stat(root).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${root} cannot be listed (${error.code ?? error.message}); pass an existing folder`);
  });
  if (!stat.isDirectory()) throw new Error(`${root} is not a folder; pass the folder that holds the files`);
  const ignoredBy = await ignoringRepository(root);
  if (ignoredBy) {
    options.onNotice?.({ level: 'info', message: `${root} is ignored by the git repository at ${ignoredBy}; listing it by walking its folders (without ${SKIPPED_FOLDERS.join(' and ')})` });
  }
  const fromGit = ignoredBy ? undefined : await gitFiles(root);
  const files = fromGit ?? (await walk(root, options));
  if (files.length === 0 && (await holdsFiles(root))) {
    const how = fromGit ? 'git ls-files --exclude-standard lists' : 'walking it finds';
    const why = fromGit ? 'every file is ignored by a .gitignore or git\'s exclude files' : 'its folders could not be read';
    options.onNotice?.({ level: 'warning', message: `${how} no file in ${root}, yet it holds files: ${why}? Coverage and "matches no file" warnings mean nothing until files are listed` });
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether a folder has anything in it besides the folders the walk skips. */
async function holdsFiles(root: string): Promise<boolean> {
  try {
    return (await fs.readdir(root)).some((name) => !SKIPPED_FOLDERS.includes(name));
  } catch {
    // Unreadable: the listing already failed or said why.
    return false;
  }
}
