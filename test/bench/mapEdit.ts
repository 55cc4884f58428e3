// What one keystroke in an open map costs the language server: the server's own FolderState on a temporary folder
// holding the synthetic map, with the synthetic file list handed in (no 100k files on disk).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderState } from '../../src/server/workspaceState';

const EDITS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Median milliseconds of each phase over a few edits that each add a new pattern to the first feature. */
export async function benchMapEdit(paths: readonly string[], text: string): Promise<{ fullReload: number }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-bench-'));
  try {
    const mapFile = path.join(root, '.customer-lens.yml');
    fs.writeFileSync(mapFile, text);
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const folder = new FolderState(root, quiet, async () => [...paths, '.customer-lens.yml']);
    let open = text;
    const openText = (file: string) => (file === mapFile ? open : undefined);
    await folder.reloadFiles(openText);
    if (!folder.map || folder.usingLastGood) throw new Error('the synthetic map did not load');

    const fullReload: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      // One more pattern in the first feature, as if typed (each edit is new text, so nothing is cached by text).
      open = text.replace('    paths: [', `    paths: ["/packages/pkg${i}/src/new${i}/", `);
      const start = process.hrtime.bigint();
      await folder.reloadMaps(openText);
      fullReload.push(ms(start));
    }
    return { fullReload: median(fullReload) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
