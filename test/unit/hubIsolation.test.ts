// One failing source never blocks the others, and the hub keeps serving the last good documents.
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { engines, tempDir } from './support/hubEngines';
import { startFakeGithub } from './support/fakeGithub';
import { hub, serveHub, writeFiles } from './support/hubRun';

const postgres = engines.find((e) => e.name === 'PostgreSQL')!;

describe('hub with a failing source', function () {
  this.timeout(120_000);

  it('syncs the healthy sources, reports the failing one, and keeps serving', async () => {
    const fake = await startFakeGithub({ repo: 'acme/shop' });
    fake.faults.push(() => ({ status: 503, body: { message: 'Service Unavailable' } }));
    const dir = tempDir();
    writeFiles(dir, {
      'hub.yml': `version: 1\nasOf: 2026-11-28\nsources:\n  - { id: issues, kind: github-issues, repo: acme/shop, baseUrl: "${fake.url}" }\n  - { id: tickets, kind: csv-tickets, file: t.csv }\nfeatures:\n  - { id: checkout, tags: [checkout] }\n`,
      't.csv': 'id,title,status,priority,tags,account,created_at,updated_at,url,text\n1,Coupon rejected,open,high,checkout,Acme,2026-11-20,2026-11-20,,\n',
    });
    const database = await postgres.fresh();
    try {
      const sync = await hub(['sync', '--config', 'hub.yml', '--database', database], { cwd: dir });
      assert.equal(sync.code, 1);
      assert.match(sync.out, /^issues: 0 records in 0 pages, 4 requests; FAILED: .* answered 503 \(after 4 attempts\); the service may be down/m);
      assert.match(sync.out, /^tickets: 1 record in 1 page, 0 requests$/m);
      assert.match(sync.out, /^documents: 1 feature, 1 changed$/m);

      const status = await hub(['status', '--config', 'hub.yml', '--database', database], { cwd: dir });
      assert.equal(status.code, 1);
      assert.match(status.out, /issues \(github-issues\)\n\s+last good sync\s+never\n\s+items\s+0\n.*\n\s+last error\s+.*answered 503.*\(1 in a row\)/);

      const served = await serveHub(['--config', 'hub.yml', '--database', database], { cwd: dir });
      try {
        const answer = await request(`${served.url}/v1/context?features=checkout`);
        const body = (await answer.body.json()) as { features: Array<{ problems: Array<{ title: string }> }> };
        assert.equal(body.features[0]!.problems[0]!.title, 'Coupon rejected');
        const metrics = await (await request(`${served.url}/metrics`)).body.text();
        assert.match(metrics, /customer_lens_hub_source_consecutive_failures\{source="issues"\} 1/);
        assert.match(metrics, /customer_lens_hub_source_consecutive_failures\{source="tickets"\} 0/);
      } finally {
        await served.stop();
      }
    } finally {
      await fake.close();
    }
  });
});
