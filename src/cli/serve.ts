import { InputError, type CliCommand } from './cliSupport';

// Placeholder until this command lands; it refuses instead of pretending to work.
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: '(not available yet)',
  usage: 'Usage: customer-lens serve',
  async run() {
    throw new InputError('this command is not available in this build yet');
  },
};
