import { InputError, type CliCommand } from './cliSupport';

// Placeholder until this command lands; it refuses instead of pretending to work.
export const probeCommand: CliCommand = {
  name: 'probe',
  summary: '(not available yet)',
  usage: 'Usage: customer-lens probe',
  async run() {
    throw new InputError('this command is not available in this build yet');
  },
};
