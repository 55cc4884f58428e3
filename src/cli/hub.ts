// `customer-lens hub …`: the hub lives in its own bundle (dist/hub/hub.js, beside this CLI's folder) with its
// database engines as runtime dependencies, loaded only when this command runs. From sources (tests, tsx) it loads
// src/hub directly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { runHub as RunHub } from '../hub/hubCli';
import { InputError, UsageError, type CliCommand } from './cliSupport';

function loadHub(): { runHub: typeof RunHub; hubUsage: string; HubUsageError: new (...args: never[]) => Error } {
  const fromSource = __filename.endsWith('.ts');
  const entry = fromSource ? path.join(__dirname, '..', 'hub', 'hubCli.ts') : path.join(__dirname, '..', 'hub', 'hub.js');
  if (!fromSource && !fs.existsSync(entry)) {
    throw new InputError(`the hub is not installed beside this CLI (${entry} is missing); run "npm run build" in a clone of Customer Lens`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry);
}

export const hubCommand: CliCommand = {
  name: 'hub',
  summary: 'Run the Customer Lens Hub: sync from support, analytics and billing tools and serve protocol v1',
  get usage() {
    return loadHub().hubUsage;
  },
  async run(args, io) {
    const hub = loadHub();
    try {
      return await hub.runHub(args, { ...io, env: process.env });
    } catch (error) {
      if (error instanceof hub.HubUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
};
