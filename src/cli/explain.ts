import { InputError, type CliCommand } from './cliSupport';

// Placeholder until this command lands; it refuses instead of pretending to work.
export const explainCommand: CliCommand = {
  name: 'explain',
  summary: '(not available yet)',
  usage: 'Usage: customer-lens explain',
  async run() {
    throw new InputError('this command is not available in this build yet');
  },
};
