// The webview's side of the channel to the extension host: typed sends, validated receives, persisted UI state.
import type { z } from 'zod';
import { parseHostMessage, type HostMessage, type WebviewKind, type WebviewMessage } from '../shared/webviewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The channel to the host for one webview, plus its persisted UI state (never fetched data). */
export interface HostChannel<State> {
  post(message: WebviewMessage): void;
  /** Calls `listener` with every valid host message; invalid ones are reported to the host and dropped. */
  onMessage(listener: (message: HostMessage) => void): void;
  state(): State;
  setState(state: State): void;
  /** Tells the host something went wrong, so it lands in the log. */
  fail(message: string): void;
}

/** Connects the webview to its host. `uiState` reads the persisted state, which may come from an older version. */
export function connectToHost<S extends z.ZodType>(view: WebviewKind, uiState: S): HostChannel<z.infer<S>> {
  const api = acquireVsCodeApi();
  const parsedState = uiState.safeParse(api.getState() ?? {});
  let current: z.infer<S> = parsedState.success ? parsedState.data : uiState.parse({});
  const channel: HostChannel<z.infer<S>> = {
    post: (message) => api.postMessage(message),
    fail: (message) => api.postMessage({ method: 'webview/didFail', params: { view, message: message.slice(0, 2000) } } satisfies WebviewMessage),
    onMessage(listener) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const parsed = parseHostMessage(event.data);
        if (!parsed.ok) {
          channel.fail(parsed.error);
          return;
        }
        try {
          listener(parsed.message);
        } catch (error) {
          channel.fail(`render failed method=${parsed.message.method}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        }
      });
    },
    state: () => current,
    setState(state) {
      current = state;
      api.setState(state);
    },
  };
  return channel;
}
