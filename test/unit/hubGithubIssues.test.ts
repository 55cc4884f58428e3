// The github-issues connector and the sync loop's politeness, against a local fake of GitHub's REST API built from
// its documented shapes (test/unit/support/fakeGithub.ts): Link pagination, rate-limit headers, Retry-After, ETag
// and 304, 401, 5xx, a page that fails mid-sync and a resume that loses and doubles nothing.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { HubDatabase } from '../../src/hub/database';
import { recomputeDocuments } from '../../src/hub/documents';
import { loadHubConfig, type HubConfig } from '../../src/hub/hubConfig';
import { registerSources, syncSource, type SyncEnvironment } from '../../src/hub/syncLoop';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { issue, startFakeGithub, type FakeGithub } from './support/fakeGithub';
import { writeFiles } from './support/hubRun';

const REPO = 'acme/shop';
const TOKEN = 'ghp_test_token';
const postgres = engines.find((e) => e.name === 'PostgreSQL')!;

function config(baseUrl: string, extra = ''): HubConfig {
  const dir = tempDir();
  writeFiles(dir, {
    'hub.yml': `version: 1
asOf: 2026-11-28
sources:
  - { id: issues, kind: github-issues, name: GitHub, repo: ${REPO}, token: { env: GH_TOKEN }, baseUrl: "${baseUrl}", labels: [customer]${extra} }
features:
  - { id: checkout, tags: [checkout] }
  - { id: search, tags: [search] }
`,
  });
  const outcome = loadHubConfig(path.join(dir, 'hub.yml'));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.config;
}

/** 250 issues (3 pages of 100), a pull request among them, updated a minute apart. */
function manyIssues() {
  const list = [];
  for (let n = 1; n <= 250; n++) {
    const minute = String(n % 60).padStart(2, '0');
    const hour = String(Math.floor(n / 60)).padStart(2, '0');
    list.push(issue(n, `2026-11-20T${hour}:${minute}:00Z`, { labels: ['customer', n % 2 ? 'checkout' : 'search'], comments: n % 5, thumbsUp: n % 3 }));
  }
  list.push(issue(251, '2026-11-21T00:00:00Z', { pull_request: true, labels: ['customer', 'checkout'] }));
  return list;
}

describe('github-issues connector (fake GitHub REST API on 127.0.0.1)', function () {
  this.timeout(60_000);
  let fake: FakeGithub;
  let db: HubDatabase;
  let hubConfig: HubConfig;
  let env: SyncEnvironment;
  const lines: string[] = [];

  beforeEach(async () => {
    fake = await startFakeGithub({ repo: REPO, token: TOKEN, issues: manyIssues() });
    db = await openTestDatabase(await postgres.fresh());
    hubConfig = config(fake.url);
    await registerSources(db, hubConfig);
    lines.length = 0;
    env = { db, config: hubConfig, owner: 'test', env: { GH_TOKEN: TOKEN }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 10, maxWaitMs: 3000 } };
  });
  afterEach(async () => {
    await db.close();
    await fake.close();
  });

  const stored = async () => (await db.query<{ n: number }>("select count(*)::int as n from hub_records where source_id = 'issues'"))[0]!.n;
  const source = () => hubConfig.sources[0]!;

  it('follows Link pagination, skips pull requests, and turns labelled issues into problems', async () => {
    const outcome = await syncSource(source(), env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.equal(await stored(), 250); // 251 listed, the pull request skipped
    assert.deepEqual(
      fake.requests.map((r) => [r.url.replace(/^.*\?/, ''), r.authorized]),
      [
        ['state=all&sort=updated&direction=asc&per_page=100&labels=customer', true],
        ['state=all&sort=updated&direction=asc&per_page=100&labels=customer&page=2', true],
        ['state=all&sort=updated&direction=asc&per_page=100&labels=customer&page=3', true],
      ],
    );
    await recomputeDocuments(db, hubConfig, Date.now());
    const [row] = await db.query<{ body: string }>("select body from hub_documents where feature_id = 'checkout'");
    const doc = JSON.parse(row!.body);
    assert.equal(doc.problems.length, 50); // 125 odd-numbered issues, bounded to problemsPerFeature
    const issue7 = (await db.query<{ body: { mentions: number; status: string; url: string; tags: string[] } }>("select body from hub_records where vendor_id = 'acme/shop#7'"))[0]!.body;
    assert.equal(issue7.mentions, 2 + 1); // 7 % 5 comments + 7 % 3 thumbs up
    assert.equal(issue7.status, 'open');
    assert.equal(issue7.url, 'https://github.example/acme/shop/issues/7');
    assert.deepEqual(issue7.tags, ['customer', 'checkout']);
  });

  it('syncs incrementally from the cursor, and revalidates an unchanged repository with a free 304', async () => {
    await syncSource(source(), env, { force: true });
    // The first incremental run asks from the newest update seen (1 s earlier: GitHub compares whole seconds) and gets
    // the items of that second again; from then on an unchanged repository answers 304, which GitHub does not count.
    fake.requests.length = 0;
    const settle = await syncSource(source(), env, { force: true });
    assert.equal(settle.status, 'ok');
    assert.deepEqual(fake.requests.map((r) => [decodeURIComponent(r.url).replace(/^.*since=/, ''), r.status]), [['2026-11-20T23:59:59Z', 200]]);
    fake.requests.length = 0;
    const unchanged = await syncSource(source(), env, { force: true });
    assert.equal(unchanged.status, 'ok');
    assert.equal(unchanged.records, 0);
    assert.deepEqual(fake.requests.map((r) => r.status), [304]);
    assert.ok(fake.requests[0]!.ifNoneMatch, 'sent If-None-Match');

    const three = fake.issues.find((i) => i.number === 3)!;
    three.updated_at = '2026-11-22T10:00:00Z';
    three.state = 'closed';
    fake.requests.length = 0;
    const changed = await syncSource(source(), env, { force: true });
    assert.equal(changed.status, 'ok');
    assert.equal(fake.requests.length, 1); // only what changed since the cursor: one page
    const issue3 = (await db.query<{ body: { status: string } }>("select body from hub_records where vendor_id = 'acme/shop#3'"))[0]!.body;
    assert.equal(issue3.status, 'solved');
    assert.equal(await stored(), 250);
  });

  it('waits out 429 with Retry-After, and backs off on 5xx, then carries on', async () => {
    let faults = 0;
    fake.faults.push((_req, _url, page) => {
      if (page === 2 && faults === 0) return (faults++, { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } });
      if (page === 3 && faults === 1) return (faults++, { status: 502, body: { message: 'Server Error' } });
      return undefined;
    });
    const started = Date.now();
    const outcome = await syncSource(source(), env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.equal(await stored(), 250);
    assert.deepEqual(fake.requests.map((r) => r.status), [200, 429, 200, 502, 200]);
    assert.ok(lines.some((l) => /waiting ms=1\d\d\d reason=".*answered 429/.test(l)), lines.join('\n'));
  });

  it('stops at a spent rate limit (403, x-ratelimit-remaining 0) keeping the pages stored, and comes back at the reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1800;
    fake.faults.push((_req, _url, page) => (page === 2 ? { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded' } } : undefined));
    const outcome = await syncSource(source(), env, { force: true });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.error : '', /answered 403 \(rate limited\); next try in \d+ s/);
    assert.equal(await stored(), 100); // page 1 stays
    const [row] = await db.query<{ next_run_at: number; last_error: string }>("select next_run_at, last_error from hub_sources where id = 'issues'");
    assert.ok(Math.abs(row!.next_run_at - reset * 1000) < 5000, `next run at the reset (${new Date(row!.next_run_at).toISOString()})`);
    // Not due yet: a scheduled run does nothing, so the vendor is left alone until the reset.
    assert.deepEqual(await syncSource(source(), env), { status: 'skipped', sourceId: 'issues', reason: 'not-due' });
  });

  it('fails a page mid-sync, then resumes from the cursor: nothing lost, nothing doubled', async () => {
    fake.faults.push((_req, _url, page) => (page === 3 ? { status: 500, body: { message: 'Server Error' } } : undefined));
    const failed = await syncSource(source(), env, { force: true });
    assert.equal(failed.status, 'failed');
    assert.equal(await stored(), 200);
    const [cursor] = await db.query<{ cursor: { since: string } }>("select cursor from hub_cursors where source_id = 'issues'");
    assert.equal(cursor!.cursor.since, '2026-11-20T03:20:00Z'); // issue 200, the newest update on page 2
    fake.faults.length = 0;
    fake.requests.length = 0;
    const resumed = await syncSource(source(), env, { force: true });
    assert.equal(resumed.status, 'ok');
    assert.match(decodeURIComponent(fake.requests[0]!.url), /since=2026-11-20T03:19:59Z/); // from the cursor, not from the start
    assert.equal(fake.requests.length, 1); // 52 issues from issue 200 on: one page
    assert.equal(await stored(), 250);
    const [dupes] = await db.query<{ n: number }>("select count(*)::int as n from (select vendor_id from hub_records group by vendor_id having count(*) > 1) d");
    assert.equal(dupes!.n, 0);
  });

  it('says when the token is refused (401), without retrying, and never logs the token', async () => {
    env = { ...env, env: { GH_TOKEN: 'wrong' } };
    const outcome = await syncSource(source(), env, { force: true });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.error : '', /refused the credential \(401\); check the token's environment variable/);
    assert.equal(fake.requests.length, 1);
    const [row] = await db.query<{ last_error: string; failures: number; next_run_at: number }>("select last_error, failures, next_run_at from hub_sources where id = 'issues'");
    assert.equal(row!.failures, 1);
    assert.ok(row!.next_run_at > Date.now() + 20_000, 'backs off before trying again');
    assert.ok(!lines.join('\n').includes('wrong') && !lines.join('\n').includes(TOKEN));
  });

  it('spends no more than its request budget', async () => {
    hubConfig = config(fake.url, ', budget: { requests: 2, per: 1h }');
    env = { ...env, config: hubConfig };
    const outcome = await syncSource(hubConfig.sources[0]!, env, { force: true });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.error : '', /request budget of 2 per 3600 s spent/);
    assert.equal(fake.requests.length, 2);
    assert.equal(await stored(), 200);
  });
});
