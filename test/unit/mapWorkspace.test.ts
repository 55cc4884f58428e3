import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listWorkspaceFiles } from '../../src/map/workspaceFiles';
import { MAX_MAP_FILE_BYTES } from '../../src/map/mapFile';
import { loadWorkspaceMap } from '../../src/map/workspaceMap';
import { copyFixture, git, gitInit, tempDir, writeFiles } from './mapFixtures';

const VALID = 'version: 1\nfeatures:\n  - id: a\n    paths: [/src/]\n';

describe('workspace files', () => {
  it('lists a git repository with git ls-files: tracked and untracked files, not ignored or deleted ones', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'src/a.ts': '', 'src/gone.ts': '', '.gitignore': 'build/\n*.log\n', 'build/out.js': '', 'debug.log': '' });
    gitInit(dir);
    writeFiles(dir, { 'src/new.ts': '' });
    fs.rmSync(path.join(dir, 'src/gone.ts'));
    assert.deepEqual(await listWorkspaceFiles(dir), ['.gitignore', 'src/a.ts', 'src/new.ts']);
  });

  it('lists a subfolder of a git repository relative to that subfolder', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'packages/web/src/a.ts': '', 'packages/api/b.ts': '' });
    gitInit(dir);
    assert.deepEqual(await listWorkspaceFiles(path.join(dir, 'packages/web')), ['src/a.ts']);
  });

  it('lists a folder that the enclosing repository ignores (the demo copy in .vscode-test/) by walking it', async () => {
    const dir = tempDir();
    writeFiles(dir, { '.gitignore': '.vscode-test/\n', 'src/x.ts': '' });
    gitInit(dir);
    const demo = path.join(dir, '.vscode-test/demo/storefront');
    writeFiles(demo, { '.customer-lens.yml': VALID, 'src/a.ts': '', 'scripts/b.ts': '', 'node_modules/x/index.js': '' });
    const notices: string[] = [];
    const files = await listWorkspaceFiles(demo, { onNotice: (notice) => notices.push(`${notice.level}: ${notice.message}`) });
    assert.deepEqual(files, ['.customer-lens.yml', 'scripts/b.ts', 'src/a.ts']);
    assert.equal(notices.length, 1);
    assert.match(notices[0], /^info: .*ignored by the git repository at .*; listing it by walking its folders/);
  });

  it('says so when git lists no file in a folder that holds files', async () => {
    const dir = tempDir();
    writeFiles(dir, { '.gitignore': '*\n', 'src/a.ts': '' });
    gitInit(dir);
    const notices: { level: string; message: string }[] = [];
    assert.deepEqual(await listWorkspaceFiles(dir, { onNotice: (notice) => notices.push(notice) }), []);
    assert.equal(notices.length, 1);
    assert.equal(notices[0].level, 'warning');
    assert.match(notices[0].message, /git ls-files --exclude-standard lists no file in .*, yet it holds files/);
  });

  it('walks a folder outside git, skipping .git and node_modules, sorted, without following links', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'b.ts': '', 'a/z.ts': '', 'a/b/c.ts': '', 'node_modules/x/index.js': '', 'src/node_modules/y.js': '', '.git/HEAD': '' });
    fs.symlinkSync(dir, path.join(dir, 'a', 'loop'));
    fs.symlinkSync(path.join(dir, 'loop2'), path.join(dir, 'loop2'));
    assert.deepEqual(await listWorkspaceFiles(dir), ['a/b/c.ts', 'a/loop', 'a/z.ts', 'b.ts', 'loop2']);
  });
});

describe('loading a workspace map', () => {
  it('finds nested map files (YAML and JSON) and merges them', async () => {
    const root = copyFixture('monorepo', { git: true });
    const { map, parsed, problems } = await loadWorkspaceMap(root);
    assert.deepEqual(problems, []);
    assert.deepEqual(parsed.map((p) => path.relative(root, p.file)).sort(), ['.customer-lens.yml', 'packages/api/.customer-lens.json', 'packages/web/.customer-lens.yml']);
    assert.deepEqual(map?.explain('packages/web/src/checkout/card.payment.ts').features.map((f) => f.featureId), ['web-checkout', 'payments']);
    assert.deepEqual(map?.explain('packages/api/src/refund.payment.ts').features.map((f) => f.featureId), ['api', 'payments']);
  });

  it('uses the file list it is given, and still finds a root map that is not in it', async () => {
    const root = tempDir();
    writeFiles(root, { '.customer-lens.yml': VALID, 'pkg/.customer-lens.yml': 'version: 1\nfeatures:\n  - id: b\n    paths: [/x/]\n' });
    const { parsed } = await loadWorkspaceMap(root, { files: ['src/a.ts'] });
    assert.deepEqual(parsed.map((p) => path.relative(root, p.file)), ['.customer-lens.yml']);
  });

  it('returns no map, and no problem, when there is no map file', async () => {
    const root = tempDir();
    writeFiles(root, { 'src/a.ts': '' });
    assert.deepEqual(await loadWorkspaceMap(root), { parsed: [], problems: [] });
  });

  it('returns the problems of an invalid map along with what validated', async () => {
    const root = tempDir();
    writeFiles(root, { '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: a\n    paths: [/a/]\n  - id: B\n' });
    const { map, problems } = await loadWorkspaceMap(root);
    assert.deepEqual(problems.map((p) => [p.code, p.range.start.line]), [['invalid-id', 5]]);
    assert.deepEqual(map?.features.map((f) => f.id), ['a']);
  });

  it('reports a second map file name in the same folder and uses the first', async () => {
    const root = tempDir();
    writeFiles(root, { '.customer-lens.yml': VALID, '.customer-lens.json': '{"version": 1}' });
    const { parsed, problems } = await loadWorkspaceMap(root);
    assert.deepEqual(parsed.map((p) => path.basename(p.file)), ['.customer-lens.yml']);
    assert.equal(problems[0].code, 'extra-map-file');
    assert.equal(problems[0].file, path.join(root, '.customer-lens.json'));
    assert.match(problems[0].message, /\.customer-lens\.yml in the same folder is used instead/);
  });

  describe('never throws for bad map files; names the file and what to do', () => {
    async function problemFor(setup: (root: string) => void, mapName = '.customer-lens.yml') {
      const root = tempDir();
      writeFiles(root, { 'src/a.ts': '' });
      setup(root);
      const result = await loadWorkspaceMap(root);
      assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
      const [problem] = result.problems;
      assert.equal(problem.file, path.join(root, mapName));
      assert.equal(problem.severity, 'error');
      assert.deepEqual(problem.range.start, { line: 1, column: 1 });
      return { problem, result };
    }

    it('a map that is a folder', async () => {
      const { problem, result } = await problemFor((root) => writeFiles(root, { '.customer-lens.yml/inner.txt': 'x' }));
      assert.equal(problem.code, 'map-is-directory');
      assert.match(problem.message, /is a folder; a map must be a file/);
      assert.equal(result.map, undefined);
    });

    it('a nested map that is a folder, found from the file list', async () => {
      const { problem } = await problemFor((root) => {
        writeFiles(root, { '.customer-lens.yml': VALID, 'pkg/.customer-lens.yaml/x': '' });
      }, 'pkg/.customer-lens.yaml');
      assert.equal(problem.code, 'map-is-directory');
    });

    it('a binary map', async () => {
      const { problem } = await problemFor((root) => writeFiles(root, { '.customer-lens.yml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) }));
      assert.equal(problem.code, 'binary-map');
      assert.match(problem.message, /not UTF-8 text/);
    });

    it('a map that is not UTF-8', async () => {
      const { problem } = await problemFor((root) => writeFiles(root, { '.customer-lens.yml': Buffer.from('version: 1\n# caf\xe9\n', 'latin1') }));
      assert.equal(problem.code, 'binary-map');
    });

    it('a 50 MB map, refused without being read', async () => {
      const { problem } = await problemFor((root) => {
        const file = path.join(root, '.customer-lens.yml');
        fs.writeFileSync(file, VALID);
        fs.truncateSync(file, 50 * 1024 * 1024);
      });
      assert.equal(problem.code, 'map-too-large');
      assert.match(problem.message, /is 50\.0 MB; a map is limited to 1 MB/);
      assert.equal(MAX_MAP_FILE_BYTES, 1024 * 1024);
    });

    it('a map that is a symbolic link loop', async () => {
      const { problem } = await problemFor((root) => fs.symlinkSync(path.join(root, '.customer-lens.yml'), path.join(root, '.customer-lens.yml')));
      assert.equal(problem.code, 'unreadable-map');
      assert.match(problem.message, /symbolic link loop/);
    });

    it('a map that is a broken link', async () => {
      const { problem } = await problemFor((root) => fs.symlinkSync(path.join(root, 'nowhere.yml'), path.join(root, '.customer-lens.yml')));
      assert.equal(problem.code, 'unreadable-map');
      assert.match(problem.message, /does not exist/);
    });

    it('a root that does not exist', async () => {
      const root = path.join(tempDir(), 'missing');
      const result = await loadWorkspaceMap(root);
      assert.equal(result.map, undefined);
      assert.equal(result.problems[0].code, 'unreadable-root');
      assert.match(result.problems[0].message, /cannot list the files of .*missing/);
    });
  });

  it('skips git when the folder is not a repository, even inside none', async () => {
    const root = tempDir();
    writeFiles(root, { '.customer-lens.yml': VALID, 'src/a.ts': '' });
    assert.throws(() => git(root, 'rev-parse', '--show-toplevel'), 'the temporary folder must not be inside a git repository');
    const { map } = await loadWorkspaceMap(root);
    assert.equal(map?.explain('src/a.ts').features[0].featureId, 'a');
  });
});
