// The Debian packages the demo and the test suite need, in one list shared by `npm test` (its pretest step),
// `npm run demo` (predemo), the runners that build code-server, and `.ci/run`. Adding a package is one line below.
//
//   tsx test/harness/systemPackages.ts test|demo|all   installs what is missing (root, or `sudo -n`), or stops with
//                                                      the one command to run
import { spawnSync } from 'node:child_process';
import { codeServerInstalled } from './paths';

/** What a package is needed for: `npm test` or `npm run demo`. */
export type Purpose = 'test' | 'demo';

export interface SystemPackage {
  /** The Debian package name, as `apt-get install` takes it. */
  name: string;
  /** Why it is needed, in a few words (printed when it is missing). */
  why: string;
  /** The commands that need it. */
  neededBy: readonly Purpose[];
  /** Only needed to compile code-server's native modules: not once code-server is in the cache. */
  buildOnly?: boolean;
  /** An environment variable that, when set, stands in for the package (a binary elsewhere). */
  unlessEnv?: string;
}

export const SYSTEM_PACKAGES: readonly SystemPackage[] = [
  { name: 'chromium', why: 'the browser the sidebar page and UI tests drive', neededBy: ['test'], unlessEnv: 'CUSTOMER_LENS_CHROMIUM' },
  { name: 'libkrb5-dev', why: "gssapi headers for code-server's kerberos module", neededBy: ['test', 'demo'], buildOnly: true },
  { name: 'build-essential', why: "make and g++ for code-server's native modules", neededBy: ['test', 'demo'], buildOnly: true },
  { name: 'python3', why: "node-gyp, which builds code-server's native modules", neededBy: ['test', 'demo'], buildOnly: true },
  { name: 'ca-certificates', why: 'https to the npm registry', neededBy: ['test', 'demo'] },
  { name: 'postgresql', why: "PostgreSQL's server, which the hub's tests start in a temporary folder", neededBy: ['test'], unlessEnv: 'CUSTOMER_LENS_PG_BIN' },
  { name: 'neovim', why: "the README's Neovim snippets, run against the language server", neededBy: ['test'] },
];

/** Runs a command to completion; the real one spawns it, tests pass a fake. */
export type Exec = (command: string, args: readonly string[], options?: { inherit?: boolean }) => { status: number | null; stdout: string };

export interface EnsureOptions {
  exec?: Exec;
  isRoot?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Whether code-server is already installed in the cache (then build-only packages are not needed). */
  codeServerCached?: boolean;
  log?: (line: string) => void;
}

/** The outcome: what was missing and whether it is installed now. */
export type EnsureResult =
  | { status: 'ok'; installed: string[] }
  | { status: 'unsupported'; reason: string }
  | { status: 'needs-admin'; missing: string[]; command: string }
  | { status: 'failed'; missing: string[]; command: string; reason: string };

const realExec: Exec = (command, args, options = {}) => {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) return { status: null, stdout: '' };
  return { status: result.status, stdout: result.stdout ?? '' };
};

/** The packages a purpose needs, before looking at what is installed. */
export function packagesFor(purposes: readonly Purpose[], options: { env?: NodeJS.ProcessEnv; codeServerCached?: boolean } = {}): SystemPackage[] {
  const env = options.env ?? process.env;
  return SYSTEM_PACKAGES.filter(
    (p) => p.neededBy.some((purpose) => purposes.includes(purpose)) && !(p.buildOnly && options.codeServerCached) && !(p.unlessEnv && env[p.unlessEnv]),
  );
}

/** The command a person runs to install `names` (sudo, since they are not root or sudo asked for a password). */
export function installCommand(names: readonly string[]): string {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}`;
}

function aptArgs(names: readonly string[]): { update: string[]; install: string[] } {
  // Another apt-get on the machine holds the lock for a while: wait for it rather than fail.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  return { update: [...lock, 'update'], install: [...lock, 'install', '-y', '--no-install-recommends', ...names] };
}

/**
 * Makes sure the Debian packages `purposes` need are installed: checks with dpkg-query (fast when nothing is
 * missing), installs what is missing with apt-get as root or through `sudo -n`, and otherwise reports the one
 * command a person has to run. On a system without dpkg it does nothing: the steps that need a package say so.
 */
export function ensureSystemPackages(purposes: readonly Purpose[], options: EnsureOptions = {}): EnsureResult {
  const exec = options.exec ?? realExec;
  const log = options.log ?? ((line: string) => console.log(line));
  const wanted = packagesFor(purposes, { env: options.env, codeServerCached: options.codeServerCached ?? codeServerInstalled() });
  if (wanted.length === 0) return { status: 'ok', installed: [] };
  const query = exec('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\\n', ...wanted.map((p) => p.name)]);
  if (query.status === null) return { status: 'unsupported', reason: 'dpkg-query is not available (not Debian or Ubuntu)' };
  const installed = new Set(
    query.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, state]) => state === 'installed')
      .map(([name]) => name.replace(/:.*$/, '')),
  );
  const missing = wanted.filter((p) => !installed.has(p.name));
  if (missing.length === 0) return { status: 'ok', installed: [] };

  const names = missing.map((p) => p.name);
  const command = installCommand(names);
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const sudo = !isRoot && exec('sudo', ['-n', 'true']).status === 0;
  log(`Missing Debian packages: ${missing.map((p) => `${p.name} (${p.why})`).join(', ')}.`);
  if (!isRoot && !sudo) return { status: 'needs-admin', missing: names, command };

  const prefix = isRoot ? [] : ['-n'];
  const run = (args: string[]) => (isRoot ? exec('apt-get', args, { inherit: true }) : exec('sudo', [...prefix, 'apt-get', ...args], { inherit: true }));
  const { update, install } = aptArgs(names);
  log(`Installing them with ${isRoot ? 'apt-get' : 'sudo -n apt-get'} ...`);
  const updated = run(update);
  if (updated.status !== 0) return { status: 'failed', missing: names, command, reason: `apt-get update exited with ${updated.status ?? 'an error'}` };
  const result = run(install);
  if (result.status !== 0) return { status: 'failed', missing: names, command, reason: `apt-get install exited with ${result.status ?? 'an error'}` };
  return { status: 'ok', installed: names };
}

/** The message that stops a run when packages are missing and cannot be installed from here. */
export function stopMessage(result: Extract<EnsureResult, { status: 'needs-admin' | 'failed' }>): string {
  const why = result.status === 'needs-admin' ? 'Installing them needs root, and `sudo -n` is not allowed here.' : `Installing them failed: ${result.reason}.`;
  return `${why} Run this, then the same command again:\n\n    ${result.command}\n`;
}

function purposesFromArgs(args: readonly string[]): Purpose[] {
  const which = args[0] ?? 'all';
  if (which === 'all') return ['test', 'demo'];
  if (which === 'test' || which === 'demo') return [which];
  throw new Error(`unknown purpose "${which}"; use test, demo or all`);
}

if (require.main === module) {
  try {
    const purposes = purposesFromArgs(process.argv.slice(2));
    const result = ensureSystemPackages(purposes);
    if (result.status === 'needs-admin' || result.status === 'failed') {
      console.error(stopMessage(result));
      process.exitCode = 1;
    } else if (result.status === 'ok' && result.installed.length > 0) {
      console.log(`Installed ${result.installed.join(', ')}.`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}

