// The files of a workspace root: `git ls-files` in a git repository (tracked plus untracked-but-not-ignored, minus
// deleted), otherwise a walk that skips `.git` and `node_modules` and never follows symbolic links.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Folders the walk never enters. */
export const SKIPPED_FOLDERS: readonly string[] = ['.git', 'node_modules'];

/** Options for {@link listWorkspaceFiles}. */
export interface ListOptions {
  /** Told about each folder the walk could not read (the listing goes on without it). */
  onSkipped?: (relativePath: string, reason: string) => void;
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
  const files = (await gitFiles(root)) ?? (await walk(root, options));
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
