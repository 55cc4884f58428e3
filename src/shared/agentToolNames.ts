/**
 * The agents' tools as VS Code knows them: each language-model tool (package.json `languageModelTools[].name`) and
 * the tool of `customer-lens mcp` it runs. Language-model tool names are global across extensions, hence the prefix.
 * No `vscode` import here.
 */
export const LANGUAGE_MODEL_TOOLS = [
  { name: 'customerLens_customer_context', tool: 'customer_context' },
  { name: 'customerLens_customer_impact', tool: 'customer_impact' },
  { name: 'customerLens_find_features', tool: 'find_features' },
] as const;

/** The setting that turns the tools and the MCP server off. */
export const AGENT_TOOLS_SETTING = 'customerLens.agentTools.enabled';
