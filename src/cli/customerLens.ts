import { checkCommand } from './check';
import { contextCommand } from './context';
import { coverageCommand } from './coverage';
import { explainCommand } from './explain';
import { hubCommand } from './hub';
import { impactCommand } from './impact';
import { initCommand } from './init';
import { instructionsCommand } from './instructions';
import { lspCommand } from './lsp';
import { mcpCommand } from './mcp';
import { probeCommand } from './probe';
import { serveCommand } from './serve';
import { ExitCode, InputError, UsageError, type CliCommand, type CliIo } from './cliSupport';
import { cliVersion } from './version';

const commands: CliCommand[] = [
  explainCommand,
  contextCommand,
  impactCommand,
  checkCommand,
  coverageCommand,
  initCommand,
  instructionsCommand,
  serveCommand,
  probeCommand,
  lspCommand,
  mcpCommand,
  hubCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: customer-lens <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `customer-lens <command> --help` for a command\'s options. Add --debug to any command for stack traces.',
  ].join('\n');
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version') {
    io.out(cliVersion());
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`customer-lens: unknown command "${name}".\n\n${overview()}`);
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`customer-lens ${command.name}: ${error.message}\n\n${command.usage}`);
      return ExitCode.usage;
    }
    if (error instanceof InputError) {
      io.err(`customer-lens ${command.name}: ${error.message}`);
      return ExitCode.failed;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`customer-lens ${command.name}: ${message}${debug ? '' : ' (run again with --debug for details)'}`);
    if (debug && error instanceof Error && error.stack) io.err(error.stack);
    return ExitCode.failed;
  }
}

/**
 * `customer-lens coverage --unmapped | head`: when the reader goes away, the next write fails with EPIPE. The output
 * was not wanted any more, so stop quietly instead of dying with an unhandled error and a stack trace.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
    throw error;
  });
}

if (require.main === module) {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  const io: CliIo = {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    cwd: process.cwd(),
    stdin: process.stdin,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`customer-lens: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = ExitCode.failed;
    },
  );
}
