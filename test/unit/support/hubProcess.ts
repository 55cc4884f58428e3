// The hub as a separate process, the way it runs in production, for the tests that run it so: `customer-lens hub …`
// from the sources, its output, and a fake GitHub's issues and config.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { issue, type FakeGithub } from './fakeGithub';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const REPO = 'acme/shop';
export const TOKEN = 'ghp_process_token';

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** `customer-lens hub …` from the sources, in its own process. */
export function cli(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/customerLens.ts'), 'hub', ...args], {
    // From the repository, so `--import tsx` resolves; paths in `args` are absolute.
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

export function issues(count: number) {
  return Array.from({ length: count }, (_, k) => issue(k + 1, `2026-11-20T${String(Math.floor((k + 1) / 60)).padStart(2, '0')}:${String((k + 1) % 60).padStart(2, '0')}:00Z`, { labels: ['customer', 'checkout'], comments: 1 }));
}

export function hubConfig(fake: FakeGithub, every = '10m'): string {
  return `version: 1
asOf: 2026-11-28
tokens: { env: HUB_TOKENS }
sources:
  - { id: issues, kind: github-issues, repo: ${REPO}, token: { env: GH_TOKEN }, baseUrl: "${fake.url}", every: ${every} }
features:
  - { id: checkout, tags: [checkout] }
`;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
