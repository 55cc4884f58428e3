// What the status bar item says for the active file: its primary feature and the sync state of its context. Pure (no
// `vscode` import), so the text can be checked in plain Node.
import type { SyncState } from '../shared/contextModel';
import type { FileContextResult } from '../shared/lspProtocol';
import { displayText, escapeIcons } from '../shared/safeText';

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

/** The item's text and tooltip for `result` (the active file); hidden for files outside a folder with a map. */
export function statusBarContent(result: FileContextResult | undefined): StatusSnapshot {
  if (!result || result.map.state === 'none' || result.path === undefined) return { visible: false, text: '', tooltip: '' };
  const state = result.freshness.state;
  const icon = STATE_ICONS[state] ?? '';
  const primary = result.features[0];
  // Names come from the map, the error from the endpoint: neither may reorder text or draw icons in the status bar.
  const label = primary ? escapeIcons(displayText(primary.name, 60)) : result.ignored ? 'Not customer-facing' : 'Unmapped';
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
  return {
    visible: true,
    text: `$(comment-discussion) ${label}${icon ? ` ${icon}` : ''}`,
    tooltip: displayText(lines.join('\n'), 2000),
    featureId: primary?.id,
    state,
  };
}
