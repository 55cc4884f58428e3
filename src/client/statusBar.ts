// The status bar item: the active file's primary feature and the sync state of its context (synced, stale, offline,
// error). Clicking it offers the Customer Lens commands. Hidden for files outside a folder with a map.
import * as vscode from 'vscode';
import type { FileContextResult } from '../shared/lspProtocol';
import { statusBarContent, type StatusSnapshot } from './statusBarContent';

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
    this.apply(statusBarContent(result));
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
