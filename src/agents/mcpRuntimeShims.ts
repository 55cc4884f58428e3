// Stands in for `@modelcontextprotocol/server/_shims` in the CLI bundle (see esbuild.js). The SDK picks its JSON
// Schema validator per runtime through that import; on Node it is AJV, about 150 kB minified. The SDK uses the
// validator for one thing, checking a client's answer to an elicitation (a server asking the user for input), and
// `customer-lens mcp` never elicits: tool inputs are checked by their zod schemas. The MCP tests run the built bundle,
// so a change of the SDK's contract here shows up there.
import process from 'node:process';

export { process };

/** A validator that refuses everything: reaching it would mean the server elicited, which it never does. */
export class DefaultJsonSchemaValidator {
  getValidator(): (input: unknown) => { valid: false; data: undefined; errorMessage: string } {
    return () => ({ valid: false, data: undefined, errorMessage: 'customer-lens mcp does not validate elicitation answers' });
  }
}
