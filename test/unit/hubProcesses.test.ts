// The hub as separate processes, the way it runs in production: a sync killed with SIGKILL in the middle resumes
// without losing or doubling anything (on both engines), and two `hub serve` replicas on one PostgreSQL share the
// sync work (never the same source at the same time) and answer with the same ETags.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { request } from 'undici';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { issue, startFakeGithub, type FakeGithub } from './support/fakeGithub';
import { writeFiles } from './support/hubRun';

const repoRoot = path.resolve(__dirname, '..', '..');
const REPO = 'acme/shop';
const TOKEN = 'ghp_process_token';

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** `customer-lens hub …` from the sources, in its own process. */
function cli(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/customerLens.ts'), 'hub', ...args], {
    // From the repository, so `--import tsx` resolves; paths in `args` are absolute.
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

function issues(count: number) {
  return Array.from({ length: count }, (_, k) => issue(k + 1, `2026-11-20T${String(Math.floor((k + 1) / 60)).padStart(2, '0')}:${String((k + 1) % 60).padStart(2, '0')}:00Z`, { labels: ['customer', 'checkout'], comments: 1 }));
}

function hubConfig(fake: FakeGithub, every = '10m'): string {
  return `version: 1
asOf: 2026-11-28
tokens: { env: HUB_TOKENS }
sources:
  - { id: issues, kind: github-issues, repo: ${REPO}, token: { env: GH_TOKEN }, baseUrl: "${fake.url}", every: ${every} }
features:
  - { id: checkout, tags: [checkout] }
`;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const engine of engines) {
  describe(`hub sync killed with SIGKILL mid-run (${engine.name})`, function () {
    this.timeout(400_000);

    it('resumes from the last stored page: nothing lost, nothing doubled', async () => {
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
    });
  });
}

describe('two hub replicas on one PostgreSQL', function () {
  this.timeout(400_000);

  it('share the sync work, never running a source twice at once, and answer with the same ETags', async () => {
    const fake = await startFakeGithub({ repo: REPO, token: TOKEN, issues: issues(150) });
    // Every page takes 300 ms, so a sync (2 pages) lasts long enough for the other replica to try to start it too.
    fake.delayMs = 300;

    const dir = tempDir();
    writeFiles(dir, { 'hub.yml': hubConfig(fake, '2s') });
    const database = await engines.find((e) => e.name === 'PostgreSQL')!.fresh();
    const env = { GH_TOKEN: TOKEN, HUB_TOKENS: 'replica-token' };
    const replicas = [cli(['serve', '--config', path.join(dir, 'hub.yml'), '--database', database, '--port', '0'], env), cli(['serve', '--config', path.join(dir, 'hub.yml'), '--database', database, '--port', '0'], env)];
    try {
      const urls = await Promise.all(replicas.map(async (r) => (await r.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+)$/m, 240_000))[1]!));
      const db = await openTestDatabase(database);
      try {
        // Let several scheduled syncs happen (every 2 s, for about 9 s).
        await new Promise((resolve) => setTimeout(resolve, 9000));
        const runs = await db.query<{ owner: string; started_at: number; finished_at: number | null; outcome: string | null }>(
          "select owner, started_at, finished_at, outcome from hub_sync_runs where source_id = 'issues' order by started_at",
        );
        assert.ok(runs.length >= 3, `several scheduled syncs ran: ${JSON.stringify(runs)}`);
        for (let i = 1; i < runs.length; i++) {
          const previous = runs[i - 1]!;
          assert.ok(previous.finished_at !== null && previous.finished_at <= runs[i]!.started_at, `runs overlap: ${JSON.stringify([previous, runs[i]])}`);
        }
        // Each 2 s slot ran once in all, not once per replica: at most one run per 2 s window (plus one at start).
        assert.ok(runs.length <= Math.ceil(9000 / 2000) + 2, `each sync ran once, not once per replica: ${runs.length} runs`);
        // The last run may still be under way when the runs are read (no outcome yet); every finished one succeeded.
        const finished = runs.filter((r) => r.finished_at !== null);
        assert.ok(finished.length >= 2, `several syncs finished: ${JSON.stringify(runs)}`);
        assert.deepEqual([...new Set(finished.map((r) => r.outcome))], ['ok']);

        const etags = await until('both replicas serving the same documents', async () => {
          const tags = await Promise.all(
            urls.map(async (url) => {
              const answer = await request(`${url}/v1/context?features=checkout`, { headers: { authorization: 'Bearer replica-token' } });
              await answer.body.dump();
              return answer.headers.etag as string;
            }),
          );
          return tags[0] === tags[1] ? tags : undefined;
        });
        const revalidated = await request(`${urls[1]}/v1/context?features=checkout`, { headers: { authorization: 'Bearer replica-token', 'if-none-match': etags[0]! } });
        await revalidated.body.dump();
        assert.equal(revalidated.statusCode, 304); // an ETag from one replica revalidates at the other
      } finally {
        await db.close();
      }
    } finally {
      for (const r of replicas) r.child.kill('SIGTERM');
      await Promise.all(replicas.map((r) => r.exited));
      await fake.close();
    }
    assert.equal(fake.maxConcurrent, 1); // one sync at a time, its pages one after another
  });
});
