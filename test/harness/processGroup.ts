import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * Child processes started in their own process group, so that stopping one also stops everything it started
 * (code-server forks an extension host, a pty host and file watchers; npm runs node-gyp and compilers).
 */
export interface GroupProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the group leader exits. */
  readonly exited: Promise<number | string>;
  /** The last output lines, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM to the whole group, SIGKILL after a grace period; resolves when the leader has exited. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Every output line goes here as well (created or truncated). */
  logFile?: string;
  /** Called with each output line as it arrives. */
  onLine?: (line: string) => void;
}

const running = new Set<GroupProcess>();
let handlersInstalled = false;
let signalled: NodeJS.Signals | undefined;

/** The signal (Ctrl+C and the like) that is stopping this process, if any: children exiting then is expected. */
export function stoppingOnSignal(): NodeJS.Signals | undefined {
  return signalled;
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): GroupProcess {
  installExitHandlers();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile ? fs.createWriteStream(options.logFile) : undefined;
  const recent: string[] = [];
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line === '') continue;
      recent.push(line);
      if (recent.length > 200) recent.shift();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (error) => {
      recent.push(`failed to start ${command}: ${error.message}`);
      resolve('spawn-error');
    });
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  const group: GroupProcess = {
    child,
    exited,
    tail: (lines = 40) => recent.slice(-lines).join('\n'),
    async stop() {
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      // The leader is gone (npm goes first, at once). The rest of the group had the same SIGTERM and may be stopping
      // children of its own in other groups (the demo stops code-server and the hub): give it the same grace before
      // anything left behind is killed, or those children would outlive it.
      const deadline = Date.now() + 5000;
      while (groupAlive(child) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      signalGroup(child, 'SIGKILL');
      running.delete(group);
      await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
    },
  };
  running.add(group);
  void exited.then(() => running.delete(group));
  return group;
}

/** Runs a command to completion in its own group; rejects with its output's tail on a non-zero exit or past the deadline. */
export async function runToCompletion(command: string, args: string[], options: SpawnOptions & { timeoutMs: number }): Promise<void> {
  const group = spawnGroup(command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void group.stop();
  }, options.timeoutMs);
  const code = await group.exited;
  clearTimeout(timer);
  await group.stop();
  if (timedOut) {
    throw new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000} s (cwd ${options.cwd ?? process.cwd()}):\n${group.tail()}`);
  }
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${code} (cwd ${options.cwd ?? process.cwd()}):\n${group.tail()}`);
  }
}

/** Stops every group still running (used on Ctrl-C and at the end of a run). */
export async function stopAllGroups(): Promise<void> {
  await Promise.all([...running].map((group) => group.stop()));
}

/**
 * Runs a command-line script's `main` and exits with the code it returns; when it throws, prints the message and
 * exits with 1. Either way every child group is stopped first, so no code-server or VS Code outlives the script.
 */
export function runScript(main: () => Promise<number>): void {
  const exit = async (code: number) => {
    await stopAllGroups();
    process.exit(code);
  };
  main().then(exit, (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    return exit(1);
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether any process of the child's group is still running. */
function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort when the runner exits without stopping its children: no code-server outlives the run.
  process.on('exit', () => {
    for (const group of running) signalGroup(group.child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      signalled = signal;
      process.stderr.write(`\n${signal}: stopping child processes...\n`);
      void stopAllGroups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}
