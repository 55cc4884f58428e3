import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { runToCompletion } from './processGroup';

/** Builds dist/ with the repository's esbuild.js: `development` keeps source maps for readable test failures. */
export async function buildExtension(mode: 'development' | 'production'): Promise<void> {
  await runToCompletion(process.execPath, ['esbuild.js', ...(mode === 'production' ? ['--production'] : [])], { cwd: repoRoot, timeoutMs: 180_000 });
}

/** Runs `npm run package` (production build + `vsce package`) and returns the .vsix path and size. */
export async function packageExtension(): Promise<{ vsix: string; bytes: number }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  fs.rmSync(vsix, { force: true });
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.js$/.test(npmCli)) {
    await runToCompletion(process.execPath, [npmCli, 'run', 'package'], { cwd: repoRoot, timeoutMs: 300_000 });
  } else {
    await runToCompletion('npm', ['run', 'package'], { cwd: repoRoot, timeoutMs: 300_000 });
  }
  if (!fs.existsSync(vsix)) throw new Error(`npm run package finished but ${vsix} is not there`);
  return { vsix, bytes: fs.statSync(vsix).size };
}
