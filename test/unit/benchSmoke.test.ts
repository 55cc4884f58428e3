// `npm run bench -- --smoke`, as CI runs it: every figure of the quick run is measured and the last line is the
// machine-readable summary. Budgets on time are not asserted here (a shared CI machine is noisy); the request count is.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..');

describe('npm run bench -- --smoke', function () {
  this.timeout(300_000);

  after(async () => {
    // The bench builds for production; back to the development build the other tests expect.
    await run(process.execPath, ['esbuild.js'], { cwd: repoRoot });
  });

  it('prints the table and, last, BENCH_SUMMARY with every figure of the quick run', async () => {
    const { stdout } = await run('npm', ['run', 'bench', '--', '--smoke'], { cwd: repoRoot, maxBuffer: 1 << 24 });
    const lines = stdout.trim().split('\n');
    const last = lines[lines.length - 1]!;
    assert.match(last, /^BENCH_SUMMARY \{/);
    const summary = JSON.parse(last.slice('BENCH_SUMMARY '.length)) as Record<string, number | null>;
    for (const key of ['mappingSpeedupVsCodeowners', 'mappingMs100k', 'hoverWarmP95Ms', 'hoverColdP95Ms', 'requestsFor200Files', 'serverRssMb', 'firstHoverMs100k']) {
      assert.equal(typeof summary[key], 'number', `${key} is measured`);
      assert.ok(summary[key]! > 0, `${key} = ${summary[key]}`);
    }
    for (const key of ['vsixBytes', 'activationMs', 'hubContextP95Ms']) assert.ok(key in summary, `${key} is reported (null in smoke mode)`);
    assert.ok(summary.requestsFor200Files! <= 3, `${summary.requestsFor200Files} requests for 200 files`);
    assert.ok(summary.mappingSpeedupVsCodeowners! >= 20, `${summary.mappingSpeedupVsCodeowners}× the codeowners package`);
    assert.ok(stdout.includes('mappingSpeedupVsCodeowners'), 'the table names each figure');
  });
});
