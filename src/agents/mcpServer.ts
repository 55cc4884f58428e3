// `customer-lens mcp`: the agent tools over the Model Context Protocol on stdio, built on the official MCP TypeScript
// SDK (v2, `@modelcontextprotocol/server`). stdout carries the protocol and nothing else; logs go to stderr.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { agentTools, type AgentEnvironment } from './agentTools';

/** What the server tells a client about itself, once, when it connects. */
const INSTRUCTIONS =
  'Customer Lens maps this codebase to product features and knows what each feature\'s customers report (support problems with customers and ARR, quotes, usage). Before changing code, call customer_context with the paths you will touch; for a diff, customer_impact; to learn the product areas, find_features. Answers are compact and fit maxTokens.';

/** An MCP server offering every agent tool, answering from `env`. */
export function createMcpServer(env: AgentEnvironment, version: string): McpServer {
  const server = new McpServer({ name: 'customer-lens', title: 'Customer Lens', version }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  for (const tool of agentTools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        annotations: { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      },
      async (input: unknown) => {
        const answer = await tool.run(env, input as never);
        return { content: [{ type: 'text', text: answer.text }], ...(answer.isError ? { isError: true } : {}) };
      },
    );
  }
  return server;
}

/** Serves the tools on this process's stdin and stdout until the client closes stdin. */
export function serveMcpOnStdio(env: AgentEnvironment, version: string, onError: (error: Error) => void): StdioServerHandle {
  return serveStdio(() => createMcpServer(env, version), { onerror: onError });
}
