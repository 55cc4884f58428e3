// The LSP lifecycle and the shape of every request's params, checked before a handler runs, so that a client gets
// the error code the specification names instead of an internal error: -32002 before `initialize`, -32600 after
// `shutdown`, -32602 when the params do not have the shape the method defines.
import { z } from 'zod';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { ServerContext } from './serverContext';

/** Where the server is in the LSP lifecycle. */
export class ServerLifecycle {
  private ctx: ServerContext | undefined;
  private shutDown = false;

  /** `initialize` answered: requests are served from here on. */
  start(ctx: ServerContext): void {
    this.ctx = ctx;
  }

  /** `shutdown` received: every later request but `exit` is refused. */
  shutdown(): void {
    this.shutDown = true;
  }

  get isShutDown(): boolean {
    return this.shutDown;
  }

  /** The server context for a request, or the error the specification names for the current state. */
  ready(method: string): ServerContext {
    if (this.shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shutting down (shutdown was received); only exit is accepted now`);
    if (!this.ctx) throw new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized; send initialize first`);
    return this.ctx;
  }

  /**
   * A request handler that checks the lifecycle, then parses its params with `schema` (-32602 naming the field when
   * they do not fit), then runs `handler` with the server context and the parsed params.
   */
  handle<P, R, T extends unknown[]>(
    method: string,
    schema: z.ZodType<P>,
    handler: (ctx: ServerContext, params: P, ...rest: T) => R,
  ): (params: unknown, ...rest: T) => R {
    return (params, ...rest) => {
      const ctx = this.ready(method);
      return handler(ctx, parseParams(method, schema, params), ...rest);
    };
  }
}

/** Parses a request's params; a mismatch is an InvalidParams error that says which field is wrong and why. */
export function parseParams<P>(method: string, schema: z.ZodType<P>, params: unknown): P {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'params';
  throw new ResponseError(ErrorCodes.InvalidParams, `${method}: invalid ${where}: ${issue?.message ?? 'unexpected shape'}`);
}

// Params are parsed loosely: clients may send fields of later protocol versions (workDoneToken, context, …), and
// those are kept for the handler, which reads only what it knows.
const position = z.looseObject({ line: z.number().int().min(0), character: z.number().int().min(0) });
const textDocument = z.looseObject({ uri: z.string().min(1) });

/** `{textDocument}`: codeLens, documentLink. */
export const textDocumentParams = z.looseObject({ textDocument });
/** `{textDocument, position}`: hover, completion. */
export const positionParams = z.looseObject({ textDocument, position });
/** `{uri}`: customerLens/fileContext, customerLens/explain. */
export const uriParams = z.looseObject({ uri: z.string().min(1) });
/** customerLens/featureContext. */
export const featureContextParams = z.looseObject({ featureId: z.string().min(1), workspaceFolderUri: z.string().min(1) });
/** customerLens/featureFiles. */
export const featureFilesParams = z.looseObject({ featureId: z.string().min(1), pattern: z.string().optional() });
/** customerLens/addToFeature. */
export const addToFeatureParams = z.looseObject({ featureId: z.string().min(1), targetUri: z.string().min(1), isFolder: z.boolean() });
/** customerLens/createMap. */
export const createMapParams = z.looseObject({ workspaceFolderUri: z.string().min(1) });
/** Requests without params (`null`, absent or an empty object are all fine). */
export const noParams = z.unknown();
/** textDocument/codeAction. */
export const codeActionParams = z.looseObject({
  textDocument,
  range: z.looseObject({ start: position, end: position }),
  context: z.looseObject({ only: z.array(z.string()).optional() }),
});
/** customerLens/agentTool: the tool's input is validated by the tool itself. */
export const agentToolParams = z.looseObject({ name: z.string().min(1), input: z.unknown() });
/** customerLens/writeAgentInstructions. */
export const agentInstructionsParams = z.looseObject({ workspaceFolderUri: z.string().min(1) });
/** workspace/executeCommand. */
export const executeCommandParams = z.looseObject({ command: z.string().min(1), arguments: z.array(z.unknown()).optional() });
