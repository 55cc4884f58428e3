// Agent instruction files: `applyTo` globs that select what the map assigns (checked against the map itself with a
// glob matcher on every file of the sample), no customer data in them, and a writer that never overwrites a file it
// did not generate. The CLI (`customer-lens instructions`, `--check`) is run as a user runs it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { instructionFiles, patternGlobs, writeInstructionFiles } from '../../src/agents/instructionFiles';
import { computeCoverage } from '../../src/map/coverage';
import { loadWorkspaceMap } from '../../src/map/workspaceMap';
import { listWorkspaceFiles } from '../../src/map/workspaceFiles';
import { buildOnce, runCli } from './cliHarness';
import { copyFixture, STOREFRONT } from './support/lspTestClient';

/** Node's own glob matcher (`path.matchesGlob`), without its one-time "experimental" warning. */
function matchesGlob(file: string, glob: string): boolean {
  const emit = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    return (path.posix as unknown as { matchesGlob(p: string, g: string): boolean }).matchesGlob(file, glob);
  } finally {
    process.emitWarning = emit;
  }
}

function frontMatter(content: string): Record<string, string> {
  const block = /^---\n([\s\S]*?)\n---\n/.exec(content);
  assert.ok(block, 'the file starts with front matter');
  return Object.fromEntries(block[1]!.split('\n').map((line) => [line.slice(0, line.indexOf(':')), JSON.parse(line.slice(line.indexOf(':') + 1).trim()) as string]));
}

describe('agent instruction files', function () {
  this.timeout(60_000);

  it('writes each map pattern as globs with the same reach', () => {
    const cases: [string, string[], string[]][] = [
      ['/src/checkout/', [], ['src/checkout/**']],
      ['*.payment.ts', [], ['**/*.payment.ts']],
      ['/src/emails/**/welcome*', [], ['src/emails/**/welcome*']],
      ['/src/checkout', [], ['src/checkout', 'src/checkout/**']],
      ['package.json', [], ['**/package.json', '**/package.json/**']],
      ['docs/*', [], ['docs/*']],
      ['/src/checkout/', ['packages', 'mobile-app'], ['packages/mobile-app/src/checkout/**']],
      ['*.ts', ['packages', 'web'], ['packages/web/**/*.ts']],
      ['/src/**', [], ['src/**']],
    ];
    for (const [pattern, base, globs] of cases) assert.deepEqual(patternGlobs(pattern, base), { globs }, pattern);
    assert.deepEqual(patternGlobs('/src/[id]/', []), { skipped: '/src/[id]/ (its [ ] { } or , cannot be written in an applyTo glob)' });
  });

  it('selects every file of each feature of the sample, and nothing else but what the feature excludes', async () => {
    const files = await listWorkspaceFiles(STOREFRONT);
    const { map } = await loadWorkspaceMap(STOREFRONT, { files });
    assert.ok(map);
    const coverage = computeCoverage(map, files);
    const generated = instructionFiles(map);
    for (const feature of map.features) {
      const file = generated.find((g) => g.featureId === feature.id);
      assert.ok(file, `a file for ${feature.id}`);
      const globs = frontMatter(file.content).applyTo!.split(',');
      const selected = files.filter((f) => globs.some((g) => matchesGlob(f, g)));
      const owned = coverage.filesByFeature.get(feature.id) ?? [];
      assert.deepEqual(owned.filter((f) => !selected.includes(f)), [], `${feature.id}: every file of the feature is selected`);
      for (const extra of selected.filter((f) => !owned.includes(f))) {
        const explanation = map.explain(extra);
        const excluded = feature.exclude.some((p) => extra.startsWith(p.pattern.replace(/^\//, '')));
        assert.ok(excluded, `${feature.id}: ${extra} is selected but not in the feature (${JSON.stringify(explanation.features)})`);
      }
    }
  });

  it('says what each feature is, who owns it and how to ask for its customers, with no customer data', async () => {
    const files = await listWorkspaceFiles(STOREFRONT);
    const { map } = await loadWorkspaceMap(STOREFRONT, { files });
    const generated = instructionFiles(map!);
    assert.equal(generated[0]!.path, '.github/instructions/customer-lens.instructions.md');
    assert.equal(frontMatter(generated[0]!.content).applyTo, '**');
    const checkout = generated.find((g) => g.featureId === 'checkout')!;
    assert.equal(checkout.path, '.github/instructions/customer-lens-checkout.instructions.md');
    assert.deepEqual(frontMatter(checkout.content), {
      applyTo: 'src/checkout/**,**/*.payment.ts',
      description: 'Checkout: who its customers are, and how to see what they report before changing this code',
    });
    assert.match(checkout.content, /^# Checkout \(feature `checkout`\)$/m);
    assert.match(checkout.content, /^Turning a cart into a paid order\. Every percent of drop-off here is lost revenue\.$/m);
    assert.match(checkout.content, /^Owners: @shop\/payments\.$/m);
    assert.match(checkout.content, /^Not part of it, although the globs above select them: `\/src\/checkout\/legacy\/`\.$/m);
    assert.match(checkout.content, /call `customer_context` with the paths you are about to change \(or with featureIds `\["checkout"\]`\)/);
    const context = fs.readFileSync(path.join(STOREFRONT, 'customer-context.json'), 'utf8');
    const customerWords = ['Coupon codes rejected', 'Lopez Ceramics', 'Maria Lopez', '386', 'Checkouts started', "Turns a shopper's cart"];
    for (const file of generated) for (const word of customerWords) {
      assert.ok(context.includes(word), `${word} is customer data of the sample`);
      assert.ok(!file.content.includes(word), `${file.path} holds no customer data (${word})`);
    }
  });

  it('never overwrites or deletes a file it did not write, and removes its own files of features that left the map', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-instructions-'));
    try {
      const dir = path.join(root, '.github', 'instructions');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'customer-lens-a.instructions.md'), 'hand-written\n');
      fs.writeFileSync(path.join(dir, 'team.instructions.md'), 'ours\n');
      const files = [
        { path: '.github/instructions/customer-lens-a.instructions.md', content: 'generated a\n' },
        { path: '.github/instructions/customer-lens-b.instructions.md', content: '---\n---\n<!-- customer-lens: generated from the map by "customer-lens instructions"; edit the map and run it again, not this file -->\nb\n' },
      ];
      const first = await writeInstructionFiles(root, files);
      assert.deepEqual(first, { written: [files[1]!.path], unchanged: [], removed: [], conflicts: [files[0]!.path] });
      assert.equal(fs.readFileSync(path.join(dir, 'customer-lens-a.instructions.md'), 'utf8'), 'hand-written\n');
      const second = await writeInstructionFiles(root, [files[0]!]);
      assert.deepEqual(second.removed, ['.github/instructions/customer-lens-b.instructions.md']);
      assert.ok(fs.existsSync(path.join(dir, 'team.instructions.md')));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('customer-lens instructions writes them, and --check fails once the map changed', async () => {
    await buildOnce();
    const ws = copyFixture();
    try {
      const first = await runCli(ws, 'instructions');
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^wrote \.github\/instructions\/customer-lens\.instructions\.md$/m);
      assert.match(first.stdout, /Agent instructions: 6 files written, 0 unchanged in \.github\/instructions\.$/m);
      assert.equal((await runCli(ws, 'instructions', '--check')).code, 0);
      const mapFile = path.join(ws, '.customer-lens.yml');
      fs.writeFileSync(mapFile, fs.readFileSync(mapFile, 'utf8').replace('owners: ["@shop/discovery"]', 'owners: ["@shop/search"]'));
      const stale = await runCli(ws, 'instructions', '--check');
      assert.equal(stale.code, 1);
      assert.match(stale.stdout, /^out of date: \.github\/instructions\/customer-lens-search\.instructions\.md$/m);
      assert.match(stale.stderr, /1 instruction file not up to date with the map; run "customer-lens instructions" and commit the result/);
      const update = await runCli(ws, 'instructions');
      assert.match(update.stdout, /Agent instructions: 1 file written, 5 unchanged/);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
