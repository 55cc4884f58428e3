// A map that comes with a repository someone opens: pathological patterns, a `context:` that names a file outside the
// workspace, a FIFO, a huge file, and a map typed into the editor that is far over the size limit. Each gets an error
// at the right place, quickly, and the last good map stays in force.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readContextFile } from '../../src/context/contextFile';
import { parseMapFile } from '../../src/map/mapFile';
import { loadWorkspaceMap } from '../../src/map/workspaceMap';
import { buildOnce, CLI } from './cliHarness';
import { timedWithDeadline } from './support/deadline';
import { copyFixture, TestLspClient } from './support/lspTestClient';

function workspace(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-hostile-map-')));
}

describe('hostile map', function () {
  this.timeout(60_000);

  describe('patterns the validator accepts are matched in time linear in the path', () => {
    const cases: [string, string, string][] = [
      ['"**/" 100 times, then a name', `${'**/'.repeat(100)}x`, 'a/b/c/d/e/f/g/h.ts'],
      ['"**/a/" 25 times, then b', `${'**/a/'.repeat(25)}b`, `${'a/'.repeat(40)}c`],
      ['a name of 30 "*a" and a b', `${'*a'.repeat(30)}b`, `src/${'a'.repeat(80)}`],
      ['"?*" 40 times in a name', `/src/${'?*'.repeat(40)}z`, `src/${'y'.repeat(200)}`],
    ];
    for (const [name, pattern, file] of cases) {
      it(name, async () => {
        const body = [
          "const { compilePattern, patternMatches } = require('./src/map/pattern');",
          "const { patternSyntaxProblem } = require('./src/shared/mapSchema');",
          `const pattern = ${JSON.stringify(pattern)};`,
          "if (patternSyntaxProblem(pattern)) throw new Error('the validator rejects it: ' + patternSyntaxProblem(pattern));",
          `const segments = ${JSON.stringify(file)}.split('/');`,
          'const compiled = compilePattern(pattern, []);',
          'for (let i = 0; i < 1000; i++) { patternMatches(compiled, segments, false); patternMatches(compiled, segments, true); }',
        ].join('\n');
        const ms = await timedWithDeadline(body, 10_000);
        assert.ok(ms < 1000, `2,000 matches took ${Math.round(ms)} ms`);
      });
    }

    it('keeps `customer-lens check` quick on such a pattern', async () => {
      await buildOnce();
      const root = workspace();
      fs.mkdirSync(path.join(root, 'a/b/c/d/e/f/g'), { recursive: true });
      fs.writeFileSync(path.join(root, 'a/b/c/d/e/f/g/h.ts'), '');
      fs.writeFileSync(path.join(root, '.customer-lens.yml'), `version: 1\nfeatures:\n  - id: deep\n    paths: ["${'**/'.repeat(100)}x"]\n`);
      const started = Date.now();
      const result = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        const child = execFile(process.execPath, [CLI, 'check', '--root', root], { timeout: 10_000 }, () => undefined);
        child.on('exit', (code, signal) => resolve({ code, signal }));
      });
      assert.equal(result.signal, null, `check was still busy after ${Date.now() - started} ms`);
      assert.ok(Date.now() - started < 10_000);
      fs.rmSync(root, { recursive: true, force: true });
    });
  });

  describe('context: names a file inside the workspace, a regular one of sane size', () => {
    let root: string;
    beforeEach(() => {
      root = workspace();
      fs.mkdirSync(path.join(root, 'nested'));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    async function contextProblem(target: string, mapDir = root) {
      const text = `version: 1\ncontext: ${JSON.stringify(target)}\nfeatures:\n  - id: a\n    paths: [/src/]\n`;
      fs.writeFileSync(path.join(mapDir, '.customer-lens.yml'), text);
      const loaded = await loadWorkspaceMap(root, { files: [path.relative(root, path.join(mapDir, '.customer-lens.yml')).split(path.sep).join('/')] });
      const problem = loaded.problems.find((p) => p.file === path.join(mapDir, '.customer-lens.yml') && p.severity === 'error');
      return { problem, contextFiles: loaded.map?.contextFiles ?? [] };
    }

    const outside = [
      ['a path up and out', '../../../../../../../../etc/passwd'],
      ['an absolute path', '/etc/passwd'],
      ['the process environment', '/proc/self/environ'],
      ['a device', '/dev/urandom'],
    ];
    for (const [name, target] of outside) {
      it(`refuses ${name} (${target}) with an error at the key`, async () => {
        const { problem, contextFiles } = await contextProblem(target);
        assert.deepEqual(contextFiles, [], 'the file must not be read as context');
        assert.ok(problem, 'an error on the map');
        assert.equal(problem.code, 'context-outside-workspace');
        assert.deepEqual(problem.range.start, { line: 2, column: 10 });
        assert.match(problem.message, /outside the workspace folder/);
      });
    }

    it('refuses a link that leads out of the workspace', async () => {
      const elsewhere = workspace();
      const secret = path.join(elsewhere, 'secret.json');
      fs.writeFileSync(secret, '{"version": 1, "features": [{"id": "a", "summary": "npm _authToken=abc"}]}');
      fs.symlinkSync(secret, path.join(root, 'context.json'));
      const { problem, contextFiles } = await contextProblem('./context.json');
      fs.rmSync(elsewhere, { recursive: true, force: true });
      assert.deepEqual(contextFiles, []);
      assert.equal(problem?.code, 'context-outside-workspace');
    });

    it('accepts a file elsewhere in the workspace, from a nested map, and a link that stays inside', async () => {
      fs.writeFileSync(path.join(root, 'shared.json'), '{"version": 1, "features": []}');
      fs.symlinkSync(path.join(root, 'shared.json'), path.join(root, 'nested', 'link.json'));
      const up = await contextProblem('../shared.json', path.join(root, 'nested'));
      assert.equal(up.problem, undefined);
      assert.deepEqual(up.contextFiles, [path.join(root, 'shared.json')]);
      const linked = await contextProblem('./link.json', path.join(root, 'nested'));
      assert.equal(linked.problem, undefined);
      assert.equal(linked.contextFiles.length, 1);
    });

    it('refuses a FIFO and a folder without blocking', async () => {
      execFileSync('mkfifo', [path.join(root, 'pipe.json')]);
      const fifo = await contextProblem('./pipe.json');
      assert.equal(fifo.problem?.code, 'context-not-a-file');
      assert.deepEqual(fifo.contextFiles, []);
      fs.mkdirSync(path.join(root, 'dir.json'));
      assert.equal((await contextProblem('./dir.json')).problem?.code, 'context-not-a-file');
    });

    it('refuses a context file over the size limit', async () => {
      const big = path.join(root, 'big.json');
      fs.writeFileSync(big, '');
      fs.truncateSync(big, 50 * 1024 * 1024);
      const { problem, contextFiles } = await contextProblem('./big.json');
      assert.deepEqual(contextFiles, []);
      assert.equal(problem?.code, 'context-too-large');
      assert.match(problem!.message, /50\.0 MB/);
    });

    it('reads only regular files of sane size, even when a file changes after the map was checked', async () => {
      execFileSync('mkfifo', [path.join(root, 'pipe.json')]);
      const started = Date.now();
      const fifo = await readContextFile(path.join(root, 'pipe.json'));
      assert.equal(fifo.ok, false);
      assert.match(!fifo.ok ? fifo.error : '', /not a regular file/);
      const big = path.join(root, 'big.json');
      fs.writeFileSync(big, '');
      fs.truncateSync(big, 200 * 1024 * 1024);
      const huge = await readContextFile(big);
      assert.equal(huge.ok, false);
      assert.match(!huge.ok ? huge.error : '', /200\.0 MB.*limit/);
      assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    });
  });

  describe('context: in the editor', () => {
    it('links context: only to a file the map may read', async () => {
      const ws = copyFixture();
      const client = await TestLspClient.start({ folders: [ws] });
      try {
        const mapFile = path.join(ws, '.customer-lens.yml');
        const uri = client.open(mapFile, 'yaml');
        const links = () => client.request<{ target?: string }[]>('textDocument/documentLink', { textDocument: { uri } });
        assert.equal((await links()).length, 1, 'the fixture links its context file');
        const good = fs.readFileSync(mapFile, 'utf8');
        client.change(mapFile, good.replace('context: ./customer-context.json', 'context: /etc/passwd'));
        await client.until(() => (client.diagnostics.get(uri) ?? []).some((d) => d.code === 'context-outside-workspace'), 'the error on context:');
        assert.deepEqual(await links(), []);
      } finally {
        await client.stop();
        fs.rmSync(ws, { recursive: true, force: true });
      }
    });
  });

  describe('nesting', () => {
    it('refuses a map nested a million levels deep at once, where it gets too deep', async () => {
      for (const text of [`version: 1\nfeatures: ${'['.repeat(1_000_000)}`, `version: 1\nfeatures:\n${'- '.repeat(400_000)}x\n`]) {
        const ms = await timedWithDeadline(
          [
            "const { parseMapFile } = require('./src/map/mapFile');",
            `const parsed = parseMapFile('/ws/.customer-lens.yml', ${JSON.stringify(text)});`,
            "if (parsed.problems[0]?.code !== 'nesting-too-deep') throw new Error(JSON.stringify(parsed.problems.slice(0, 2)));",
          ].join('\n'),
          10_000,
        );
        assert.ok(ms < 1000, `${Math.round(ms)} ms`);
      }
      const parsed = parseMapFile('/ws/.customer-lens.yml', `version: 1\nfeatures: ${'['.repeat(100)}`);
      assert.deepEqual(parsed.problems.map((p) => [p.code, p.range.start.line, p.range.start.column]), [['nesting-too-deep', 2, 74]]);
    });

    it('refuses a context file nested a million levels deep at once, with file:line:col', async () => {
      const root = workspace();
      const file = path.join(root, 'context.json');
      fs.writeFileSync(file, `{"version": 1, "features": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
      const started = Date.now();
      const read = await readContextFile(file);
      assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
      assert.match(!read.ok ? read.error : '', /context\.json:1:\d+: nested more than 64 levels deep/);
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('still reads real maps and context files', () => {
      const parsed = parseMapFile('/ws/.customer-lens.yml', 'version: 1\nfeatures:\n  - id: a\n    links:\n      - { title: "[x]", url: "https://a.example.com/{x}" }\n    description: |\n      [[[[ not {{{{ flow\n');
      assert.deepEqual(parsed.problems, []);
    });
  });

  describe('the 1 MB limit applies to the text of an open map', () => {
    it('is checked by the parser itself', () => {
      const text = `version: 1\nfeatures: []\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
      const parsed = parseMapFile('/ws/.customer-lens.yml', text);
      assert.equal(parsed.valid, false);
      assert.equal(parsed.problems[0]?.code, 'map-too-large');
    });

    it('keeps the last good map while a 10 MB text sits in the editor, and says why at once', async () => {
      const ws = copyFixture();
      const client = await TestLspClient.start({ folders: [ws] });
      try {
        const mapFile = path.join(ws, '.customer-lens.yml');
        const uri = client.open(mapFile, 'yaml');
        await client.until(() => client.diagnostics.has(uri), 'the first diagnostics');
        const good = fs.readFileSync(mapFile, 'utf8');
        const started = Date.now();
        client.change(mapFile, `${good}\n# ${'x'.repeat(10 * 1024 * 1024)}\n`);
        await client.until(() => (client.diagnostics.get(uri) ?? []).some((d) => d.code === 'map-too-large'), 'a map-too-large diagnostic', 5000);
        assert.ok(Date.now() - started < 5000);
        const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
          textDocument: { uri: client.open(path.join(ws, 'src/checkout/applyCoupon.ts')) },
          position: TestLspClient.positionOf(path.join(ws, 'src/checkout/applyCoupon.ts'), 'applyCoupon', 2),
        });
        assert.match(hover?.contents.value ?? '', /\*\*Checkout\*\*/, 'the last good map answers the hover');
      } finally {
        await client.stop();
        fs.rmSync(ws, { recursive: true, force: true });
      }
    });

    it('answers hovers while a pathological pattern is typed into the open map, coverage included', async () => {
      const ws = copyFixture();
      // A file eight folders deep: what makes backtracking over 400 "**/" take forever.
      fs.mkdirSync(path.join(ws, 'src/search/a/b/c/d/e/f/g'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'src/search/a/b/c/d/e/f/g/h.ts'), '');
      const client = await TestLspClient.start({ folders: [ws] });
      try {
        const mapFile = path.join(ws, '.customer-lens.yml');
        const uri = client.open(mapFile, 'yaml');
        await client.until(() => client.diagnostics.has(uri), 'the first diagnostics');
        const published = client.diagnostics.get(uri);
        const coverageRuns = () => client.logs.filter((l) => l.startsWith('coverage ')).length;
        const before = coverageRuns();
        const good = fs.readFileSync(mapFile, 'utf8');
        client.change(mapFile, good.replace('    paths: [/src/search/]', `    paths: [/src/search/, "${'**/'.repeat(400)}x"]`));
        await client.until(() => client.diagnostics.get(uri) !== published, 'the diagnostics of the edit');
        const file = path.join(ws, 'src/search/searchIndex.ts');
        const fileUri = client.open(file);
        const position = TestLspClient.positionOf(file, 'class SearchIndex', 8);
        // Hovers keep coming while the server matches every file against the new pattern (once typing has paused).
        for (let round = 0; round < 12 || coverageRuns() === before; round++) {
          const started = Date.now();
          const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: fileUri }, position });
          assert.ok(Date.now() - started < 1000, `hover ${round + 1} took ${Date.now() - started} ms`);
          assert.match(hover?.contents.value ?? '', /\*\*Search\*\*/);
          assert.ok(round < 100, 'coverage never finished');
          // Paced like a user moving the mouse from word to word.
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        await client.stop();
        fs.rmSync(ws, { recursive: true, force: true });
      }
    });
  });
});
