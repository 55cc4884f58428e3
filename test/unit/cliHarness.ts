// Runs the built `customer-lens` CLI as a child process, the way a user or a CI step runs it.
import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli', 'customerLens.js');

let build: Promise<void> | undefined;

/** Builds the bundles once per test run (`node esbuild.js`), so the tests exercise what ships. */
export function buildOnce(): Promise<void> {
  build ??= new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(REPO, 'esbuild.js')], { cwd: REPO }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`node esbuild.js failed:\n${stderr}`));
      else resolve();
    });
  });
  return build;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `customer-lens ...args` in `cwd` and collects its output and exit code. */
export function runCli(cwd: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs `customer-lens ...args` in `cwd` with `input` on its standard input. */
export function runCliWithInput(cwd: string, input: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}

/** Asserts helper: no stack trace in output meant for people. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text);
}
