// Two `hub serve` replicas on one PostgreSQL share the sync work (never the same source at the same time) and answer
// with the same ETags. (A sync killed with SIGKILL mid-run is a case of the fault suite: test/faults/hub.faults.ts.)
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { request } from 'undici';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { startFakeGithub } from './support/fakeGithub';
import { cli, hubConfig, issues, REPO, TOKEN, until } from './support/hubProcess';
import { writeFiles } from './support/hubRun';

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
