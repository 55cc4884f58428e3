// `npm run bench:hub [-- --database postgres://…]`: the hub's budgets, measured and printed (not a pass/fail test).
//   1. Import of a 100,000-row tickets CSV (budget: ≤ 30 s on the embedded database).
//   2. GET /v1/context for 50 features with 1,000 features and 200,000 tickets stored (budget: p95 ≤ 10 ms, loopback).
//   3. 200 concurrent clients revalidating (budget: all answered, 304 where unchanged, no error).
// Without --database it runs on PGlite in a temporary folder (removed at the end).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { openDatabase } from '../../src/hub/database';
import { DocumentCache, recomputeDocuments } from '../../src/hub/documents';
import { loadHubConfig } from '../../src/hub/hubConfig';
import { startHubServer } from '../../src/hub/hubServer';
import { HubMetrics } from '../../src/hub/metrics';
import { migrate } from '../../src/hub/migrations';
import { registerSources, syncSource } from '../../src/hub/syncLoop';

const { values } = parseArgs({ options: { database: { type: 'string' }, requests: { type: 'string', default: '2000' } } });
const FEATURES = 1000;
const ROWS_PER_FILE = 100_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function writeTickets(file: string, offset: number): void {
  const lines = ['id,title,status,priority,tags,account,created_at,updated_at,url,text,problem'];
  const statuses = ['open', 'pending', 'solved', 'closed', 'on-hold'];
  const priorities = ['low', 'normal', 'high', 'urgent'];
  for (let i = 0; i < ROWS_PER_FILE; i++) {
    const n = offset + i;
    const feature = (n * 7919) % FEATURES;
    const day = 1 + (n % 56);
    const created = new Date(Date.parse('2026-10-03T00:00:00Z') + day * 86_400_000 + (n % 86_400) * 1000).toISOString();
    lines.push(
      `${n},"Problem ${n % 40} of feature ${feature}",${statuses[n % 5]},${priorities[n % 4]},feat-${feature};extra-${n % 13},Account ${n % 3000},${created},${created},https://desk.example/t/${n},"Ticket text ${n}, with a comma and an e-mail person${n}@example.com",`,
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-hub-bench-'));
  const say = (line: string) => console.log(line);
  try {
    const features = Array.from({ length: FEATURES }, (_, i) => `  - { id: feat-${i}, name: Feature ${i}, tags: [feat-${i}] }`).join('\n');
    fs.writeFileSync(path.join(dir, 'accounts.csv'), `account,domain,arr,currency,segment\n${Array.from({ length: 3000 }, (_, i) => `Account ${i},a${i}.example,${1000 + i * 10},USD,${i % 2 ? 'SMB' : 'Enterprise'}`).join('\n')}\n`);
    fs.writeFileSync(
      path.join(dir, 'hub.yml'),
      `version: 1\nasOf: 2026-11-28\nsources:\n  - { id: tickets, kind: csv-tickets }\n  - { id: accounts, kind: csv-accounts, file: accounts.csv }\nfeatures:\n${features}\n`,
    );
    const loaded = loadHubConfig(path.join(dir, 'hub.yml'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const config = loaded.config;
    const db = await openDatabase(values.database, path.join(dir, 'db'));
    await migrate(db);
    await registerSources(db, config);
    say(`Hub benchmark on ${db.engine} (${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    const env = { db, config, owner: 'bench' };
    await syncSource(config.sources[1]!, env, { force: true });

    // 1. Import 100,000 rows, then another 100,000 (for 200,000 stored).
    for (const offset of [0, ROWS_PER_FILE]) {
      const file = path.join(dir, `tickets-${offset}.csv`);
      writeTickets(file, offset);
      const started = Date.now();
      const cpu = process.cpuUsage();
      const outcome = await syncSource(config.sources[0]!, env, { force: true, options: { file } });
      const ms = Date.now() - started;
      const used = process.cpuUsage(cpu);
      // On a shared machine wall time says how busy it was; CPU time (PGlite runs in this process) says what it cost.
      const cpuSeconds = (used.user + used.system) / 1e6;
      if (outcome.status !== 'ok') throw new Error(JSON.stringify(outcome));
      say(`import ${outcome.records.toLocaleString('en-US')} tickets (${(fs.statSync(file).size / 1e6).toFixed(1)} MB CSV, ${outcome.pages} pages): ${(ms / 1000).toFixed(1)} s, ${Math.round(outcome.records / (ms / 1000)).toLocaleString('en-US')} rows/s, ${cpuSeconds.toFixed(1)} s of CPU in this process (budget for 100,000 rows on the embedded database: 30 s)`);
    }
    const computeStart = Date.now();
    const computed = await recomputeDocuments(db, config, Date.now(), true);
    say(`recompute ${computed.features} feature documents from 200,000 tickets: ${((Date.now() - computeStart) / 1000).toFixed(1)} s`);

    // 2. /v1/context latency for 50 features.
    const cache = new DocumentCache(db);
    await cache.refresh();
    const server = await startHubServer({ cache, db, metrics: new HubMetrics(), tokens: ['bench-token'], host: '127.0.0.1', port: 0, sourceIds: ['tickets', 'accounts'] });
    const agent = new Agent({ connections: 256, pipelining: 1 });
    const headers = { authorization: 'Bearer bench-token' };
    const ids = (k: number) => Array.from({ length: 50 }, (_, j) => `feat-${(k * 53 + j * 19) % FEATURES}`).join(',');
    const count = Number(values.requests);
    for (let k = 0; k < 100; k++) await (await request(`${server.url}/v1/context?features=${ids(k)}`, { headers, dispatcher: agent })).body.dump();
    const latencies: number[] = [];
    let bytes = 0;
    for (let k = 0; k < count; k++) {
      const started = process.hrtime.bigint();
      const answer = await request(`${server.url}/v1/context?features=${ids(k)}`, { headers, dispatcher: agent });
      bytes += (await answer.body.arrayBuffer()).byteLength;
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (answer.statusCode !== 200) throw new Error(`status ${answer.statusCode}`);
    }
    latencies.sort((a, b) => a - b);
    say(
      `GET /v1/context, 50 of 1,000 features, 200,000 tickets stored: ${count} requests, p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies[latencies.length - 1]!.toFixed(2)} ms, ${Math.round(bytes / count / 1024)} KB per answer (budget: p95 ≤ 10 ms)`,
    );

    // 3. 200 concurrent clients revalidating.
    const clients = 200;
    const first = await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const answer = await request(`${server.url}/v1/context?features=${ids(c % 20)}`, { headers, dispatcher: agent });
        await answer.body.dump();
        return answer.headers.etag as string;
      }),
    );
    const statuses = new Map<number | string, number>();
    const started = Date.now();
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        first.map(async (etag, c) => {
          try {
            const answer = await request(`${server.url}/v1/context?features=${ids(c % 20)}`, { headers: { ...headers, 'if-none-match': etag }, dispatcher: agent });
            await answer.body.dump();
            statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
          } catch (error) {
            const key = `error ${(error as { code?: string }).code ?? String(error)}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
          }
        }),
      );
    }
    say(`${clients} concurrent clients revalidating, 5 rounds: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')} in ${Date.now() - started} ms (budget: all answered, 304 where unchanged, no error)`);
    await agent.close();
    await server.close();
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
