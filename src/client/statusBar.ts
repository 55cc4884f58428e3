// The status bar item: the active file's primary feature and the sync state of its context (synced, stale, offline,
// error). Clicking it offers the Customer Lens commands. Hidden for files outside a folder with a map.
import * as vscode from 'vscode';
import type { SyncState } from '../shared/contextModel';
import type { FileContextResult } from '../shared/lspProtocol';

/** What the item shows, for the test API. */
export interface StatusSnapshot {
  visible: boolean;
  text: string;
  tooltip: string;
  /** The primary feature id, when the file is mapped. */
  featureId?: string;
  state?: SyncState;
}

const STATE_ICONS: Partial<Record<SyncState, string>> = {
  stale: '$(history)',
  offline: '$(debug-disconnect)',
  error: '$(warning)',
};

const STATE_WORDS: Record<SyncState, string> = {
  synced: 'up to date',
  stale: 'stale (refreshing in the background)',
  offline: 'offline: showing cached context',
  error: 'error',
  none: 'no context source',
};

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private snapshot: StatusSnapshot = { visible: false, text: '', tooltip: '' };
  private readonly updated = new vscode.EventEmitter<StatusSnapshot>();
  /** Fires after every update. */
  readonly onDidUpdate = this.updated.event;

  constructor(command: string) {
    this.item = vscode.window.createStatusBarItem('customerLens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Customer Lens';
    this.item.command = command;
  }

  current(): StatusSnapshot {
    return this.snapshot;
  }

  /** Shows the feature and sync state of `result` (the active file), or hides the item. */
  show(result: FileContextResult | undefined): void {
    if (!result || result.map.state === 'none' || result.path === undefined) {
      this.apply({ visible: false, text: '', tooltip: '' });
      return;
    }
    const state = result.freshness.state;
    const icon = STATE_ICONS[state] ?? '';
    const primary = result.features[0];
    const label = primary ? primary.name : result.ignored ? 'Not customer-facing' : 'Unmapped';
    const lines: string[] = [];
    if (primary) {
      lines.push(`${result.path} belongs to ${result.features.map((f) => f.name).join(', ')}`);
      lines.push(`Why: ${primary.why.pattern} (map line ${primary.why.line})`);
    } else if (result.ignored) {
      lines.push(`${result.path} is marked not customer-facing${result.ignoredBy ? ` by ${result.ignoredBy.pattern}` : ''}`);
    } else {
      lines.push(`${result.path} is not mapped to any feature`);
    }
    if (result.map.state === 'invalid') lines.push('The map has errors: see the Problems panel');
    else if (result.map.usingLastGood) lines.push('The map has errors: the last good map is in force');
    lines.push(`Customer context: ${STATE_WORDS[state]}${result.freshness.error ? ` — ${result.freshness.error}` : ''}`);
    lines.push('Click for Customer Lens commands');
    this.apply({
      visible: true,
      text: `$(comment-discussion) ${label}${icon ? ` ${icon}` : ''}`,
      tooltip: lines.join('\n'),
      featureId: primary?.id,
      state,
    });
  }

  private apply(snapshot: StatusSnapshot): void {
    this.snapshot = snapshot;
    this.item.text = snapshot.text;
    this.item.tooltip = snapshot.tooltip;
    this.item.backgroundColor = snapshot.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (snapshot.visible) this.item.show();
    else this.item.hide();
    this.updated.fire(snapshot);
  }

  dispose(): void {
    this.item.dispose();
    this.updated.dispose();
  }
}
