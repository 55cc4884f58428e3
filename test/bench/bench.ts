// Every performance figure of Customer Lens in one run, on seeded synthetic inputs, next to its budget:
//   npm run bench              the full run (100,000 files, the .vsix, activation in code-server, the hub)
//   npm run bench -- --smoke   a quick run on small inputs (CI): the figures that need minutes are left out (null)
// The last line is `BENCH_SUMMARY {json}`. Timing figures depend on the machine; the table says which one.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startReferenceServer } from '../../src/context/referenceServer';
import { parseMapFile } from '../../src/map/mapFile';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';
import { TestLspClient } from '../unit/support/lspTestClient';
import { makeMap, makePaths, seeded } from './synthetic';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const smoke = process.argv.includes('--smoke');
const PATHS = smoke ? 2_000 : 100_000;
const CODEOWNERS_SAMPLE = smoke ? 50 : 500;
const WARM_HOVERS = smoke ? 40 : 300;
const COLD_STARTS = smoke ? 2 : 10;

const now = () => performance.now();
const say = (line: string) => console.log(line);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function stats(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A context document for each feature, as an endpoint would serve it. */
function contextData(ids: string[]): unknown {
  return {
    version: 1,
    features: ids.map((id) => ({
      id,
      name: `Feature ${id}`,
      summary: `Why ${id} exists`,
      problems: [{ id: `${id}-p1`, title: `Checkout fails for ${id}`, customers: 12, severity: 'high', url: 'https://support.example.com/t/1' }],
      quotes: [{ id: `${id}-q1`, text: `Please fix ${id}`, author: 'Ana', sentiment: 'negative' }],
      usage: [{ id: `${id}-u1`, label: 'Weekly users', value: 120, period: '7d', change: 0.1 }],
    })),
  };
}

function writeFiles(root: string, files: string[], text: (file: string) => string = () => 'export {};\n'): void {
  const made = new Set<string>();
  for (const file of files) {
    const dir = path.dirname(path.join(root, file));
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(path.join(root, file), text(file));
  }
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: round(kb('VmRSS') / 1024), peak: round(kb('VmHWM') / 1024) };
}

const hoverText = (hover: Hover | null) => (hover ? (hover.contents as MarkupContent).value : '');

async function mapping(): Promise<Record<string, number>> {
  const random = seeded(7);
  const paths = makePaths(random, PATHS);
  const synthetic = makeMap(random);
  const root = path.resolve('/bench-repo');
  const parsed = parseMapFile(path.join(root, '.customer-lens.yml'), synthetic.text);
  const { map } = compileWorkspaceMap(root, [parsed]);
  for (let i = 0; i < Math.min(5000, paths.length); i++) map.explain(paths[i]!);
  let start = now();
  const ours = paths.map((p) => map.explain(p).features[0]?.featureId);
  const mappingMs = now() - start;

  // The same rules as a CODEOWNERS file (each feature an owner; `unmapped` patterns own nothing), matched by the
  // `codeowners` package on a seeded sample: it tests every pattern per path, so all 100,000 would take minutes.
  // Both pick the primary feature by the last matching pattern, so the lines keep the map's order.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-bench-owners-'));
  const lines: string[] = [];
  for (const feature of synthetic.features) for (const p of feature.paths) lines.push(`${p} @${feature.id}`);
  fs.mkdirSync(path.join(dir, '.github'));
  fs.writeFileSync(path.join(dir, '.github', 'CODEOWNERS'), `${lines.join('\n')}\n`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Codeowners = require('codeowners') as new (dir: string) => { getOwner(file: string): string[] };
  const owners = new Codeowners(dir);
  const sampleRandom = seeded(11);
  const sample = Array.from({ length: CODEOWNERS_SAMPLE }, () => Math.floor(sampleRandom() * paths.length));
  start = now();
  const theirs = sample.map((i) => owners.getOwner(paths[i]!)[0]?.slice(1));
  const codeownersMs = now() - start;
  fs.rmSync(dir, { recursive: true, force: true });

  // Where the two disagree, and why: a map's `exclude` and `unmapped` have no CODEOWNERS equivalent (deliberate:
  // the CODEOWNERS owner is not among the path's features at all). Others would be real differences of matching.
  let deliberate = 0;
  let other = 0;
  for (const [k, i] of sample.entries()) {
    if (ours[i] === theirs[k]) continue;
    const explained = map.explain(paths[i]!);
    if (explained.ignored || !explained.features.some((f) => f.featureId === theirs[k])) deliberate++;
    else other++;
  }
  const perPathOurs = mappingMs / paths.length;
  const perPathTheirs = codeownersMs / sample.length;
  say(`Mapping: ${paths.length.toLocaleString('en-US')} paths × ${synthetic.patterns.toLocaleString('en-US')} patterns: ${round(mappingMs)} ms (${round(perPathOurs * 1000, 2)} µs a path)`);
  say(`  codeowners package on a seeded sample of ${sample.length.toLocaleString('en-US')} paths: ${round(codeownersMs)} ms (${round(perPathTheirs * 1000, 1)} µs a path): ${round(perPathTheirs / perPathOurs)}× slower`);
  say(`  disagreements on the sample: ${deliberate + other} (${deliberate} deliberate: a map's exclude and unmapped, which CODEOWNERS cannot say; ${other} others)`);
  return { mappingMs100k: round(mappingMs), mappingSpeedupVsCodeowners: round(perPathTheirs / perPathOurs), disagreements: deliberate + other, disagreementsDeliberate: deliberate };
}

/** The built server (dist/cli/customerLens.js `lsp --stdio`) over stdio, on a workspace, with an endpoint. */
function startServer(root: string, endpoint: string, settings: Record<string, unknown> = {}, waitForMaps = true): Promise<TestLspClient> {
  return TestLspClient.start({
    folders: [root],
    entry: 'dist',
    waitForMaps,
    configuration: (item) => (item.section === 'customerLens' ? { endpoint, hover: { mode: 'file' }, ...settings } : null),
  });
}

async function largeWorkspace(): Promise<Record<string, number>> {
  const random = seeded(7);
  const paths = makePaths(random, PATHS);
  const synthetic = makeMap(random);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-bench-large-')));
  writeFiles(root, paths);
  fs.writeFileSync(path.join(root, '.customer-lens.yml'), synthetic.text);
  fs.writeFileSync(path.join(root, 'context.json'), JSON.stringify(contextData(synthetic.features.map((f) => f.id))));
  const reference = await startReferenceServer({ dataFile: path.join(root, 'context.json'), port: 0, watch: false });
  const { map } = compileWorkspaceMap(root, [parseMapFile(path.join(root, '.customer-lens.yml'), synthetic.text)]);
  const mapped = paths.filter((p) => map.explain(p).features.length > 0).slice(0, 50);
  try {
    // First hover: from the server's spawn until a hover on a mapped file shows its feature's context.
    const started = now();
    const client = await startServer(root, reference.url, {}, false);
    const file = path.join(root, mapped[0]!);
    const uri = client.open(file);
    let card = '';
    while (!/Checkout fails/.test(card)) {
      card = hoverText(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } }));
      if (!/Checkout fails/.test(card)) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const firstHoverMs = now() - started;
    await client.until(() => client.mapChanges.length > 0, 'the map and file list to load', 600_000);
    await client.until(() => client.logs.some((l) => l.startsWith('coverage root=')), 'coverage', 600_000);
    const loadedMs = now() - started;
    // Warm hovers over open files of several features.
    const uris = mapped.slice(0, 20).map((p) => client.open(path.join(root, p)));
    for (const u of uris) await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 1 } });
    const samples: number[] = [];
    for (let i = 0; i < WARM_HOVERS; i++) {
      const t = now();
      await client.request('textDocument/hover', { textDocument: { uri: uris[i % uris.length] }, position: { line: 0, character: 1 } });
      samples.push(now() - t);
    }
    const warm = stats(samples);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const memory = rssMb(client.pid!);
    await client.stop();
    say(`Large workspace: ${paths.length.toLocaleString('en-US')} files, ${synthetic.patterns.toLocaleString('en-US')} patterns, endpoint on 127.0.0.1`);
    say(`  first hover with context ${round(firstHoverMs)} ms after the server was spawned; file list + coverage done after ${round(loadedMs)} ms`);
    say(`  warm hover over LSP (${WARM_HOVERS}): p50 ${round(warm.p50, 2)} ms, p95 ${round(warm.p95, 2)} ms, p99 ${round(warm.p99, 2)} ms`);
    say(`  server memory after loading: RSS ${memory.rss} MB, peak ${memory.peak} MB`);
    return { firstHoverMs100k: round(firstHoverMs), hoverWarmP50Ms: round(warm.p50, 2), hoverWarmP95Ms: round(warm.p95, 2), hoverWarmP99Ms: round(warm.p99, 2), serverRssMb: memory.rss, serverPeakRssMb: memory.peak };
  } finally {
    await reference.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function requestsAndColdHovers(): Promise<Record<string, number | null>> {
  // 20 features × 10 files.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-bench-small-')));
  const ids = Array.from({ length: 20 }, (_, i) => `feature-${i}`);
  const files = ids.flatMap((_, f) => Array.from({ length: 10 }, (__, i) => `src/feature${f}/part${i}.ts`));
  writeFiles(root, files);
  fs.writeFileSync(path.join(root, '.customer-lens.yml'), `version: 1\nfeatures:\n${ids.map((id, f) => `  - id: ${id}\n    paths: [/src/feature${f}/]\n`).join('')}`);
  fs.writeFileSync(path.join(root, 'context.json'), JSON.stringify(contextData(ids)));
  const requests: string[] = [];
  const reference = await startReferenceServer({ dataFile: path.join(root, 'context.json'), port: 0, watch: false, log: (line) => requests.push(line) });
  const contextRequests = () => requests.filter((l) => l.includes('/v1/context'));
  try {
    const client = await startServer(root, reference.url, { cacheTtlMinutes: 0 });
    for (const file of files) {
      const uri = client.open(path.join(root, file));
      await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    }
    const opened = contextRequests().length;
    let revalidations: number | null = null;
    let notModified: number | null = null;
    if (!smoke) {
      // cacheTtlMinutes 0: everything is stale, and revalidated at most every 5 s. A second look at every file:
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      for (const file of files) await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: client.open(path.join(root, file)) } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const round2 = contextRequests().slice(opened);
      revalidations = round2.length;
      notModified = round2.filter((l) => / 304 /.test(l)).length;
    }
    await client.stop();
    say(`Requests: 200 files of 20 features opened one by one, each with its CodeLens: ${opened} request(s) to /v1/context`);
    if (revalidations !== null) say(`  a second look at all 200 files after the TTL: ${revalidations} request(s), ${notModified} answered 304 Not Modified`);

    // Cold hovers: a fresh server (empty cache) each time, the first hover after its map loaded.
    const cold: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) {
      const fresh = await startServer(root, reference.url);
      const uri = fresh.open(path.join(root, files[(i * 17) % files.length]!));
      const t = now();
      const card = hoverText(await fresh.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } }));
      cold.push(now() - t);
      if (!/Checkout fails/.test(card)) throw new Error(`a cold hover came without context: ${card}`);
      await fresh.stop();
    }
    const coldStats = stats(cold);
    say(`  cold hover (fresh server, empty cache, reference server on 127.0.0.1; ${COLD_STARTS} starts): p50 ${round(coldStats.p50)} ms, p95 ${round(coldStats.p95)} ms, p99 ${round(coldStats.p99)} ms`);
    return { requestsFor200Files: opened, revalidationRequests: revalidations, revalidation304s: notModified, hoverColdP50Ms: round(coldStats.p50), hoverColdP95Ms: round(coldStats.p95), hoverColdP99Ms: round(coldStats.p99) };
  } finally {
    await reference.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function vsixBytes(): Promise<number | null> {
  if (smoke) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-bench-vsix-'));
  const file = path.join(dir, 'customer-lens.vsix');
  await run(path.join(REPO, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', file], { cwd: REPO, maxBuffer: 1 << 24 });
  const bytes = fs.statSync(file).size;
  fs.rmSync(dir, { recursive: true, force: true });
  say(`.vsix (npm run package): ${(bytes / 1024).toFixed(0)} kB`);
  return bytes;
}

async function activationMs(): Promise<number | null> {
  if (smoke) return null;
  // The extension measures activate() itself; the integration test in code-server prints it.
  const { stdout } = await run('npm', ['run', 'test:integration', '--', '--grep', 'returns from activate', '--group', 'trusted'], { cwd: REPO, maxBuffer: 1 << 26 });
  const found = /activationMs=([\d.]+)/.exec(stdout);
  if (!found) throw new Error(`no activationMs in the integration run:\n${stdout.slice(-2000)}`);
  say(`Activation in code-server (activate() until it returns): ${found[1]} ms`);
  return Number(found[1]);
}

async function hubContextP95Ms(): Promise<number | null> {
  if (smoke) return null;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/hub.bench.ts'], { cwd: REPO, maxBuffer: 1 << 26 });
  const line = stdout.split('\n').find((l) => l.startsWith('GET /v1/context'));
  const found = line ? /p95 ([\d.]+) ms/.exec(line) : null;
  if (!found) throw new Error(`no /v1/context figure from bench:hub:\n${stdout.slice(-2000)}`);
  say(`Hub: ${line}`);
  return Number(found[1]);
}

async function main(): Promise<void> {
  say(`Customer Lens benchmark${smoke ? ' (smoke: small inputs)' : ''}: node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await run(process.execPath, ['esbuild.js', '--production'], { cwd: REPO });
  const summary: Record<string, number | null> = {
    ...(await mapping()),
    ...(await largeWorkspace()),
    ...(await requestsAndColdHovers()),
    vsixBytes: await vsixBytes(),
    activationMs: await activationMs(),
    hubContextP95Ms: await hubContextP95Ms(),
  };
  const budgets: [string, string, (v: number) => boolean][] = [
    ['mappingSpeedupVsCodeowners', '≥ 20×', (v) => v >= 20],
    ['mappingMs100k', '< 1,000 ms', (v) => v < 1000],
    ['hoverWarmP95Ms', '≤ 5 ms', (v) => v <= 5],
    ['hoverColdP95Ms', '≤ 60 ms', (v) => v <= 60],
    ['requestsFor200Files', '≤ 3', (v) => v <= 3],
    ['serverRssMb', '≤ 60 MB', (v) => v <= 60],
    ['firstHoverMs100k', '≤ 1,000 ms', (v) => v <= 1000],
    ['vsixBytes', '≤ 1 MB', (v) => v <= 1024 * 1024],
    ['activationMs', '≤ 100 ms', (v) => v <= 100],
    ['hubContextP95Ms', '≤ 10 ms', (v) => v <= 10],
  ];
  say('');
  say(`${'figure'.padEnd(28)} ${'measured'.padStart(12)}  ${'budget'.padEnd(12)} met`);
  for (const [key, budget, met] of budgets) {
    const value = summary[key];
    say(`${key.padEnd(28)} ${String(value ?? '—').padStart(12)}  ${budget.padEnd(12)} ${value === null || value === undefined ? '(full run only)' : met(value) ? 'yes' : 'NO'}`);
  }
  if (smoke) say('(smoke: 2,000 files instead of 100,000; figures for the budgets come from the full run)');
  console.log(`BENCH_SUMMARY ${JSON.stringify({ smoke, ...summary })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
