// The extension's one log ("Customer Lens", a LogOutputChannel), with secrets redacted from every line before it is
// written, and the view of it the language client traces protocol messages into.
import * as vscode from 'vscode';
import { redactSecrets } from './redaction';

/** `customerLens.trace.server`: how much of the LSP traffic goes into the log. */
export type ServerTrace = 'off' | 'messages' | 'verbose';

export const TRACE_SETTING = 'customerLens.trace.server';

/** The setting's value; anything unexpected counts as off. */
export function serverTrace(): ServerTrace {
  const value = vscode.workspace.getConfiguration('customerLens').get<string>('trace.server');
  return value === 'messages' || value === 'verbose' ? value : 'off';
}

function text(message: string | Error, args: unknown[]): string {
  const head = message instanceof Error ? (message.stack ?? message.message) : message;
  if (args.length === 0) return head;
  const tail = args.map((arg) => {
    if (typeof arg === 'string') return arg;
    if (arg instanceof Error) return arg.stack ?? arg.message;
    try {
      return JSON.stringify(arg);
    } catch {
      return String(arg);
    }
  });
  return [head, ...tail].join(' ');
}

/**
 * A LogOutputChannel that redacts each line (the known tokens, token fields, bearer credentials) and then writes it
 * to the real channel. Everything the extension and the language client log goes through it.
 */
export class RedactingLog implements vscode.LogOutputChannel {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly secrets: () => Iterable<string>,
  ) {}

  get name(): string {
    return this.channel.name;
  }

  get logLevel(): vscode.LogLevel {
    return this.channel.logLevel;
  }

  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.channel.onDidChangeLogLevel;
  }

  /** The line as it will be written. */
  redact(message: string | Error, args: unknown[] = []): string {
    return redactSecrets(text(message, args), this.secrets());
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.redact(message, args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.redact(message, args));
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.redact(message, args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.redact(message, args));
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.channel.error(this.redact(error, args));
  }

  append(value: string): void {
    this.channel.append(this.redact(value));
  }

  appendLine(value: string): void {
    this.channel.appendLine(this.redact(value));
  }

  replace(value: string): void {
    this.channel.replace(this.redact(value));
  }

  clear(): void {
    this.channel.clear();
  }

  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined) this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }

  hide(): void {
    this.channel.hide();
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/**
 * What the language client traces into (`traceOutputChannel`): the same log. vscode-languageclient traces only
 * while this channel's level is Trace and then reads `customerLens.trace.server` for messages or verbose, so the
 * level reported here follows that setting alone; the lines are written at the log's own level so they show up
 * without changing it. The channel itself is owned by the RedactingLog.
 */
export class ServerTraceChannel extends RedactingLog implements vscode.Disposable {
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: RedactingLog) {
    super(log as vscode.LogOutputChannel, () => []);
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(TRACE_SETTING)) this.levelChanged.fire(this.logLevel);
    });
  }

  override get logLevel(): vscode.LogLevel {
    return serverTrace() === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
  }

  override get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.levelChanged.event;
  }

  override trace(message: string, ...args: unknown[]): void {
    if (this.log.logLevel === vscode.LogLevel.Trace) this.log.trace(message, ...args);
    else this.log.info(message, ...args);
  }

  override dispose(): void {
    this.subscription.dispose();
    this.levelChanged.dispose();
  }
}
