// The headless lens in plain Node: placing paths (relative, absolute, file: URIs, several folders), reading the paths
// out of a unified diff, finding features by words, the token estimate, and what the agents' text keeps private.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { agentText } from '../../src/agents/agentAnswers';
import { agentTools } from '../../src/agents/agentTools';
import { cutToBudget, estimateTokens } from '../../src/agents/tokenBudget';
import { pathsOfDiff } from '../../src/lens/diffPaths';
import { lensReport } from '../../src/lens/featureBriefs';
import { findFeatures, queryWords } from '../../src/lens/findFeatures';
import { mergeFreshness, resolvePath, type LensFolder } from '../../src/lens/lensFolder';
import { LensError, LensWorkspace } from '../../src/lens/lensWorkspace';
import { AGENT_TOOLS_SETTING, LANGUAGE_MODEL_TOOLS } from '../../src/shared/agentToolNames';
import { plainText, printableJson } from '../../src/shared/plainText';
import { STOREFRONT } from './support/lspTestClient';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('lens: paths, diffs and words to features', () => {
  let storefront: LensWorkspace;
  before(async () => {
    storefront = await LensWorkspace.open({ root: STOREFRONT, log: quiet, mode: 'serve' });
  });
  after(() => storefront.dispose());

  it('places relative paths, absolute paths, file: URIs and folders; refuses what leaves the workspace', () => {
    const folders = [storefront];
    assert.equal(resolvePath(folders, 'src/checkout/cart.ts').relative, 'src/checkout/cart.ts');
    assert.equal(resolvePath(folders, path.join(STOREFRONT, 'src', 'checkout', 'cart.ts')).relative, 'src/checkout/cart.ts');
    assert.equal(resolvePath(folders, pathToFileURL(path.join(STOREFRONT, 'src', 'billing', 'plans.ts')).href).relative, 'src/billing/plans.ts');
    assert.equal(resolvePath(folders, 'src/checkout').relative, 'src/checkout/', 'an existing folder is explained as a folder');
    assert.equal(resolvePath(folders, 'src/new-area/').relative, 'src/new-area/');
    assert.match(resolvePath(folders, '../outside.ts').problem ?? '', /leaves the workspace root/);
    assert.match(resolvePath(folders, '/etc/passwd').problem ?? '', /is outside the workspace/);
    assert.match(resolvePath(folders, 'https://example.com/a.ts').problem ?? '', /is not a file path/);
  });

  it('in several folders, an absolute path belongs to the innermost one and a relative path to the one holding it', () => {
    const fake = (root: string): LensFolder => ({ root, map: undefined, lookup: async () => ({ features: {}, freshness: { state: 'none', source: 'none' } }) });
    const outer = fake(STOREFRONT);
    const inner = fake(path.join(STOREFRONT, 'packages', 'mobile-app'));
    const other = fake(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-lens-')));
    assert.equal(resolvePath([outer, inner], path.join(inner.root, 'src', 'checkout', 'x.ts')).folder, inner);
    assert.equal(resolvePath([other, outer], 'src/checkout/cart.ts').folder, outer, 'the folder where the file exists');
    assert.equal(resolvePath([other, outer], 'src/nowhere.ts').folder, other, 'the first folder when none has it');
    fs.rmSync(other.root, { recursive: true, force: true });
  });

  it('answers a folder as a whole, and puts features of the first path first', async () => {
    const report = await lensReport([storefront], { paths: ['src/billing/', 'src/emails/templates/welcome.html'], featureIds: ['checkout', 'billing'] });
    assert.deepEqual(report.paths.map((p) => [p.path, p.featureIds]), [
      ['src/billing/', ['billing']],
      ['src/emails/templates/welcome.html', ['onboarding']],
    ]);
    assert.deepEqual(report.features.map((f) => f.id), ['billing', 'onboarding', 'checkout']);
    assert.deepEqual(report.features[2]!.matches, [], 'asked by id: no path');
    assert.equal(report.features[0]!.context?.problems?.length, 4);
    assert.equal(report.freshness.source, 'file');
  });

  it('opens only a folder with a usable map, and says what to do otherwise', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-lens-empty-'));
    try {
      await assert.rejects(LensWorkspace.open({ root: empty, log: quiet, mode: 'once' }), (error: unknown) => error instanceof LensError && error.code === 'no-map' && /run "customer-lens init" there/.test(error.message));
      fs.writeFileSync(path.join(empty, '.customer-lens.yml'), 'version: 1\nfeatures:\n  - id: a\n    name: A\n    pahts: [/src/]\n');
      await assert.rejects(LensWorkspace.open({ root: empty, log: quiet, mode: 'once' }), (error: unknown) => error instanceof LensError && error.code === 'map-errors' && /\.customer-lens\.yml:5:5: feature "a": unknown key "pahts" \(did you mean "paths"\?\)/.test(error.message));
      await assert.rejects(LensWorkspace.open({ root: path.join(empty, 'missing'), log: quiet, mode: 'once' }), /is not a folder; pass the folder that holds the map file/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads the changed paths out of a git diff: renames, new and deleted files, quoted names, hunks that look like headers', () => {
    const diff = [
      'diff --git a/src/checkout/cart.ts b/src/checkout/cart.ts',
      'index 1111111..2222222 100644',
      '--- a/src/checkout/cart.ts',
      '+++ b/src/checkout/cart.ts',
      '@@ -1,3 +1,3 @@',
      ' keep',
      '--- a/not/a/header.ts',
      '+++ b/not/a/header.ts',
      ' keep',
      'diff --git a/old name.ts b/new name.ts',
      'similarity index 90%',
      'rename from old name.ts',
      'rename to new name.ts',
      'diff --git a/scripts/gone.ts b/scripts/gone.ts',
      'deleted file mode 100644',
      '--- a/scripts/gone.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-export {};',
      'diff --git "a/docs/caf\\303\\251 \\"menu\\".md" "b/docs/caf\\303\\251 \\"menu\\".md"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/docs/caf\\303\\251 \\"menu\\".md"',
      '@@ -0,0 +1 @@',
      '+# Menu',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    assert.deepEqual(pathsOfDiff(diff), ['src/checkout/cart.ts', 'old name.ts', 'new name.ts', 'scripts/gone.ts', 'docs/café "menu".md']);
    const plain = ['--- src/a.ts\t2026-11-01 10:00:00', '+++ src/a.ts\t2026-11-02 10:00:00', '@@ -1 +1 @@', '-a', '+b', '--- lib/b.ts', '+++ lib/b.ts', '@@ -1 +1 @@', '-c', '+d'].join('\n');
    assert.deepEqual(pathsOfDiff(plain), ['src/a.ts', 'lib/b.ts'], 'diff -u without git');
    assert.deepEqual(pathsOfDiff('just some words\nand more'), []);
  });

  it('finds features by words in the map and in what customers say, best match first', async () => {
    assert.deepEqual(queryWords('applyCoupon  checkout-flow!'), ['apply', 'coupon', 'checkout', 'flow']);
    const byOwner = await findFeatures([storefront], '@shop/growth');
    assert.equal(byOwner.features[0]!.id, 'onboarding');
    assert.deepEqual(byOwner.features[0]!.matchedOn, ['owners']);
    const byComplaint = await findFeatures([storefront], 'charged twice');
    assert.equal(byComplaint.features[0]!.id, 'billing');
    assert.ok(byComplaint.features[0]!.matchedOn.includes('problems'));
    const both = await findFeatures([storefront], 'search checkout');
    assert.deepEqual(both.features.slice(0, 2).map((f) => f.id).sort(), ['checkout', 'search']);
  });

  it('merges the freshness of several folders: the worst state, the oldest data', () => {
    const merged = mergeFreshness([
      { state: 'synced', source: 'file', fetchedAt: 5000, origin: 'a.json' },
      { state: 'offline', source: 'endpoint', fetchedAt: 1000, error: 'refused', origin: 'https://x' },
      { state: 'stale', source: 'endpoint', fetchedAt: 3000 },
    ]);
    assert.deepEqual(merged, { state: 'offline', source: 'endpoint', fetchedAt: 1000, error: 'refused', origin: 'https://x' });
  });
});

describe('agents: budget, privacy and the declared tools', () => {
  it('estimates tokens as four ASCII characters or one other character each, and cuts text to fit', () => {
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('▲ 35%'), 1 + 1);
    const long = 'word '.repeat(400);
    const cut = cutToBudget(long, 50);
    assert.ok(estimateTokens(cut) <= 50);
    assert.match(cut, /… \(cut to fit maxTokens\)$/);
  });

  it('masks e-mail addresses and removes control and bidi characters from what agents read', () => {
    assert.equal(agentText('Mail maria.lopez+shop@lopez-ceramics.example.com or call', 200), 'Mail [email] or call');
    assert.equal(agentText('safe\u202egnp.exe\u001b[31m\nnext', 200), 'safegnp.exe[31m next');
    assert.equal(plainText('a'.repeat(50), 10), `${'a'.repeat(9)}…`);
    const json = printableJson({ t: 'x\u202ey\u0085z\n' }, 2);
    assert.ok(!/[\u202e\u0085]/.test(json));
    assert.deepEqual(JSON.parse(json), { t: 'x\u202ey\u0085z\n' });
  });

  it('package.json declares each tool as a language-model tool with the same description and input schema', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const declared = manifest.contributes.languageModelTools as { name: string; modelDescription: string; inputSchema: unknown; when: string; toolReferenceName: string; canBeReferencedInPrompt: boolean }[];
    assert.deepEqual(declared.map((t) => t.name), LANGUAGE_MODEL_TOOLS.map((t) => t.name));
    for (const [index, tool] of agentTools.entries()) {
      const entry = declared[index]!;
      assert.equal(LANGUAGE_MODEL_TOOLS[index]!.tool, tool.name);
      assert.equal(entry.modelDescription, tool.description, `${entry.name} description`);
      const schema = z.toJSONSchema(tool.inputSchema) as Record<string, unknown>;
      delete schema.$schema;
      assert.deepEqual(entry.inputSchema, schema, `${entry.name} inputSchema (regenerate it from src/agents/agentTools.ts)`);
      assert.equal(entry.when, `config.${AGENT_TOOLS_SETTING}`);
      assert.ok(entry.canBeReferencedInPrompt && /^[\w-]+$/.test(entry.toolReferenceName));
      assert.ok(manifest.activationEvents.includes(`onLanguageModelTool:${entry.name}`));
    }
    const groups = manifest.contributes.configuration as Array<{ properties: Record<string, { default?: unknown }> }>;
    const setting = groups.find((group) => AGENT_TOOLS_SETTING in group.properties)?.properties[AGENT_TOOLS_SETTING];
    assert.equal(setting?.default, true);
  });
});
