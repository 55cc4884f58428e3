// The .vsix as `npm run package` builds it: one minified bundle per process (extension host, language server + CLI,
// sidebar webview), no source maps, no dependencies, and at most 1 MB.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..');
const MAX_VSIX_BYTES = 1024 * 1024;

describe('the .vsix package', function () {
  this.timeout(600_000);
  let dir: string;
  let vsix: string;
  let files: string[];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-vsix-'));
    vsix = path.join(dir, 'customer-lens.vsix');
    // The same command as `npm run package` (which builds for production first), into a temporary file.
    await run(path.join(repoRoot, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: repoRoot });
    const { stdout } = await run(path.join(repoRoot, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: repoRoot });
    files = stdout.split('\n').filter((line) => line.trim() !== '');
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    // Back to the development build (source maps) the other tests and the debugger expect.
    await run(process.execPath, ['esbuild.js'], { cwd: repoRoot });
  });

  it('ships one bundle per process, minified, and no source maps', () => {
    assert.deepEqual(files.filter((f) => f.endsWith('.js')).sort(), ['dist/cli/customerLens.js', 'dist/client/extension.js', 'dist/webview/sidebar.js']);
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
    for (const bundle of ['dist/cli/customerLens.js', 'dist/client/extension.js']) {
      const text = fs.readFileSync(path.join(repoRoot, bundle), 'utf8');
      // A minified bundle has few, long lines.
      assert.ok(text.split('\n').length < text.length / 1000, `${bundle} is not minified`);
    }
  });

  it('is at most 1 MB', () => {
    const bytes = fs.statSync(vsix).size;
    assert.ok(bytes <= MAX_VSIX_BYTES, `the .vsix is ${(bytes / 1024).toFixed(0)} kB`);
  });
});
