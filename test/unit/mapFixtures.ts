// Fixture repositories for map and CLI tests: copied to a temporary folder (optionally made a git repository, since
// nested .git folders cannot be committed), removed after the test run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FIXTURE_REPOS = path.resolve(__dirname, '..', 'fixtures', 'repos');

const created: string[] = [];

after(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An empty temporary folder, removed after the run. */
export function tempDir(prefix = 'customer-lens-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

/** Copies fixture repository `name` to a temporary folder; with `git`, makes it a repository with every file added. */
export function copyFixture(name: string, options: { git?: boolean } = {}): string {
  const dir = tempDir(`customer-lens-${name}-`);
  fs.cpSync(path.join(FIXTURE_REPOS, name), dir, { recursive: true });
  if (options.git) gitInit(dir);
  return dir;
}

/** Runs git in `dir` with a fixed identity and no user or system configuration. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

export function gitInit(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
}

/** Writes files (relative path → content) below `dir`, creating folders. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
