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

/** Per-clone scratch space (git-ignored): links to the cached runtimes, user data, extension folders. */
export const vscodeTestDir = path.join(repoRoot, '.vscode-test');

/** Screenshots and logs a person looks at after a run (git-ignored). */
export const testResultsDir = path.join(repoRoot, 'test-results');

/** The sample workspace, or the harness's own tiny one while the sample is not there yet. */
export function sampleWorkspace(): string {
  const storefront = path.join(repoRoot, 'test', 'fixtures', 'storefront');
  const smoke = path.join(repoRoot, 'test', 'fixtures', 'harness-smoke');
  return hasMapFile(storefront) ? storefront : smoke;
}

function hasMapFile(folder: string): boolean {
  return ['.customer-lens.yml', '.customer-lens.yaml', '.customer-lens.json'].some((name) => fs.existsSync(path.join(folder, name)));
}
