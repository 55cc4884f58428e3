// What "Explain Mapping for Current File" shows: one quick pick for every answer, whether the file belongs to
// features, is marked not customer-facing, is in no feature, or has no usable map. Each item says why and picking it
// does the next useful thing. Pure (no `vscode` import), so every case is tested in plain Node.
import type { ExplainResult } from '../shared/lspProtocol';

/** What picking an item does. Lines are 1-based. */
export type ExplainAction =
  | { kind: 'openMap'; mapFileUri: string; line?: number }
  | { kind: 'addToFeature'; uri: string }
  | { kind: 'createMap' };

export interface ExplainItem {
  label: string;
  description?: string;
  detail?: string;
  action: ExplainAction;
}

export interface ExplainPick {
  title: string;
  placeholder: string;
  items: ExplainItem[];
}

/**
 * The quick pick for an explanation. `file` names the file as the user knows it; `at` turns a map file and line into
 * `.customer-lens.yml:17`.
 */
export function explainPick(result: ExplainResult, file: string, at: (mapFileUri: string, line: number) => string): ExplainPick {
  const title = `Explain Mapping: ${file}`;
  const mapFileUri = result.map.mapFileUris[0];
  if (result.map.state === 'none') {
    return {
      title,
      placeholder: 'This folder has no map yet',
      items: [
        {
          label: '$(circle-slash) No map in this folder',
          detail: 'A map (.customer-lens.yml) says which product feature each path belongs to. Pick to create one.',
          action: { kind: 'createMap' },
        },
      ],
    };
  }
  if (result.map.state === 'invalid') {
    return {
      title,
      placeholder: 'The map has errors: fix them to see where this file belongs',
      items: mapFileUri
        ? [
            {
              label: `$(error) The map has ${plural(result.map.errorCount, 'error')}`,
              detail: 'There is no earlier valid version to go by. Pick to open the map; the Problems panel lists every error.',
              action: { kind: 'openMap', mapFileUri },
            },
          ]
        : [],
    };
  }
  const lastGood = result.map.usingLastGood ? ' (the map has errors: this is its last valid version)' : '';
  if (result.features.length > 0) {
    return {
      title,
      placeholder: `${result.features.length === 1 ? 'The feature' : 'The features'} this file belongs to${lastGood}; pick one to open the map at its pattern`,
      items: result.features.map((feature) => ({
        label: `${feature.primary ? '$(star-full)' : '$(circle-outline)'} ${feature.name}`,
        description: feature.primary ? 'primary' : undefined,
        detail: `matched by "${feature.pattern}" at ${at(feature.mapFileUri, feature.line)}`,
        action: { kind: 'openMap', mapFileUri: feature.mapFileUri, line: feature.line },
      })),
    };
  }
  if (result.ignored && result.ignoredBy) {
    const by = result.ignoredBy;
    return {
      title,
      placeholder: `Not customer-facing${lastGood}; pick to open the map at the pattern that says so`,
      items: [
        {
          label: '$(eye-closed) Not customer-facing',
          detail: `marked by "${by.pattern}" in unmapped at ${at(by.mapFileUri, by.line)}`,
          action: { kind: 'openMap', mapFileUri: by.mapFileUri, line: by.line },
        },
      ],
    };
  }
  const items: ExplainItem[] = [
    {
      label: '$(circle-slash) In no feature',
      detail: `No pattern of the map matches ${file}. Pick to add it to a feature.`,
      action: { kind: 'addToFeature', uri: result.uri },
    },
  ];
  if (mapFileUri) items.push({ label: '$(go-to-file) Open Map File', detail: 'Add it by hand, or list it under unmapped if it is not customer-facing.', action: { kind: 'openMap', mapFileUri } });
  return { title, placeholder: `This file belongs to no feature${lastGood}`, items };
}

function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : `${word}s`}`;
}
