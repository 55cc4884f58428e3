// Runs code that might never return (a backtracking matcher blocks its thread) in a worker thread with a deadline, so
// a test fails instead of hanging. The code is TypeScript from the repository, bundled with esbuild first.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';

const REPO = path.resolve(__dirname, '..', '..', '..');

/**
 * Runs `body` (statements that may `require` repository modules by path from the repository root) in a worker and
 * resolves with how long the body took, measured inside the worker. Rejects when the worker is still busy after
 * `deadlineMs` (it is then terminated) or when the body throws.
 */
export async function timedWithDeadline(body: string, deadlineMs: number): Promise<number> {
  const source = `const { parentPort } = require('node:worker_threads');\nconst started = performance.now();\n${body}\nparentPort.postMessage(performance.now() - started);\n`;
  const bundled = await esbuild.build({
    stdin: { contents: source, resolveDir: REPO, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'error',
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-deadline-')), 'body.js');
  fs.writeFileSync(file, bundled.outputFiles[0]!.text);
  const worker = new Worker(file);
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still running after ${deadlineMs} ms`)), deadlineMs);
      worker.once('message', (ms: number) => {
        clearTimeout(timer);
        resolve(ms);
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } finally {
    await worker.terminate();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
