// `npm run demo [-- --port 8080]`: installs code-server (once), builds and packages the extension, installs the
// .vsix, serves the sample workspace's customer context through the Customer Lens Hub (fed from the CSV exports in
// test/fixtures/storefront-hub and from recorded Zendesk and Linear answers replayed on 127.0.0.1, on the embedded
// database), and opens the sample workspace in code-server. Prints the URL; Ctrl+C stops everything.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { packageExtension } from './buildExtension';
import { freshDirs, installExtension, startCodeServer, type CodeServer } from './codeServer';
import { ensureRuntime } from './installRuntime';
import { copyWorkspace, repoRoot, sampleWorkspace, vscodeTestDir } from './paths';
import { runScript, spawnGroup, stoppingOnSignal } from './processGroup';
import { startVendorReplay, writeDemoHubConfig } from './vendorReplay';

const { values: options } = parseArgs({ options: { port: { type: 'string', default: '0' } } });

const say = (line: string) => console.log(line);

/** Held while a demo runs: a second one would delete the first one's workspace and VS Code state. */
const lockFile = path.join(vscodeTestDir, 'demo.pid');

function takeLock(): void {
  const holder = Number(fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf8') : NaN);
  if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
    throw new Error(`npm run demo is already running in this clone (process ${holder}); open the URL it printed, or stop it (Ctrl+C) and run this again.`);
  }
  fs.mkdirSync(vscodeTestDir, { recursive: true });
  fs.writeFileSync(lockFile, `${process.pid}\n`);
  process.on('exit', () => {
    if (fs.existsSync(lockFile) && fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.rmSync(lockFile, { force: true });
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  takeLock();
  say('Preparing code-server (installed once into the cache, about 2 minutes the first time)...');
  const runtime = await ensureRuntime(say);
  say('Building and packaging the extension...');
  const { vsix, bytes } = await packageExtension();
  say(`Packaged ${path.relative(repoRoot, vsix)} (${(bytes / 1024).toFixed(0)} KB).`);

  const demoDir = path.join(vscodeTestDir, 'demo');
  const dirs = freshDirs(demoDir);
  await installExtension(runtime, dirs, vsix, path.join(demoDir, 'install-extension.log'));
  const workspace = copyWorkspace(sampleWorkspace, demoDir);

  say('Starting the hub on the sample\'s CSV exports and recorded Zendesk and Linear answers (the embedded database takes a few seconds to open)...');
  // Zendesk and Linear cannot be reached from here: their recorded answers are replayed on 127.0.0.1, in this process.
  const replay = await startVendorReplay();
  const hubConfig = writeDemoHubConfig(replay, path.join(demoDir, 'hub'));
  const endpoint = await startHub(hubConfig, path.join(demoDir, 'hub-database'), replay.env);
  const server = await startCodeServer({
    runtime,
    dirs,
    ...(Number(options.port) > 0 ? { port: Number(options.port) } : {}),
    settings: endpoint ? { 'customerLens.endpoint': endpoint } : {},
    logFile: path.join(demoDir, 'code-server.log'),
  });

  say('');
  say(`Customer Lens demo is ready (${((Date.now() - started) / 1000).toFixed(0)} s). Open this URL in a browser:`);
  say('');
  say(`    ${demoUrl(server, workspace)}`);
  say('');
  say(`Workspace: ${workspace} (a copy of test/fixtures/storefront; edit it freely)`);
  say(
    endpoint
      ? `Customer context: the hub at ${endpoint} (customerLens.endpoint), computed from test/fixtures/storefront-hub/exports/*.csv and the Zendesk and Linear answers recorded in test/fixtures/storefront-hub/recorded/, replayed at ${replay.zendesk.url} and ${replay.linear.url}`
      : 'Customer context: customer-context.json, named by the map (no endpoint)',
  );
  say('It opens on the sample\'s README, which says where to start: open src/checkout/couponStep.ts, hover `applyCoupon`, open the Customer Lens view in the activity bar.');
  say(`Logs: ${path.relative(repoRoot, demoDir)}/*.log. Press Ctrl+C to stop.`);

  const code = await server.process.exited;
  // On Ctrl+C the signal handler stops everything and exits; code-server's exit is then no news.
  if (stoppingOnSignal()) return new Promise<number>(() => undefined);
  say(`code-server stopped unexpectedly (${code}):\n${server.process.tail()}`);
  return 1;
}

/**
 * The URL that opens the sample with its README in the editor: the README says where to start. (The workbench's
 * `openFile` payload; `workbench.startupEditor: "readme"` does not open anything in code-server.)
 */
function demoUrl(server: CodeServer, workspace: string): string {
  const readme = `vscode-remote://${new URL(server.url).host}${workspace.split(path.sep).join('/')}/README.md`;
  return server.folderUrl(workspace, { payload: JSON.stringify([['openFile', readme]]) });
}

/**
 * Starts `customer-lens hub serve` on a free port and returns its URL, or undefined (with the reason printed) when
 * the built CLI cannot serve: the demo then shows the context file instead of pretending to have an endpoint.
 */
async function startHub(config: string, database: string, env: Record<string, string>): Promise<string | undefined> {
  const cli = path.join(repoRoot, 'dist', 'cli', 'customerLens.js');
  let announced: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (announced = resolve));
  const hub = spawnGroup(process.execPath, [cli, 'hub', 'serve', '--config', config, '--database', database, '--port', '0'], {
    env: { ...process.env, ...env },
    logFile: path.join(vscodeTestDir, 'demo', 'hub.log'),
    onLine: (line) => {
      const match = /\bat (https?:\/\/\S+)$/.exec(line);
      if (match) announced(match[1]!);
    },
  });
  const outcome = await Promise.race([
    url,
    hub.exited.then((code) => ({ exited: code })),
    new Promise<{ timedOut: true }>((resolve) => setTimeout(() => resolve({ timedOut: true }), 180_000)),
  ]);
  if (typeof outcome === 'string') return outcome;
  await hub.stop();
  const reason = 'exited' in outcome ? `customer-lens hub serve exited with code ${outcome.exited}` : 'customer-lens hub serve did not print its URL within 3 minutes';
  say(`No hub (${reason}); the extension reads the context file instead.\n${hub.tail(5)}`);
  return undefined;
}

runScript(main);
