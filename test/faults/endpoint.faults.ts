// Endpoint faults, one at a time, against the shipped language server (a child process) talking to a real HTTP
// server on 127.0.0.1 that misbehaves on demand. Every case starts from a synced cache, injects the fault, asks
// again (Customer Lens: Refresh, as a user would), hovers all the while, then lets the endpoint recover. Each case
// checks: the server stays alive without unhandled rejections, hovers answer from the cache within the budget, the
// state (offline, error) is shown with a message that names the URL, and the next refresh after recovery is clean.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeLensTitle } from '../../src/server/codeLens';
import type { FeatureContext } from '../../src/shared/contextProtocol';
import { buildOnce } from '../unit/cliHarness';
import { FaultServer, behaviours } from '../unit/support/faultServer';
import { copyFixture, STOREFRONT } from '../unit/support/lspTestClient';
import { faultCase } from './faultTable';
import { LensSession, pace } from './lensSession';

const GROUP = 'Endpoint faults';
const TOKEN = 'fault-token-8d1e4a77';
/** Short, so timeouts cost seconds; a whole request (connect to last byte) gets this long. */
const REQUEST_TIMEOUT_MS = 1000;
/** A hover of cached context answers at once; this is the slowest a hover may be while the endpoint misbehaves. */
const HOVER_LIMIT_MS = 1000;

const fixture = JSON.parse(fs.readFileSync(path.join(STOREFRONT, 'customer-context.json'), 'utf8')) as { features: FeatureContext[] };
const CACHED_TITLE = 'Coupon codes rejected at the coupon step';

describe('fault suite: endpoint faults', function () {
  this.timeout(120_000);
  let endpoint: FaultServer;
  let elsewhere: FaultServer;
  let ws: string;
  let lens: LensSession;
  let anchorFile: string;

  before(async () => {
    await buildOnce();
    endpoint = await FaultServer.start({ features: fixture.features });
    elsewhere = await FaultServer.start({ features: fixture.features });
    ws = copyFixture();
    anchorFile = path.join(ws, 'src/checkout/applyCoupon.ts');
    lens = await LensSession.start({
      folders: [ws],
      initializationOptions: { tokens: { [new URL(endpoint.url).origin]: TOKEN }, commandLinks: true },
      configuration: () => ({ endpoint: endpoint.url, requestTimeoutMs: REQUEST_TIMEOUT_MS, cacheTtlMinutes: 10 }),
    });
  });

  after(async () => {
    await lens?.stop();
    await endpoint?.close();
    await elsewhere?.close();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  afterEach(() => {
    // Whatever a case did, the token never reached a log line.
    for (const line of lens.logs) assert.ok(!line.includes(TOKEN), `token in a log line: ${line}`);
  });

  const hover = () => lens.hover(anchorFile, 'async function applyCoupon', 16);

  /** The synced starting point: the endpoint serves, Refresh succeeded, the card shows the cached problem. */
  async function synced(): Promise<void> {
    endpoint.always(behaviours.serve);
    await lens.refresh();
    const context = await lens.fileContext(anchorFile);
    assert.equal(context.freshness.state, 'synced', `not synced before the fault: ${context.freshness.error ?? ''}`);
    assert.match((await hover()).markdown, /Coupon codes rejected at the coupon step/);
  }

  interface Scenario {
    inject: () => void | Promise<void>;
    /** The state the file context (status bar, sidebar banner, hover footer) shows after the fault. */
    state: 'offline' | 'error' | 'synced';
    /** What the message says. */
    message?: RegExp;
    recover?: () => void | Promise<void>;
    /** Extra checks after the faulty refresh, given the requests the fault saw; returns words for the table. */
    check?: (requests: number) => string | Promise<string>;
  }

  /** Runs one fault and returns the table's result text. */
  async function scenario(s: Scenario): Promise<string> {
    await synced();
    const requestsBefore = endpoint.requests.length;
    await s.inject();
    let settled = false;
    const refreshed = lens.refresh().finally(() => (settled = true));
    const latencies: number[] = [];
    while (!settled) {
      const answer = await hover();
      latencies.push(answer.ms);
      assert.ok(answer.ms < HOVER_LIMIT_MS, `a hover took ${Math.round(answer.ms)} ms during the fault`);
      assert.match(answer.markdown, /Coupon codes rejected at the coupon step/, 'the cached card stays on screen');
      await pace(100);
    }
    await refreshed;
    const faultRequests = endpoint.requests.length - requestsBefore;
    const context = await lens.fileContext(anchorFile);
    const { state, error } = context.freshness;
    assert.equal(state, s.state, `state ${state}: ${error ?? ''}`);
    if (s.message) assert.match(error ?? '', s.message);
    if (state !== 'synced') {
      assert.ok(error?.includes(endpoint.url) || error?.includes(elsewhere.url), `the message names the URL: ${error}`);
      const card = (await hover()).markdown;
      assert.match(card, /Coupon codes rejected at the coupon step/, 'the cached context is still shown');
      assert.match(card, state === 'offline' ? /offline — cached/ : /error — cached/, 'the card says how old the context is');
      assert.match(card, /⚠ /, 'the card says what went wrong');
      const primary = context.features[0]!;
      assert.match(codeLensTitle(primary, 0, context.freshness), state === 'offline' ? /· offline$/ : /· context error$/);
      assert.deepEqual(await lens.codeLensTitles(anchorFile), [codeLensTitle(primary, context.features.length - 1, context.freshness)]);
    }
    const extra = (await s.check?.(faultRequests)) ?? '';
    assert.ok(lens.alive, 'the server process exited');
    assert.deepEqual(lens.troubles(), [], 'unhandled rejections or stderr output');
    // Recovery: the endpoint behaves again; the next Refresh is clean.
    await (s.recover ?? (() => endpoint.always(behaviours.serve)))();
    await lens.refresh();
    const recovered = await lens.fileContext(anchorFile);
    assert.equal(recovered.freshness.state, 'synced', `after recovery: ${recovered.freshness.error ?? ''}`);
    assert.doesNotMatch((await hover()).markdown, /⚠ /);
    const slowest = Math.round(Math.max(...latencies, 0));
    // The table names the endpoint, not the port this run happened to get.
    const message = (error ?? '').split(endpoint.url).join('<endpoint>').split(elsewhere.url).join('<other origin>');
    const said = state === 'synced' ? 'synced' : `${state}: "${shorten(message, 100)}"`;
    const hovers = `${latencies.length} ${latencies.length === 1 ? 'hover' : 'hovers'}`;
    return `${said}; ${hovers} from the cache meanwhile (slowest ${slowest} ms); ${faultRequests} ${faultRequests === 1 ? 'request' : 'requests'} reached the endpoint${extra ? `; ${extra}` : ''}; recovered`;
  }

  faultCase(GROUP, 'connection refused', 'offline, cached context shown, message names the URL; recovers', () =>
    scenario({ inject: () => endpoint.stopListening(), state: 'offline', message: /connection refused/, recover: () => endpoint.listenAgain().then(() => void endpoint.always(behaviours.serve)) }),
  );

  faultCase(GROUP, 'headers slower than the timeout', 'offline after the timeout and 3 retries; hovers unaffected', () =>
    scenario({ inject: () => void endpoint.always(behaviours.slow(REQUEST_TIMEOUT_MS * 3)), state: 'offline', message: /did not answer within 1000 ms/ }),
  );

  faultCase(GROUP, 'a dripping body (one byte every 200 ms)', 'the whole request ends at its deadline; offline; recovers', () =>
    scenario({ inject: () => void endpoint.always(behaviours.drip(200)), state: 'offline', message: /did not answer within 1000 ms/ }),
  );

  faultCase(GROUP, 'a hang mid-body', 'offline at the deadline; recovers', () =>
    scenario({ inject: () => void endpoint.always(behaviours.stallBody(30_000)), state: 'offline', message: /did not answer within 1000 ms/ }),
  );

  faultCase(GROUP, '500 with an error message', 'error with the endpoint\'s message, not retried', () =>
    scenario({
      inject: () => void endpoint.always(behaviours.status(500)),
      state: 'error',
      message: /answered 500: injected 500; check the endpoint's logs/,
      check: (requests) => {
        assert.equal(requests, 1, 'a 500 is not retried');
        return 'not retried';
      },
    }),
  );

  faultCase(GROUP, '503 twice, then answers (flapping)', 'retried with backoff, synced without any message', () =>
    scenario({ inject: () => void endpoint.next(behaviours.status(503), behaviours.status(503)), state: 'synced' }),
  );

  faultCase(GROUP, '429 with Retry-After: 1', 'waits the second it was told, then synced', () => {
    let retryGap = 0;
    return scenario({
      inject: () => void endpoint.next(behaviours.status(429, { 'retry-after': '1' })),
      state: 'synced',
      check: () => {
        const [throttled, retried] = endpoint.contextRequests.slice(-2);
        retryGap = retried!.at - throttled!.at;
        assert.ok(retryGap >= 950, `retried after ${retryGap} ms`);
        return `retried after ${retryGap} ms`;
      },
    });
  });

  for (const status of [401, 403]) {
    faultCase(GROUP, `${status} (token refused)`, 'error told once (one log line), no request loop while hovering', () =>
      scenario({
        inject: () => void endpoint.always(behaviours.status(status)),
        state: 'error',
        message: new RegExp(`answered ${status}.*check the token \\(Customer Lens: Set Token\\)`),
        check: async () => {
          const before = endpoint.requests.length;
          for (let i = 0; i < 10; i++) {
            await hover();
            await lens.fileContext(anchorFile);
          }
          const asked = endpoint.requests.length - before;
          assert.equal(asked, 0, `${asked} requests from 10 hovers after a ${status}`);
          const told = lens.logs.filter((l) => l.startsWith('context error') && l.includes(`answered ${status}`)).length;
          assert.equal(told, 1, `the ${status} was logged ${told} times`);
          return `10 hovers later: 0 requests, logged once`;
        },
      }),
    );
  }

  faultCase(GROUP, 'malformed JSON', 'error "did not send JSON", cached context kept', () =>
    scenario({ inject: () => void endpoint.always(behaviours.badJson), state: 'error', message: /did not send JSON/ }),
  );

  faultCase(GROUP, 'invalid items among valid ones', 'the invalid item dropped and logged with its field, the rest shown', () =>
    scenario({
      inject: () => {
        const checkout = fixture.features.find((f) => f.id === 'checkout')!;
        const broken = { ...checkout, problems: [...(checkout.problems ?? []), { id: 'bad', title: 'Severity out of range', severity: 'urgent' }] };
        endpoint.always(behaviours.body({ version: 1, features: [broken] }));
      },
      state: 'synced',
      check: async () => {
        assert.ok(lens.logs.some((l) => l.includes('context item dropped') && l.includes('"severity"')), 'the dropped item is logged');
        assert.doesNotMatch((await hover()).markdown, /Severity out of range/);
        assert.match((await hover()).markdown, new RegExp(CACHED_TITLE));
        return 'the bad item logged with its field';
      },
    }),
  );

  faultCase(GROUP, 'a 6 MB body (over the 5 MB cap), chunked', 'error naming the limit; memory stays flat', () => {
    const memory = lens.peakMemoryMb();
    return scenario({
      inject: () => void endpoint.always(behaviours.tooLarge(6 * 1024 * 1024, false)),
      state: 'error',
      message: /more than the 5 MB limit/,
      check: () => `peak memory ${memory} → ${lens.peakMemoryMb()} MB`,
    });
  });

  faultCase(GROUP, 'a redirect to another origin', 'followed; the token is sent home only, never to the other origin', () =>
    scenario({
      inject: () => {
        endpoint.always(behaviours.redirect((p) => `${elsewhere.url}${p}`, 307));
      },
      state: 'synced',
      check: () => {
        const home = endpoint.contextRequests.at(-1)!;
        const away = elsewhere.contextRequests.at(-1);
        assert.equal(home.headers.authorization, `Bearer ${TOKEN}`);
        assert.ok(away, 'the redirect was followed');
        assert.equal(away.headers.authorization, undefined, 'the token followed the redirect');
        assert.ok(lens.logs.some((l) => l.startsWith('token not sent') || l.includes('token not sent')), 'the log says the token stayed home');
        return 'the other origin got no token';
      },
    }),
  );

  faultCase(GROUP, 'a wrong content type (an HTML page with 200)', 'error "did not send JSON", cached context kept', () =>
    scenario({ inject: () => void endpoint.always(behaviours.htmlPage), state: 'error', message: /did not send JSON/ }),
  );

  faultCase(GROUP, 'a gzip bomb (100 MB inflated, sent unasked)', 'never inflated: error "did not send JSON"; memory stays flat', () => {
    const memory = lens.peakMemoryMb();
    return scenario({
      inject: () => void endpoint.always(behaviours.gzipBomb(100 * 1024 * 1024)),
      state: 'error',
      message: /did not send JSON/,
      check: () => {
        const peak = lens.peakMemoryMb();
        assert.ok(peak - memory < 50, `peak memory grew from ${memory} to ${peak} MB`);
        return `peak memory ${memory} → ${peak} MB`;
      },
    });
  });

  faultCase(GROUP, 'the connection dropped without an answer', 'offline after retries; recovers', () =>
    scenario({ inject: () => void endpoint.always(behaviours.hangUp), state: 'offline', message: /cannot reach/ }),
  );
});

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
