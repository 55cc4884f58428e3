// The sample workspace the demo opens must look healthy in the editor: its TypeScript compiles without errors,
// without the sample's own dependencies installed (the editor would otherwise show errors that look like breakage).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const SAMPLE = path.join(REPO, 'test', 'fixtures', 'storefront');
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

function typeErrors(project: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, '-p', project, '--noEmit', '--pretty', 'false'], { cwd: path.dirname(project) }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });
}

describe('the sample workspace (test/fixtures/storefront)', function () {
  this.timeout(120_000);

  it('type-checks without its dependencies installed, in a folder with no node_modules above it', async () => {
    // In place, inside this clone, TypeScript could also find the clone's own packages; a bare copy cannot.
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-sample-')), 'storefront');
    fs.cpSync(SAMPLE, copy, { recursive: true });
    try {
      const [root, mobile] = await Promise.all([typeErrors(path.join(copy, 'tsconfig.json')), typeErrors(path.join(copy, 'packages', 'mobile-app', 'tsconfig.json'))]);
      assert.equal(root, '');
      assert.equal(mobile, '');
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
});
