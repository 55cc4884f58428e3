// The hub in the fault suite. Hostile text: payloads typed by customers into tickets, and sent by a vendor's API, reach
// the served documents as plain data (the editor escapes them where it shows them), bounded in size, never as a link
// that is not http(s), never breaking an import or a sync; bad URLs are refused at ingest, row by row. A sync killed
// with SIGKILL mid-run, on both engines: the next one resumes from the last stored page, nothing lost or doubled.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { request } from 'undici';
import { parseContextResponse, type FeatureContext } from '../../src/shared/contextProtocol';
import { engines, openTestDatabase, tempDir } from '../unit/support/hubEngines';
import { issue, startFakeGithub } from '../unit/support/fakeGithub';
import { cli, hubConfig, issues, REPO, TOKEN, until } from '../unit/support/hubProcess';
import { hub, serveHub, writeFiles } from '../unit/support/hubRun';
import { recordCase } from './faultTable';

const GROUP = 'The hub';

const payloads = [
  '[run](command:workbench.action.terminal.new)',
  '[x](http://attacker.example/steal)',
  '![i](https://tracker.example/pixel.gif)',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(1)',
  'JaVaScRiPt&#58;alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '[ref][1]\n\n[1]: command:evil',
  '<https://autolink.example>',
  '```\nfenced\n```',
  '| a | b |\n|---|---|\n| c | d |',
  '$(alert) $(loading~spin)',
  'safe\u202egnp.exe',
  'zero\u200bwidth\u2066isolate\u2069',
  'nul\u0000byte',
  'bell\u0007and\u001bescape',
  '=HYPERLINK("http://evil.example","click")',
  '"quoted, with commas"',
  'emoji 🧨 and 中文 and עברית',
  'x'.repeat(100_000),
];

function csvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

const postgres = engines.find((e) => e.name === 'PostgreSQL')!;

describe('hostile text through the hub (CSV import and the github-issues connector)', function () {
  this.timeout(300_000);

  it('imports every payload as data, bounded, into documents that are valid protocol v1', async () => {
    await recordCase(GROUP, `hostile text (${payloads.length} payloads) through a CSV import and the github-issues connector`, 'rows with a non-http(s) URL skipped with file:line:col; every payload served as data, bounded, valid protocol v1, no NUL', () => hostileThroughTheHub());
  });
});

async function hostileThroughTheHub(): Promise<string> {
  const dir = tempDir();
  const rows = payloads.map((p, i) =>
    [String(i + 1), csvField(p), 'open', 'high', csvField(`checkout;${p.slice(0, 50)}`), csvField(p.slice(0, 200)), '2026-11-20T09:00:00Z', '2026-11-21T09:00:00Z', '', csvField(p), ''].join(','),
  );
  const hostileUrls = ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'command:evil', 'vbscript:x', 'http://spaces in.example/'];
  hostileUrls.forEach((url, k) => rows.push([String(100 + k), 'Bad link', 'open', 'low', 'checkout', 'Acme', '2026-11-20', '2026-11-20', csvField(url), 'text', ''].join(',')));
  writeFiles(dir, {
    'hub.yml': `version: 1\nasOf: 2026-11-28\nquotesPerFeature: 100\nproblemsPerFeature: 100\nsources:\n  - { id: tickets, kind: csv-tickets }\n  - { id: issues, kind: github-issues, repo: acme/shop, baseUrl: "BASE" }\nfeatures:\n  - { id: checkout, tags: [checkout] }\n`,
    'hostile.csv': `id,title,status,priority,tags,account,created_at,updated_at,url,text,problem\n${rows.join('\n')}\n`,
  });
  const fake = await startFakeGithub({
    repo: 'acme/shop',
    issues: payloads.map((p, i) => issue(i + 1, `2026-11-2${i % 9}T10:00:00Z`, { title: p, body: p, labels: ['checkout', p.slice(0, 40)] })),
  });
  const config = path.join(dir, 'hub.yml');
  const fs = await import('node:fs');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('BASE', fake.url));
  const database = await postgres.fresh();
  try {
    const imported = await hub(['import', '--config', 'hub.yml', '--source', 'tickets', 'hostile.csv', '--database', database], { cwd: dir });
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, new RegExp(`${payloads.length} rows imported into "tickets", ${hostileUrls.length} skipped`));
    assert.equal(imported.err.match(/hostile\.csv:\d+:\d+: "url" is not an http\(s\) URL; row skipped/g)?.length, hostileUrls.length, imported.err);
    const synced = await hub(['sync', '--config', 'hub.yml', '--source', 'issues', '--database', database], { cwd: dir });
    assert.equal(synced.code, 0, synced.err);

    const served = await serveHub(['--config', 'hub.yml', '--database', database], { cwd: dir });
    try {
      const answer = await request(`${served.url}/v1/context?features=checkout`);
      const json = await answer.body.json();
      const parsed = parseContextResponse(json, 'hub');
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.warnings, [], 'every served item is valid protocol v1');
      const feature = parsed.value.features[0] as FeatureContext;
      const strings = JSON.stringify(feature);
      assert.ok(!strings.includes('\\u0000'), 'NUL never stored or served');
      for (const problem of feature.problems!) {
        assert.ok(problem.title.length <= 300, `title bounded: ${problem.title.length}`);
        if (problem.url) assert.match(problem.url, /^https?:\/\//);
      }
      for (const quote of feature.quotes!) assert.ok(quote.text.length <= 1000, `quote bounded: ${quote.text.length}`);
      // The hub serves the payloads as text, unchanged apart from bounds and NUL: escaping is the job of whoever
      // renders (the editor's parser neutralises bidi and control characters as it reads the answer, so read the
      // titles as served).
      const asServed = (json as { features: Array<{ problems: Array<{ title: string }> }> }).features[0]!;
      const titles = new Set(asServed.problems.map((p) => p.title));
      assert.ok(titles.has('[run](command:workbench.action.terminal.new)'));
      assert.ok(titles.has('safe\u202egnp.exe'));
      assert.ok(titles.has('nulbyte'));
      assert.ok([...titles].some((t) => t.startsWith('xxxx') && t.endsWith('…') && t.length === 300));
      assert.equal(feature.problems!.filter((p) => p.source === 'issues').length, payloads.length);
      assert.ok(Buffer.byteLength(JSON.stringify(json)) < 1_000_000, 'the answer stays well under the client\'s 5 MB cap');
    } finally {
      await served.stop();
    }
  } finally {
    await fake.close();
  }
  return `${payloads.length} payloads in CSV rows and GitHub issues: ${hostileUrls.length} bad URLs skipped at their line, every item served as valid protocol v1 under 1 MB`;
}

for (const engine of engines) {
  describe(`hub sync killed with SIGKILL mid-run (${engine.name})`, function () {
    this.timeout(400_000);

    it('resumes from the last stored page: nothing lost, nothing doubled', async () => {
      await recordCase(GROUP, `a sync killed with SIGKILL mid-run (${engine.name})`, 'the next sync resumes from the last stored page: nothing lost, nothing doubled', async () => {
        const fake = await startFakeGithub({ repo: REPO, token: TOKEN, issues: issues(250) });
        const dir = tempDir();
        writeFiles(dir, { 'hub.yml': hubConfig(fake) });
        const database = await engine.fresh();
        try {
          // Page 3 never answers on the first run: the process is killed while it waits, pages 1 and 2 stored.
          let hang = true;
          fake.faults.push((_req, _url, page) => (hang && page === 3 ? { status: 0, hang: true } : undefined));
          const first = cli(['sync', '--config', path.join(dir, 'hub.yml'), '--database', database], { GH_TOKEN: TOKEN });
          await until('page 3 requested', async () => (fake.requests.some((r) => r.status === 0) ? true : undefined), 120_000);
          first.child.kill('SIGKILL');
          assert.equal(await first.exited, null, first.output());
          hang = false;
          fake.requests.length = 0;

          const second = cli(['sync', '--config', path.join(dir, 'hub.yml'), '--database', database], { GH_TOKEN: TOKEN });
          assert.equal(await second.exited, 0, second.output());
          assert.match(second.output(), /^issues: 51 records in 1 page, 1 request$/m); // issues 200–250: from the cursor
          assert.match(decodeURIComponent(fake.requests[0]!.url), /since=2026-11-20T03:19:59Z/);

          const db = await openTestDatabase(database);
          try {
            const [counts] = await db.query<{ n: number; distinct_ids: number }>('select count(*)::int as n, count(distinct vendor_id)::int as distinct_ids from hub_records');
            assert.deepEqual(counts, { n: 250, distinct_ids: 250 });
            const runs = await db.query<{ outcome: string | null }>('select outcome from hub_sync_runs order by started_at');
            assert.deepEqual(runs.map((r) => r.outcome), [null, 'ok']); // the killed run never finished
            const [doc] = await db.query<{ body: string }>("select body from hub_documents where feature_id = 'checkout'");
            const mentions = JSON.parse(doc!.body).problems.reduce((sum: number, p: { mentions: number }) => sum + p.mentions, 0);
            assert.equal(mentions, 50); // the 50 served problems, one comment each: no doubled mention anywhere
          } finally {
            await db.close();
          }
        } finally {
          await fake.close();
        }
        return 'killed waiting for page 3 of 250 issues; the next sync asked from the cursor (1 request), 250 records, 250 distinct, no doubled mention';
      });
    });
  });
}
