// "Did this work?" in the language server, over a real LSP connection, on a throwaway git repository whose `git log`
// is slow: a hover answers at once while the history is being read, then carries the before/after line; the
// sidebar's answer has each feature's change markers and "Your recent changes".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { marked } from 'marked';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { formatChangeDate } from '../../src/shared/changeHistory';
import { FileContextRequest, type FileContextResult } from '../../src/shared/lspProtocol';
import { createRepo, dailySeries, slowGitFolder, TEST_MAP, type TestRepo } from './support/gitRepos';
import { TestLspClient, uriOf } from './support/lspTestClient';

const DAY = 86_400_000;
const SLOW_SECONDS = 4;

function isoDay(ms: number): string {
  return new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10);
}

describe('language server: changes on the trend lines (slow git)', function () {
  this.timeout(60_000);
  let repo: TestRepo;
  let slow: string;
  let client: TestLspClient;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const changeAt = today - 20 * DAY + 10 * 3_600_000;
  let short: string;

  before(async () => {
    repo = createRepo();
    slow = slowGitFolder(SLOW_SECONDS);
    const context = {
      version: 1,
      features: [
        {
          id: 'checkout',
          name: 'Checkout',
          problems: [{ id: 'coupon', title: 'Coupon codes rejected', customers: 42, status: 'open', series: dailySeries(isoDay(today - 60 * DAY), isoDay(today - 3 * DAY), isoDay(changeAt), 10, 4) }],
          usage: [{ id: 'completed', label: 'Checkouts completed', value: 104, series: dailySeries(isoDay(today - 60 * DAY), isoDay(today - 3 * DAY), isoDay(changeAt), 100, 104) }],
        },
      ],
    };
    repo.commit('Start', new Date(today - 90 * DAY).toISOString(), {
      '.customer-lens.yml': TEST_MAP,
      'customer-context.json': JSON.stringify(context),
      'src/checkout/a.ts': '// customer-lens: checkout\nexport const a = 1;\n',
      'src/search/s.ts': 'export const s = 1;\n',
    });
    repo.commit('Accept **lower-case** coupon codes <img src=x> \u202eevil', new Date(changeAt).toISOString(), { 'src/checkout/a.ts': '// customer-lens: checkout\nexport const a = 2;\n' });
    short = repo.git('rev-parse', '--short', 'HEAD').trim();
    repo.commit('Search by someone else', new Date(today - 5 * DAY).toISOString(), { 'src/search/s.ts': 'export const s = 2;\n' }, 'someone@example.com');
    client = await TestLspClient.start({
      folders: [repo.root],
      initializationOptions: { commandLinks: true },
      env: { ...process.env, PATH: `${slow}${path.delimiter}${process.env.PATH ?? ''}` },
    });
  });
  after(async () => {
    await client?.stop();
    repo?.remove();
    if (slow) fs.rmSync(slow, { recursive: true, force: true });
  });

  const file = path.join.bind(path);
  const hover = async () => {
    const a = file(repo.root, 'src', 'checkout', 'a.ts');
    const uri = client.open(a);
    const started = Date.now();
    const result = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: TestLspClient.positionOf(a, 'checkout', 2) });
    return { markdown: (result?.contents as MarkupContent | undefined)?.value ?? '', ms: Date.now() - started };
  };

  it('answers a hover while the history is still being read, then adds the before/after line', async () => {
    const first = await hover();
    assert.match(first.markdown, /^\*\*Checkout\*\*/);
    assert.ok(first.ms < 2000, `the hover waited ${first.ms} ms for git`);
    assert.doesNotMatch(first.markdown, /Since the change/, 'the history cannot be known yet: git log sleeps');
    await client.until(() => client.logs.some((l) => l.includes('git history read')), 'the history read', 30_000);
    const second = await hover();
    const card = second.markdown.replace(/\u00a0/g, ' ');
    const date = formatChangeDate(changeAt, Date.now());
    assert.ok(
      card.includes(`Since the change of ${date} (\`${short}\` Accept \\*\\*lower-case\\*\\* coupon codes…): Checkouts completed ▲ 4%, mentions of “Coupon codes rejected” ▼ 60% (17 days before and after)`),
      card,
    );
    assert.match(card, /\*\*Usage\*\* Checkouts completed 104 {2}\nSince the change/, 'one more line in the usage block, not a new paragraph');
    const html = await marked.parse(second.markdown);
    assert.ok(!html.includes('<img') && !html.includes('<strong>lower'), html);
    assert.ok(!second.markdown.includes('\u202e'));
  });

  it('sends each feature\'s markers and the before/after to the sidebar, and the features I changed lately', async () => {
    await client.until(() => client.logs.some((l) => l.includes('git history read')), 'the history read', 30_000);
    const result = await client.request<FileContextResult>(FileContextRequest.method, { uri: uriOf(file(repo.root, 'src', 'checkout', 'a.ts')) });
    const history = result.features[0]!.history!;
    assert.equal(history.state, 'ready');
    assert.deepEqual(history.changes.map((c) => [c.kind, c.short, c.date]), [
      ['commit', short, Math.floor(changeAt / 1000) * 1000],
      ['commit', repo.git('rev-parse', '--short', 'HEAD~2').trim(), today - 90 * DAY],
    ]);
    assert.equal(history.measured?.state, 'measured');
    // The e-mail is read once; a refresh follows it.
    await client.until(() => client.contextChanges.length >= 2, 'a refresh after the e-mail was read', 10_000).catch(() => undefined);
    const again = await client.request<FileContextResult>(FileContextRequest.method, { uri: uriOf(file(repo.root, 'src', 'checkout', 'a.ts')) });
    const recent = again.recentChanges!;
    assert.equal(recent.state, 'ready', JSON.stringify(recent));
    assert.equal(recent.email, 'dev@example.com');
    assert.deepEqual(recent.changes.map((c) => [c.featureId, c.name, c.change.short, c.outcome.state]), [['checkout', 'Checkout', short, 'measured']]);
  });
});
