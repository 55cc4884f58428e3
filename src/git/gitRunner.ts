// Runs git for reading only, bounded in time and output, with the repository's own configuration kept from running
// programs: a cloned repository is untrusted, and its `.git/config` may name an fsmonitor hook, an external diff or a
// signature program that git would otherwise start. Nothing here writes to a repository or takes its index lock.
import { execFile } from 'node:child_process';

/** Bounds of one git run. */
export interface GitRunOptions {
  /** Killed after this long (default 30 s). */
  timeoutMs?: number;
  /** Most bytes of standard output read (default 64 MB); more is an error. */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** Why git could not answer: not a repository, no git on this machine, a bad ref, a timeout. */
export class GitError extends Error {
  constructor(
    message: string,
    /** `missing`: git is not installed; `failed`: git ran and refused; `timeout`, `too-large`. */
    readonly kind: 'missing' | 'failed' | 'timeout' | 'too-large' | 'aborted',
    /** git's own first line of complaint, when it gave one. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * Options that keep a repository's configuration from starting programs during a read: no fsmonitor hook (it runs on
 * any index refresh, as `git diff` does), no signature verification (`log.showSignature` would run `gpg.program`),
 * paths printed as they are.
 */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'log.showSignature=false', '-c', 'core.quotepath=off'];

/** The environment of a read: no prompt for credentials, no optional index lock, messages in English for the log. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', GIT_PAGER: 'cat', GIT_EXTERNAL_DIFF: '' };
}

/** Runs `git <args>` in `cwd` and resolves to its standard output; rejects with a GitError that says why not. */
export function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const command = `git ${args.filter((a) => !a.startsWith('--format=')).slice(0, 3).join(' ')}`;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new GitError(`${command} was cancelled`, 'aborted'));
      return;
    }
    const child = execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      { cwd, env: gitEnv(), timeout: timeoutMs, maxBuffer: maxBytes, encoding: 'utf8', windowsHide: true, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        options.signal?.removeEventListener('abort', abort);
        if (!error) {
          resolve(stdout);
          return;
        }
        const detail = stderr.split('\n').find((line) => line.trim() !== '')?.trim();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new GitError('git is not installed (or not on PATH)', 'missing'));
        else if (options.signal?.aborted) reject(new GitError(`${command} was cancelled`, 'aborted'));
        else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') reject(new GitError(`${command} printed more than ${Math.round(maxBytes / 1048576)} MB`, 'too-large'));
        else if (error.killed) reject(new GitError(`${command} took longer than ${(timeoutMs / 1000).toFixed(0)} s`, 'timeout'));
        else reject(new GitError(`${command} failed in ${cwd}${detail ? `: ${detail}` : ''}`, 'failed', detail));
      },
    );
    const abort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', abort, { once: true });
  });
}
