// Bundles the integration suite for the extension host: out/test/integration/index.js (the tests module) and one
// bundle per `*.test.ts`. `vscode` comes from the extension host; mocha is loaded from the repository's node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { copyWorkspace, repoRoot, sampleWorkspace } from '../harness/paths';

const sourceDir = __dirname;

/** Where the compiled suite goes; `extensionTestsPath` is `index.js` in this folder. */
export const suiteOutDir = path.join(repoRoot, 'out', 'test', 'integration');

/** Builds the suite from scratch (stale bundles of deleted tests would otherwise still run) and returns the tests module. */
export async function buildSuite(): Promise<string> {
  const tests = fs.readdirSync(sourceDir).filter((file) => file.endsWith('.test.ts'));
  fs.rmSync(suiteOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(sourceDir, 'index.ts'), ...tests.map((file) => path.join(sourceDir, file))],
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(suiteOutDir, 'index.js');
}

/**
 * `tsx test/integration/buildSuite.ts [--workspace-copy <dir>]`: builds the suite; with --workspace-copy also puts a
 * fresh copy of the sample workspace in <dir> (the F5 "Extension Tests" launch opens it, so tests never edit the
 * fixture itself).
 */
if (require.main === module) {
  const { values } = parseArgs({ options: { 'workspace-copy': { type: 'string' } } });
  buildSuite().then(
    (index) => {
      console.log(`built ${path.relative(repoRoot, index)}`);
      const into = values['workspace-copy'];
      if (into) {
        const folder = path.resolve(repoRoot, into);
        fs.rmSync(folder, { recursive: true, force: true });
        fs.mkdirSync(folder, { recursive: true });
        console.log(`copied the sample workspace to ${path.relative(repoRoot, copyWorkspace(sampleWorkspace, folder))}`);
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
