import { formatProbeReport, runProbe } from '../context/probe';
import { ExitCode, UsageError, parseCommandArgs, tokenOption, type CliCommand } from './cliSupport';

const usage = `Usage: customer-lens probe <endpoint> [--token T] [--features a,b] [--timeout MS]

Checks an endpoint against customer context protocol v1 and prints a pass/fail report:
the /v1/features and /v1/context bodies against the schemas, ETag and 304 revalidation,
ids without data, 400 for a bad query (more than 50 ids, none), 404 for an unknown path,
the error body shape, and, with --token, 401 without the token or with a wrong one.

Options:
  --token T        bearer token the endpoint expects (sent only over https or to this machine);
                   CUSTOMER_LENS_TOKEN in the environment does the same without showing it in ps
  --features a,b   feature ids to ask for (default: the first three from /v1/features)
  --timeout MS     timeout for each request (default 10000)

Exit code 0 when every check passes, 1 otherwise.`;

export const probeCommand: CliCommand = {
  name: 'probe',
  summary: 'Check an endpoint against customer context protocol v1',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      token: { type: 'string' },
      features: { type: 'string' },
      timeout: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the endpoint URL is required' : `unexpected argument "${positionals[1]}"`);
    const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds, got "${values.timeout}"`);
    const features = values.features?.split(',').map((id) => id.trim()).filter((id) => id !== '');
    const token = tokenOption(values.token);
    const report = await runProbe(positionals[0]!, { token, features, requestTimeoutMs: timeout });
    io.out(formatProbeReport(report));
    return report.passed ? ExitCode.ok : ExitCode.failed;
  },
};
