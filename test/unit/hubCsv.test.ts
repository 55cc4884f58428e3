// The hub end to end on CSV exports, on both engines: check, sync, import, masking, protocol v1 through the real
// HTTP server (the same probe `customer-lens probe` runs), bad rows reported at file:line:col, hostile text.
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { runProbe } from '../../src/context/probe';
import { parseContextResponse } from '../../src/shared/contextProtocol';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { hub, serveHub, writeFiles } from './support/hubRun';

const CONFIG = `version: 1
tokens: { env: HUB_TOKENS }
period: 28d
asOf: 2026-11-28
sources:
  - { id: tickets, kind: csv-tickets, file: tickets.csv, name: Desk }
  - { id: accounts, kind: csv-accounts, file: accounts.csv }
  - { id: usage, kind: csv-usage }
features:
  - { id: checkout, name: Checkout, tags: [checkout], events: [checkout_completed] }
  - { id: search, tags: [search] }
`;

// Line 1 header (with a BOM and an extra column); ticket 1 spans lines 2–3; bad rows on lines 5, 6, 7 and 8.
const TICKETS =
  '\uFEFFid,title,status,priority,tags,account,created_at,updated_at,url,text,problem,extra\r\n' +
  '1,Coupon rejected,open,high,checkout,Acme,2026-11-20T09:00:00Z,2026-11-21T09:00:00Z,https://desk.example/1,"Mail me at dana@acme.com\r\nor call +1 415 555 0134, card 4111 1111 1111 1111",,ignored\r\n' +
  '2,Coupon rejected,solved,urgent,checkout;search,Beta,2026-11-01T09:00:00Z,2026-11-02T09:00:00Z,,"He said ""no""",,\r\n' +
  '3,Bad status,weird,high,checkout,Acme,2026-11-20,2026-11-20,,,,\r\n' +
  '4,Bad date,open,low,checkout,Acme,yesterday,2026-11-20,,,,\r\n' +
  '5,Bad url,open,low,checkout,Acme,2026-11-20,2026-11-20,javascript:alert(1),,,\r\n' +
  '6,Broken "quote" here,open,low,checkout,Acme,2026-11-20,2026-11-20,,,,\r\n' +
  '7,Search is slow,Pending,Normal,search,gamma.de,2026-10-20T09:00:00Z,2026-10-21T09:00:00Z,,,,\r\n';

const ACCOUNTS = 'account,domain,arr,currency,segment\nAcme,https://www.acme.com/,100000,USD,Enterprise\nBeta,beta.io,20000,usd,SMB\nGamma,gamma.de,12k,EUR,SMB\n';
const USAGE = 'date,event,value\n2026-11-28,checkout_completed,10\n2026-11-01,checkout_completed,5\n2026-10-31,checkout_completed,7\n';

for (const engine of engines) {
  describe(`hub on CSV exports (${engine.name})`, function () {
    this.timeout(180_000);
    let dir: string;
    let database: string;
    const env = { HUB_TOKENS: 'token-a, token-b' };

    before(async () => {
      dir = tempDir();
      writeFiles(dir, { 'hub.yml': CONFIG, 'tickets.csv': TICKETS, 'accounts.csv': ACCOUNTS, 'usage.csv': USAGE });
      database = await engine.fresh();
    });

    it('checks the config, syncs, and skips bad rows one by one with file:line:col', async () => {
      const check = await hub(['check', '--config', 'hub.yml'], { cwd: dir, env });
      assert.equal(check.code, 0, check.err);
      assert.match(check.out, /hub\.yml: OK, 3 sources .*2 features/);

      const sync = await hub(['sync', '--config', 'hub.yml', '--database', database], { cwd: dir, env });
      assert.equal(sync.code, 0, sync.err);
      assert.match(sync.out, /^tickets: 3 records in 1 page, 0 requests, 4 skipped$/m);
      assert.match(sync.out, /^accounts: 2 records in 1 page, 0 requests, 1 skipped$/m);
      assert.match(sync.err, /tickets\.csv:5:14: "status" is "weird"; use one of open, pending, on-hold, solved, closed, planned, in-progress; row skipped/);
      assert.match(sync.err, /tickets\.csv:6:35: "created_at" is "yesterday", not an ISO 8601 date/);
      assert.match(sync.err, /tickets\.csv:7:56: "url" is not an http\(s\) URL; row skipped/);
      assert.match(sync.err, /tickets\.csv:8:1: bad quoting: .*row skipped/);
      assert.match(sync.err, /accounts\.csv:4:16: "arr" is "12k", not a non-negative number/);
      // The row after the broken one imported: ticket 7 is there.
      const db = await openTestDatabase(database);
      try {
        const ids = (await db.query<{ vendor_id: string }>("select vendor_id from hub_records where source_id = 'tickets' order by vendor_id")).map((r) => r.vendor_id);
        assert.deepEqual(ids, ['1', '2', '7']);
      } finally {
        await db.close();
      }
    });

    it('imports a file into a CSV source once: the same file again changes nothing', async () => {
      const first = await hub(['import', '--config', 'hub.yml', '--source', 'usage', 'usage.csv', '--database', database], { cwd: dir, env });
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /usage\.csv: 3 rows imported into "usage"; 1 feature changed/);
      const db = await openTestDatabase(database);
      const version = async () => (await db.query<{ data_version: number; docs_version: number }>('select data_version, docs_version from hub_meta'))[0];
      const count = async () => (await db.query<{ n: number }>('select count(*)::int as n from hub_records'))[0]!.n;
      const before = { version: await version(), count: await count() };
      await db.close();
      const again = await hub(['import', '--config', 'hub.yml', '--source', 'usage', 'usage.csv', '--database', database], { cwd: dir, env });
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /already imported into "usage"; nothing changed/);
      const db2 = await openTestDatabase(database);
      try {
        assert.deepEqual({ version: (await db2.query('select data_version, docs_version from hub_meta'))[0], count: (await db2.query<{ n: number }>('select count(*)::int as n from hub_records'))[0]!.n }, before);
      } finally {
        await db2.close();
      }
      const status = await hub(['status', '--config', 'hub.yml', '--database', database, '--json'], { cwd: dir, env });
      assert.equal(status.code, 0, status.err);
      const report = JSON.parse(status.out) as { sources: Array<{ id: string; items: number; lastError: string | null; warnings: string[]; cursor: Record<string, { done?: boolean }> }>; unmatchedAccounts: { references: unknown[] } };
      assert.deepEqual(report.sources.map((s) => [s.id, s.items, s.lastError, s.warnings.length]), [['tickets', 3, null, 4], ['accounts', 2, null, 1], ['usage', 3, null, 0]]);
      assert.equal(report.sources[0]!.cursor.tickets!.done, true);
      // Gamma's row was skipped (bad ARR), so the ticket naming gamma.de matches no account: status says so.
      assert.deepEqual(report.unmatchedAccounts.references, [{ sourceId: 'tickets', key: 'gamma.de', count: 1 }]);
      const wrongKind = await hub(['import', '--config', 'hub.yml', '--source', 'nope', 'usage.csv', '--database', database], { cwd: dir, env });
      assert.equal(wrongKind.code, 1);
      assert.match(wrongKind.err, /no source "nope"/);
    });

    it('masks e-mail addresses, phone numbers and card numbers before anything is stored', async () => {
      const db = await openTestDatabase(database);
      try {
        const dump = (await db.query<{ t: string }>("select coalesce(body::text, '') || coalesce(raw::text, '') as t from hub_records")).map((r) => r.t).join('\n');
        const docs = (await db.query<{ body: string }>('select body from hub_documents')).map((r) => r.body).join('\n');
        for (const text of [dump, docs]) {
          assert.doesNotMatch(text, /dana@acme\.com|555 0134|4111 1111/);
        }
        assert.match(dump, /Mail me at \[email\]\\nor call \[phone\], card \[card\]/); // CRLF inside the quoted text reads as LF
      } finally {
        await db.close();
      }
    });

    it('serves protocol v1 as documented: the probe passes, figures as computed by hand, ETag and 304', async () => {
      const served = await serveHub(['--config', 'hub.yml', '--database', database], { cwd: dir, env });
      try {
        const report = await runProbe(served.url, { token: 'token-b' });
        assert.ok(report.passed, JSON.stringify(report.checks, null, 1));
        assert.equal(report.checks.length, 10);

        const url = `${served.url}/v1/context?features=checkout,unknown-feature`;
        const answer = await request(url, { headers: { authorization: 'Bearer token-a' } });
        assert.equal(answer.statusCode, 200);
        const etag = answer.headers.etag as string;
        const parsed = parseContextResponse(await answer.body.json(), url);
        assert.ok(parsed.ok);
        assert.deepEqual(parsed.warnings, []);
        const [checkout] = parsed.value.features;
        assert.equal(parsed.value.features.length, 1);
        assert.deepEqual(checkout!.problems, [
          {
            id: 'coupon rejected',
            title: 'Coupon rejected',
            customers: 2, // Acme (matched by name) and Beta
            mentions: 2,
            arr: 120_000, // 100,000 + 20,000 USD
            currency: 'USD',
            severity: 'critical', // urgent
            status: 'open',
            // both tickets fall in this period (Nov 1–28), none before: no trend
            source: 'Desk',
            url: 'https://desk.example/1',
            updatedAt: '2026-11-21T09:00:00Z',
          },
        ]);
        assert.deepEqual(
          checkout!.quotes!.map((q) => [q.id, q.text, q.company]),
          [
            ['1', 'Mail me at [email]\nor call [phone], card [card]', 'Acme'],
            ['2', 'He said "no"', 'Beta'],
          ],
        );
        assert.equal(checkout!.usage![0]!.value, 15);
        assert.equal(checkout!.usage![0]!.change, 1.1429); // 15 ÷ 7 − 1

        const again = await request(url, { headers: { authorization: 'Bearer token-a', 'if-none-match': etag } });
        await again.body.dump();
        assert.equal(again.statusCode, 304);
        const health = await request(`${served.url}/healthz`);
        assert.equal(health.statusCode, 200);
        assert.equal(((await health.body.json()) as { status: string }).status, 'ok');
        const metrics = await request(`${served.url}/metrics`);
        const text = await metrics.body.text();
        assert.match(text, /customer_lens_hub_source_items\{source="tickets"\} 3/);
        assert.match(text, /customer_lens_hub_requests_total\{route="\/v1\/context",status="304"\} 2/); // the probe's and ours
        assert.match(text, /# TYPE customer_lens_hub_source_items gauge\ncustomer_lens_hub_source_items\{source="accounts"\} 2\ncustomer_lens_hub_source_items\{source="tickets"\} 3\n/);
        assert.match(text, /customer_lens_hub_request_duration_seconds_bucket\{route="\/v1\/context",le="\+Inf"\} \d+/);
      } finally {
        assert.equal(await served.stop(), 0);
      }
    });

    it('answers with the same ETag after a restart (documents are stored, not recomputed per process)', async () => {
      const etags: string[] = [];
      for (let i = 0; i < 2; i++) {
        const served = await serveHub(['--config', 'hub.yml', '--database', database], { cwd: dir, env });
        try {
          const answer = await request(`${served.url}/v1/context?features=checkout,search`, { headers: { authorization: 'Bearer token-a' } });
          await answer.body.dump();
          etags.push(answer.headers.etag as string);
        } finally {
          await served.stop();
        }
      }
      assert.equal(etags[0], etags[1]);
    });

    it('refuses to listen beyond loopback without client tokens', async () => {
      const refused = await hub(['serve', '--config', 'hub.yml', '--database', database, '--host', '0.0.0.0', '--port', '0'], { cwd: dir, env: {} });
      assert.equal(refused.code, 1);
      assert.match(refused.err, /refusing to listen on 0\.0\.0\.0 without client tokens.*Set HUB_TOKENS/);
    });
  });
}
