// Runs `customer-lens hub …` in this process, as the CLI would, capturing what it prints.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runHub } from '../../../src/hub/hubCli';

export interface HubRun {
  code: number;
  out: string;
  err: string;
}

export async function hub(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<HubRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHub(args, { out: (t) => out.push(t), err: (t) => err.push(t), cwd: options.cwd, env: options.env ?? {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A running in-process `hub serve`: its URL, what it printed so far, and how to stop it. */
export interface ServingHub {
  url: string;
  lines: string[];
  stop(): Promise<number>;
}

export async function serveHub(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ServingHub> {
  const lines: string[] = [];
  let stop!: (signal: string) => void;
  const stopSignal = new Promise<string>((resolve) => (stop = resolve));
  let announce!: (url: string) => void;
  const announced = new Promise<string>((resolve) => (announce = resolve));
  const done = runHub(['serve', ...args, '--port', '0'], {
    out: (t) => {
      lines.push(t);
      const match = /\bat (http:\/\/\S+)$/.exec(t);
      if (match) announce(match[1]!);
    },
    err: (t) => lines.push(t),
    cwd: options.cwd,
    env: options.env ?? {},
    stopSignal,
  });
  const url = await Promise.race([announced, done.then((code) => Promise.reject(new Error(`hub serve exited ${code}:\n${lines.join('\n')}`)))]);
  return {
    url,
    lines,
    stop: () => {
      stop('test');
      return done;
    },
  };
}

/** Writes files (path → content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}
