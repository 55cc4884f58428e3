// The demo's hub as `npm run demo` starts it: the sample's CSV exports plus recorded Zendesk and Linear answers
// (test/fixtures/storefront-hub/recorded, in the vendors' documented shapes) replayed on 127.0.0.1 by
// test/harness/vendorReplay.ts through the fakes built from the vendors' reference docs. Served over protocol v1.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { request } from 'undici';
import { parseContextResponse } from '../../src/shared/contextProtocol';
import { startVendorReplay, writeDemoHubConfig, type VendorReplay } from '../harness/vendorReplay';
import { tempDir } from './support/hubEngines';
import { hub, serveHub } from './support/hubRun';

describe('the demo hub (CSV exports and recorded Zendesk and Linear answers)', function () {
  this.timeout(120_000);
  let replay: VendorReplay;
  let dir: string;
  let config: string;

  before(async () => {
    replay = await startVendorReplay();
    dir = tempDir();
    config = writeDemoHubConfig(replay, dir);
  });
  after(async () => {
    await replay?.close();
  });

  it('checks clean, syncs every source from the replay, and serves problems, customers and quotes of Zendesk and Linear', async () => {
    const checked = await hub(['check', '--config', config], { cwd: dir, env: replay.env });
    assert.equal(checked.code, 0, checked.err);
    assert.match(checked.out, /OK, 5 sources \(tickets: csv-tickets, accounts: csv-accounts, usage: csv-usage, zendesk: zendesk, linear: linear\), 4 features/);

    const database = path.join(dir, 'database');
    const synced = await hub(['sync', '--config', config, '--database', database], { cwd: dir, env: replay.env });
    assert.equal(synced.code, 0, synced.err);
    assert.match(synced.out, /^zendesk: 15 records in 2 pages, 2 requests$/m); // 6 organizations, 9 tickets (a tenth was deleted)
    assert.match(synced.out, /^linear: 16 records in 3 pages, 5 requests$/m); // 5 customers, 4 labelled issues, 7 needs

    // The next sync asks from the stored cursors: incremental requests the replay answers as the vendors would.
    const again = await hub(['sync', '--config', config, '--database', database], { cwd: dir, env: replay.env });
    assert.equal(again.code, 0, again.err);
    // (Pages, not requests: on a busy machine a slow answer may be asked for again, which the hub counts.)
    assert.match(again.out, /^zendesk: \d+ records? in 2 pages, \d+ requests$/m);
    assert.match(again.out, /^linear: \d+ records? in 3 pages, \d+ requests$/m);
    assert.ok(replay.zendesk.requests.some((r) => r.url.includes('/tickets/cursor.json?cursor=')), 'Zendesk resumed from its cursor');

    const served = await serveHub(['--config', config, '--database', database], { cwd: dir, env: replay.env });
    try {
      const url = `${served.url}/v1/context?features=checkout,search,billing`;
      const answer = await request(url);
      assert.equal(answer.statusCode, 200);
      const parsed = parseContextResponse(await answer.body.json(), url);
      assert.ok(parsed.ok);
      const [checkout, search, billing] = parsed.value.features;
      const problem = (feature: typeof checkout, title: RegExp) => feature?.problems?.find((p) => title.test(p.title));

      // A Zendesk problem ticket and its incidents: one problem, its organizations joined to the CRM's accounts.
      assert.deepEqual(
        { ...problem(checkout, /^Gift card balance/), updatedAt: undefined },
        {
          id: problem(checkout, /^Gift card balance/)?.id,
          title: 'Gift card balance is not applied to the order total',
          customers: 5,
          mentions: 5,
          arr: 669_600, // Contoso 240,000 + Wide World 310,000 + Litware 48,000 + Alpine 56,000 + Coho 15,600
          currency: 'USD',
          severity: 'critical', // an urgent incident
          status: 'open',
          source: 'Zendesk',
          url: `${replay.zendesk.url}/agent/tickets/5101`,
          updatedAt: undefined,
        },
      );
      // A Linear issue labelled `customer`: its customer needs give it customers, ARR and quotes.
      const coupon = problem(checkout, /^SHOP-214 /);
      assert.equal(coupon?.customers, 3); // Contoso, Lucerne, Humongous
      assert.equal(coupon?.arr, 570_000);
      assert.equal(coupon?.status, 'in-progress');
      assert.equal(coupon?.url, 'https://linear.app/fernhill/issue/SHOP-214/coupon-codes-are-matched-case-sensitively-at-the-coupon-step');
      assert.ok(checkout?.quotes?.some((q) => /type coupon codes in lower case from the newsletter/.test(q.text) && q.source === 'Linear'), JSON.stringify(checkout?.quotes));
      assert.equal(problem(checkout, /^SHOP-198 /)?.status, 'solved');
      assert.equal(problem(checkout, /^SHOP-250 /), undefined, 'an issue without the customer label is no problem');
      // Totals rounding, from the CSV export, still leads checkout.
      assert.match(checkout?.problems?.[0]?.title ?? '', /totals/i);

      assert.equal(problem(search, /^Search suggestions list products that are out of stock$/)?.customers, 3);
      assert.equal(problem(search, /^SHOP-240 /)?.customers, 1);
      assert.equal(problem(billing, /^SHOP-231 /)?.customers, 2);
      assert.ok(!JSON.stringify(parsed.value).includes('Duplicate order emails'), 'a deleted ticket is not served');
    } finally {
      assert.equal(await served.stop(), 0);
    }
  });
});
