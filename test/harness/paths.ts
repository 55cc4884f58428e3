import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file lives in test/harness/). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** The extension id as VS Code knows it: `<publisher>.<name>`. */
export const extensionId = 'customer-lens.customer-lens';

export const codeServerVersion = '4.139.1';
export const nodeVersion = '24.21.0';

/**
 * Installed runtimes live outside the clone so a fresh clone (or `git clean`) does not pay the ~2 minute native
 * build again; `.vscode-test/` links to them, as the VS Code test tooling convention expects.
 */
export const cacheRoot = process.env.CUSTOMER_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'customer-lens');

/** The committed manifests and lockfiles of the runtimes (Node 24, code-server). */
export const runtimeSources = path.join(__dirname, 'runtime');

/** Written into a runtime's cache folder once its install has completed. */
export const installedMarker = '.customer-lens-installed';

/** The cache folder of code-server, named after its versions and its lockfile so a change installs anew. */
export function codeServerCacheDir(): string {
  const lockHash = createHash('sha256').update(fs.readFileSync(path.join(runtimeSources, 'codeServer', 'package-lock.json'))).digest('hex').slice(0, 10);
  return path.join(cacheRoot, `code-server-${codeServerVersion}-node-${nodeVersion}-${lockHash}`);
}

/** Whether code-server is installed in the cache already (then nothing needs compiling). */
export function codeServerInstalled(): boolean {
  return fs.existsSync(path.join(codeServerCacheDir(), installedMarker));
}

/** Per-clone scratch space (git-ignored): links to the cached runtimes, user data, extension folders. */
export const vscodeTestDir = path.join(repoRoot, '.vscode-test');

/** Screenshots and logs a person looks at after a run (git-ignored). */
export const testResultsDir = path.join(repoRoot, 'test-results');

/** The screenshots the README shows (committed, and packaged with the extension for its details page). */
export const readmeScreenshotDir = path.join(repoRoot, 'media', 'screenshots');

/** The sample workspace (relative to the repository root): the demo opens it, the tests run against copies of it. */
export const sampleWorkspace = 'test/fixtures/storefront';

/**
 * Copies a workspace folder (relative to the repository root) into `folder` and returns the copy: runs may edit
 * files (break the map, change the context file) without touching the fixture.
 */
export function copyWorkspace(workspace: string, folder: string): string {
  const source = path.join(repoRoot, workspace);
  if (!fs.existsSync(source)) throw new Error(`the workspace ${source} does not exist; restore it with \`git checkout -- ${workspace}\``);
  const copy = path.join(folder, path.basename(source));
  fs.cpSync(source, copy, { recursive: true, filter: (file) => path.basename(file) !== 'node_modules' });
  return copy;
}
