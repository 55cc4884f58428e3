// Throwaway git repositories for tests: commits at fixed dates (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE) by a given
// author, so history, before/after figures and "your recent changes" are the same on every run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A repository in a temporary folder, with helpers to write files and commit them at a date. */
export interface TestRepo {
  root: string;
  git(...args: string[]): string;
  write(file: string, content: string): void;
  /** Writes `files` (path → content) and commits them at `date` (ISO) with `subject`. Returns the full hash. */
  commit(subject: string, date: string, files: Record<string, string>, author?: string): string;
  remove(): void;
}

/** A map with two features (checkout, search) and a context file, shared by the history and impact tests. */
export const TEST_MAP = `version: 1
context: ./customer-context.json
features:
  - id: checkout
    name: Checkout
    owners: ["@shop/payments"]
    paths: [/src/checkout/]
  - id: search
    name: Search
    owners: ["@shop/discovery"]
    paths: [/src/search/]
  - id: admin
    name: Admin
    owners: ["@shop/backoffice"]
    paths: [/src/admin/]
unmapped:
  - /docs/
`;

export function createRepo(): TestRepo {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-git-')));
  const env = (date?: string, author = 'dev@example.com') => ({
    ...process.env,
    GIT_AUTHOR_NAME: author.split('@')[0],
    GIT_AUTHOR_EMAIL: author,
    GIT_COMMITTER_NAME: author.split('@')[0],
    GIT_COMMITTER_EMAIL: author,
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: root,
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: env(), encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'commit.gpgsign', 'false');
  const write = (file: string, content: string) => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  };
  return {
    root,
    git,
    write,
    commit(subject, date, files, author) {
      for (const [file, content] of Object.entries(files)) write(file, content);
      execFileSync('git', ['add', '-A'], { cwd: root, env: env(date, author) });
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', subject], { cwd: root, env: env(date, author) });
      return git('rev-parse', 'HEAD').trim();
    },
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

const DAY = 86_400_000;

/** Daily points from `from` to `to` (inclusive): `before` until the day before `change`, `after` from the day after. */
export function dailySeries(from: string, to: string, change: string, before: number, after: number, onChangeDay = 1000): { t: string; v: number }[] {
  const points: { t: string; v: number }[] = [];
  const changeDay = Date.parse(change);
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY) {
    points.push({ t: new Date(t).toISOString(), v: t < changeDay ? before : t === changeDay ? onChangeDay : after });
  }
  return points;
}

/** A folder holding a `git` that sleeps `seconds` before every `git log`, then runs the real one: a slow history read. */
export function slowGitFolder(seconds: number): string {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-slow-git-'));
  fs.writeFileSync(path.join(folder, 'git'), `#!/bin/sh\ncase " $* " in *" log "*) sleep ${seconds};; esac\nexec ${real} "$@"\n`, { mode: 0o755 });
  return folder;
}
