// The MCP SDK's own client, connected over stdio to the built `customer-lens mcp` (dist/cli/customerLens.js), the way
// Claude Code or VS Code starts it. Used by the MCP tests and the benchmark.
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CLI } from '../cliHarness';

export interface McpConnection {
  client: Client;
  /** Everything the server wrote to stderr, by line. */
  stderr: string[];
  /** The text of a tool call's answer and whether it is an error. */
  call(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
  /** `call` with `format: "json"`, parsed. */
  callJson<T = Record<string, any>>(name: string, args: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/** Starts `customer-lens mcp` with `args` (in `cwd`) and connects the SDK client to it. */
export async function connectMcp(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<McpConnection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    cwd: options.cwd ?? path.dirname(CLI),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stderr: 'pipe',
  });
  const stderr: string[] = [];
  let pending = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    stderr.push(...lines);
  });
  const client = new Client({ name: 'customer-lens-tests', version: '1.0.0' });
  await client.connect(transport);
  const call = async (name: string, toolArgs: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: toolArgs });
    const content = result.content as { type: string; text?: string }[];
    if (content.length !== 1 || content[0]!.type !== 'text') throw new Error(`expected one text block, got ${JSON.stringify(content)}`);
    return { text: content[0]!.text ?? '', isError: result.isError === true };
  };
  return {
    client,
    stderr,
    call,
    async callJson(name, toolArgs) {
      const answer = await call(name, { ...toolArgs, format: 'json' });
      if (answer.isError) throw new Error(`${name} answered an error: ${answer.text}`);
      return JSON.parse(answer.text);
    },
    close: () => client.close(),
  };
}
