// Benchmark of a warm agent tool call, the way an agent meets it: the MCP SDK's client over stdio to the built
// `customer-lens mcp`, on the storefront sample, with context from its context file and from an endpoint (the
// reference server on 127.0.0.1, answered from the warm cache). Also the same call through the language server
// (customerLens/agentTool, what VS Code's language-model tools use). Budget: a warm call answers in ≤ 50 ms.
// Run: npm run bench:agents   (last line: AGENT_BENCH {json}; exit code 1 when a p95 is over budget)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startReferenceServer } from '../../src/context/referenceServer';
import { AgentToolRequest } from '../../src/shared/lspProtocol';
import { buildOnce } from '../unit/cliHarness';
import { connectMcp } from '../unit/support/mcpTestClient';
import { copyFixture, TestLspClient } from '../unit/support/lspTestClient';

const WARMUP = 20;
const CALLS = 300;
const BUDGET_MS = 50;

const calls: [string, Record<string, unknown>][] = [
  ['customer_context', { paths: ['src/checkout/couponStep.ts', 'packages/mobile-app/src/checkout/applePay.payment.ts', 'src/billing/plans.ts'] }],
  ['customer_impact', { paths: ['src/checkout/cart.ts', 'src/search/rankResults.ts', 'src/onboarding/trialSetup.ts', 'scripts/seedCatalog.ts', 'src/experimental/voiceSearch.ts'] }],
  ['find_features', { query: 'coupon codes' }],
];

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!) };
}

async function measure(call: (name: string, args: Record<string, unknown>) => Promise<unknown>): Promise<Record<string, Figures>> {
  const result: Record<string, Figures> = {};
  for (const [name, args] of calls) {
    for (let i = 0; i < WARMUP; i++) await call(name, args);
    const samples: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      await call(name, args);
      samples.push(performance.now() - started);
    }
    result[name] = figures(samples);
  }
  return result;
}

async function main(): Promise<number> {
  await buildOnce();
  const ws = copyFixture();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-bench-cache-'));
  const reference = await startReferenceServer({ dataFile: path.join(ws, 'customer-context.json'), port: 0, log: () => undefined, watch: false });
  const rows: { transport: string; source: string; figures: Record<string, Figures> }[] = [];
  try {
    const fileMcp = await connectMcp(['--root', ws, '--cache-dir', cacheDir]);
    rows.push({ transport: 'MCP stdio', source: 'context file', figures: await measure((n, a) => fileMcp.call(n, a)) });
    await fileMcp.close();

    const endpointMcp = await connectMcp(['--root', ws, '--cache-dir', cacheDir, '--endpoint', reference.url]);
    rows.push({ transport: 'MCP stdio', source: 'endpoint, warm cache', figures: await measure((n, a) => endpointMcp.call(n, a)) });
    await endpointMcp.close();

    const lsp = await TestLspClient.start({ folders: [ws] });
    rows.push({ transport: 'LSP (language-model tools)', source: 'context file', figures: await measure((name, input) => lsp.connection.sendRequest(AgentToolRequest.method, { name, input })) });
    await lsp.stop();
  } finally {
    await reference.close();
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }

  console.log(`Warm agent tool calls, ${CALLS} calls each after ${WARMUP} to warm up (ms, round trip from the client)`);
  console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
  const header = ['transport', 'context source', 'tool', 'p50', 'p95', 'p99', 'max'];
  const table = rows.flatMap((row) => Object.entries(row.figures).map(([tool, f]) => [row.transport, row.source, tool, ...[f.p50, f.p95, f.p99, f.max].map((v) => v.toFixed(2))]));
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c]!.length)));
  for (const row of [header, ...table]) console.log(row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  const worstP95 = Math.max(...rows.flatMap((row) => Object.values(row.figures).map((f) => f.p95)));
  const pass = worstP95 <= BUDGET_MS;
  console.log(`\nBudget: a warm call in ≤ ${BUDGET_MS} ms. Worst p95: ${worstP95.toFixed(2)} ms: ${pass ? 'met' : 'MISSED'}.`);
  console.log(`AGENT_BENCH ${JSON.stringify({ warmToolCallP95Ms: worstP95, budgetMs: BUDGET_MS, rows })}`);
  return pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
