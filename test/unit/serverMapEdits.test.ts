// Typing in an open map: the server reparses only the edited file and puts a valid edit in force at once, keeps the
// last good map while the text has errors, keeps the "matches no file" warnings that still hold, and brings coverage
// up to date in slices once typing pauses. On a temporary copy of the storefront fixture, and over a real LSP connection.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { computeCoverage } from '../../src/map/coverage';
import { parseMapFile } from '../../src/map/mapFile';
import { listWorkspaceFiles } from '../../src/map/workspaceFiles';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';
import { coverageInSlices } from '../../src/server/coverageUpdates';
import { FolderState } from '../../src/server/workspaceState';
import type { MapProblem } from '../../src/shared/mapModel';
import { ExplainRequest, type ExplainResult } from '../../src/shared/lspProtocol';
import { copyFixture, TestLspClient, uriOf } from './support/lspTestClient';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Warnings as a reader sees them: which pattern or feature, on which line. */
function warnings(problems: Map<string, MapProblem[]>, file: string): string[] {
  return (problems.get(file) ?? []).filter((p) => p.severity === 'warning').map((p) => `${p.range.start.line}:${p.range.start.column} ${p.message}`);
}

describe('editing an open map', function () {
  this.timeout(30_000);

  describe('coverage in slices', () => {
    const root = path.resolve('/repo');
    const text = [
      'version: 1',
      'features:',
      '  - id: checkout',
      '    paths: [/src/checkout/, "*.payment.ts", /src/old/]',
      '    exclude: [/src/checkout/legacy/, /src/checkout/gone/]',
      '  - id: billing',
      '    paths: [/src/billing/]',
      '  - id: empty',
      '    paths: [/src/nowhere/]',
      'unmapped: [/scripts/, "*.md", /tools/]',
    ].join('\n');
    const files = [
      'README.md',
      'scripts/seed.ts',
      'src/billing/invoice.ts',
      'src/billing/plan.payment.ts',
      'src/checkout/cart.ts',
      'src/checkout/legacy/old.ts',
      'src/experimental/gift.ts',
      'src/search/README.md',
      'src/checkout/z.ts',
      'src/old/a.ts',
      'docs/b.md',
    ];
    const map = compileWorkspaceMap(root, [parseMapFile(path.join(root, '.customer-lens.yml'), text, { checkContextFile: (file: string) => ({ file }) })]).map;
    const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

    it('adds up to the same report as one pass over every file, warnings included', async () => {
      const whole = computeCoverage(map, files);
      assert.ok(whole.problems.length >= 3, 'the fixture has patterns and a feature without files');
      for (const slice of [1, 2, 3, 5]) {
        const sliced = await coverageInSlices(map, files, { pause: immediate, cancelled: () => false, slice });
        assert.ok(sliced);
        assert.deepEqual(sliced, whole, `slices of ${slice}`);
      }
    });

    it('gives up between slices when told the map changed', async () => {
      let pauses = 0;
      const result = await coverageInSlices(map, files, {
        pause: async () => {
          pauses++;
        },
        cancelled: () => pauses >= 2,
        slice: 2,
      });
      assert.equal(result, undefined);
      assert.equal(pauses, 2);
    });
  });

  describe('the folder state', () => {
    let ws: string;
    let mapFile: string;
    let good: string;
    let open: string | undefined;
    const openText = (file: string) => (file === mapFile ? open : undefined);

    beforeEach(() => {
      ws = copyFixture();
      mapFile = path.join(ws, '.customer-lens.yml');
      // A typo'd pattern that matches no file, for the warnings.
      good = fs.readFileSync(mapFile, 'utf8').replace('    paths: [/src/search/]', '    paths: [/src/search/, /src/serch/]');
      fs.writeFileSync(mapFile, good);
      open = undefined;
    });
    afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

    async function loaded(extraFiles: string[] = []): Promise<FolderState> {
      const folder = new FolderState(ws, quiet, async (root) => [...(await listWorkspaceFiles(root)), ...extraFiles]);
      assert.equal(await folder.reloadFiles(openText), true);
      assert.ok(folder.map && !folder.usingLastGood, 'the fixture map loads');
      return folder;
    }

    it('reparses only the edited map file and puts a valid edit in force before coverage runs', async () => {
      const folder = await loaded();
      const nested = folder.parsed.find((p) => p.file.endsWith(path.join('mobile-app', '.customer-lens.yml')));
      assert.ok(nested);
      assert.deepEqual(folder.map!.explain('src/experimental/voiceSearch.ts').features, []);

      open = good.replace('/src/search/, /src/serch/]', '/src/search/, /src/serch/, /src/experimental/]');
      assert.equal(folder.editMap(mapFile, open), true);
      assert.ok(folder.parsed.includes(nested), 'the nested map file was not parsed again');
      assert.deepEqual(folder.map!.explain('src/experimental/voiceSearch.ts').features.map((f) => f.featureId), ['search']);
      assert.equal(folder.coverageCurrent, false, 'coverage waits until typing pauses');
      assert.ok(!folder.coverage?.filesByFeature.get('search')?.includes('src/experimental/voiceSearch.ts'));

      assert.equal(await folder.refreshCoverage(), true);
      assert.equal(folder.coverageCurrent, true);
      assert.ok(folder.coverage?.filesByFeature.get('search')?.includes('src/experimental/voiceSearch.ts'));
    });

    it('keeps the last good map in force while the edited text has errors, and says where they are', async () => {
      const folder = await loaded();
      const before = folder.map;
      open = good.replace('    paths: [/src/search/, /src/serch/]', '    pahts: [/src/search/, /src/serch/]');
      assert.equal(folder.editMap(mapFile, open), true);
      assert.equal(folder.map, before, 'the last good map stays in force');
      assert.equal(folder.usingLastGood, true);
      const line = open.split('\n').findIndex((l) => l.includes('pahts')) + 1;
      const typo = folder.problems.get(mapFile)?.find((p) => p.code === 'unknown-key');
      assert.ok(typo, JSON.stringify(folder.problems.get(mapFile)));
      assert.deepEqual(typo.range.start, { line, column: 5 });
      assert.deepEqual(warnings(folder.problems, mapFile), [], 'no coverage warnings at the positions of another text');
      assert.deepEqual(folder.map!.explain('src/search/rankResults.ts').features.map((f) => f.featureId), ['search']);
      assert.equal(await folder.refreshCoverage(), true, 'nothing to recompute: the map in force did not change');

      open = good;
      assert.equal(folder.editMap(mapFile, open), true);
      assert.equal(folder.usingLastGood, false);
      assert.notEqual(folder.map, before);
    });

    it('moves the warnings that still hold with their patterns, and adds the new ones when coverage has run', async () => {
      const folder = await loaded();
      const serchLine = good.split('\n').findIndex((l) => l.includes('/src/serch/')) + 1;
      const column = good.split('\n')[serchLine - 1].indexOf('/src/serch/') + 1;
      assert.deepEqual(warnings(folder.problems, mapFile), [`${serchLine}:${column} pattern "/src/serch/" of feature "search" matches no file; fix or remove it`]);

      // Two lines more above it, and a new pattern that matches nothing either.
      open = `# edited\n# twice\n${good.replace('      - /src/onboarding/\n', '      - /src/onboarding/\n      - /src/onbaording/\n')}`;
      assert.equal(folder.editMap(mapFile, open), true);
      assert.deepEqual(warnings(folder.problems, mapFile), [`${serchLine + 2}:${column} pattern "/src/serch/" of feature "search" matches no file; fix or remove it`]);

      assert.equal(await folder.refreshCoverage(), true);
      const onbaordingLine = open.split('\n').findIndex((l) => l.includes('/src/onbaording/')) + 1;
      assert.deepEqual(warnings(folder.problems, mapFile), [
        `${serchLine + 2}:${column} pattern "/src/serch/" of feature "search" matches no file; fix or remove it`,
        `${onbaordingLine}:9 pattern "/src/onbaording/" of feature "onboarding" matches no file; fix or remove it`,
      ]);
      // The same problems as loading that text from scratch.
      fs.writeFileSync(mapFile, open);
      const fresh = new FolderState(ws, quiet);
      await fresh.reloadFiles(() => undefined);
      assert.deepEqual(fresh.problems, folder.problems);
    });

    it('reuses the coverage when an edit changes no pattern, with the warnings at their new lines', async () => {
      const many = Array.from({ length: 12_000 }, (_, i) => `src/generated/part${i % 40}/file${i}.ts`);
      const folder = await loaded(many);
      const before = folder.coverage!;
      const serchLine = good.split('\n').findIndex((l) => l.includes('/src/serch/')) + 1;

      open = `# renamed search\n\n${good.replace('    name: Search\n', '    name: Product search\n')}`;
      folder.editMap(mapFile, open);
      const done = folder.refreshCoverage();
      assert.equal(folder.coverageCurrent, true, 'current at once: no pass over the 12,000 files');
      assert.equal(await done, true);
      assert.equal(folder.map?.feature('search')?.name, 'Product search');
      assert.deepEqual(folder.coverage?.filesByFeature, before.filesByFeature);
      assert.equal(folder.coverage?.unmappedFiles, before.unmappedFiles);
      assert.deepEqual(warnings(folder.problems, mapFile).map((w) => w.split(' ')[0].split(':')[0]), [String(serchLine + 2)]);
      const serch = folder.map!.features.find((f) => f.id === 'search')!.paths[1];
      assert.equal(folder.coverage?.matchesByPattern.get(serch), 0, 'pattern counts follow the new pattern objects');

      // A changed pattern needs the files matched again: that is not at once.
      open = open.replace('/src/serch/]', '/src/serch/, /src/generated/]');
      folder.editMap(mapFile, open);
      const again = folder.refreshCoverage();
      assert.equal(folder.coverageCurrent, false);
      assert.equal(await again, true);
      assert.equal(folder.coverage?.filesByFeature.get('search')?.length, 12_000 + (before.filesByFeature.get('search')?.length ?? 0));
    });

    it('drops a coverage pass that a later edit overtook, and finishes the later one', async () => {
      // Enough files for several slices, so the pass yields between them.
      const many = Array.from({ length: 12_000 }, (_, i) => `src/generated/part${i % 40}/file${i}.ts`);
      const folder = await loaded(many);
      open = good.replace('/src/search/, /src/serch/]', '/src/search/, /src/serch/, /src/experimental/]');
      folder.editMap(mapFile, open);
      const first = folder.refreshCoverage();
      assert.equal(folder.refreshCoverage(), first, 'one pass per map');
      open = good.replace('/src/search/, /src/serch/]', '/src/search/, /src/generated/]');
      folder.editMap(mapFile, open);
      assert.equal(await first, false);
      assert.equal(folder.coverageCurrent, false);
      assert.equal(await folder.refreshCoverage(), true);
      assert.equal(folder.coverage?.filesByFeature.get('search')?.filter((f) => f.startsWith('src/generated/')).length, 12_000);
      assert.ok(!folder.coverage?.filesByFeature.get('search')?.includes('src/experimental/voiceSearch.ts'));
    });
  });

  describe('over LSP', () => {
    let ws: string;
    let client: TestLspClient;
    before(async () => {
      ws = copyFixture();
      client = await TestLspClient.start({ folders: [ws] });
    });
    after(async () => {
      await client?.stop();
      fs.rmSync(ws, { recursive: true, force: true });
    });

    it('publishes the problems of an edit at once and the coverage warnings when typing pauses', async () => {
      const mapFile = path.join(ws, '.customer-lens.yml');
      const uri = client.open(mapFile, 'yaml');
      const good = fs.readFileSync(mapFile, 'utf8');
      await client.until(() => client.diagnostics.has(uri), 'the first diagnostics of the open map');
      const mapChanges = client.mapChanges.length;
      const published = client.diagnostics.get(uri);

      // A new pattern that takes in src/experimental/, and one that matches nothing.
      const text = good.replace('    paths: [/src/search/]', '    paths: [/src/search/, /src/experimental/, /src/nowhere/]');
      client.change(mapFile, text);
      await client.until(() => client.diagnostics.get(uri) !== published, 'the diagnostics of the edit');
      assert.deepEqual(client.diagnostics.get(uri), [], 'the edit is valid; its coverage is not known yet');
      assert.equal(client.mapChanges.length, mapChanges, 'the views are told only once coverage is current');
      const explained = await client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(path.join(ws, 'src', 'experimental', 'voiceSearch.ts')) });
      assert.deepEqual(explained.features.map((f) => f.featureId), ['search'], 'the edited map is in force at once');

      await client.until(() => client.mapChanges.length > mapChanges, 'customerLens/didChangeMap once coverage is current');
      const warning = (client.diagnostics.get(uri) ?? []).find((d: Diagnostic) => d.severity === 2);
      assert.ok(warning, JSON.stringify(client.diagnostics.get(uri)));
      assert.match(String(warning.message), /pattern "\/src\/nowhere\/" of feature "search" matches no file/);
      const line = text.split('\n').findIndex((l) => l.includes('/src/nowhere/'));
      assert.deepEqual(warning.range.start, { line, character: text.split('\n')[line].indexOf('/src/nowhere/') });

      client.change(mapFile, good);
      await client.until(() => (client.diagnostics.get(uri) ?? []).length === 0 && client.mapChanges.length > mapChanges + 1, 'the map to be clean again');
    });
  });
});
