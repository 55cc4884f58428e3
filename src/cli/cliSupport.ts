import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes; tests pass their own, the entry point passes the process streams. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  /** Standard input, for commands that read from it (`explain --stdin`). */
  stdin?: NodeJS.ReadableStream;
}

/** A command of the `customer-lens` CLI: takes its own arguments, returns the process exit code. */
export interface CliCommand {
  name: string;
  /** One line for `customer-lens --help`. */
  summary: string;
  /** The full usage text for `customer-lens <command> --help`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** A problem with the user's input (a file, a map, an endpoint): printed as one line, exit code 1. */
export class InputError extends Error {}

/** `node:util` parseArgs with unknown options and missing values turned into UsageErrors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The token from `--token`, else from `CUSTOMER_LENS_TOKEN` (which keeps it out of `ps`). */
export function tokenOption(flag: string | undefined): string | undefined {
  return flag ?? (process.env.CUSTOMER_LENS_TOKEN?.trim() || undefined);
}
