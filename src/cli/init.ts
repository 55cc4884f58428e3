import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { MAP_FILE_NAMES, parseMapFile } from '../map/mapFile';
import { createStarterMap } from '../map/mapInit';
import { listWorkspaceFiles } from '../map/workspaceFiles';
import { MAP_SCHEMA_URL } from '../shared/mapSchema';
import { ExitCode, InputError, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { formatProblem, plural, relativePath, resolveRoot, rootOption } from './mapSupport';

const usage = `Usage: customer-lens init [--root DIR]

Writes a starter .customer-lens.yml: one feature per top-level source folder (or per subfolder of src/, packages/
and the like), owners from CODEOWNERS when there is one, tests, scripts, docs and hidden folders under "unmapped".
Never overwrites an existing map.

Options:
  --root DIR  where to write the map (default: the outermost folder with a map file up to the git repository's top,
              otherwise the current folder)`;

/**
 * What the `yaml-language-server` comment points at: the schema installed with this CLI when it sits inside the
 * workspace (a devDependency), so editors work offline; otherwise the published URL.
 */
function schemaReference(root: string): string {
  const candidates = [
    path.join(root, 'node_modules', 'customer-lens', 'dist', 'schemas', 'map.schema.json'),
    path.resolve(__dirname, '..', 'schemas', 'map.schema.json'),
  ];
  for (const candidate of candidates) {
    const relative = relativePath(root, candidate);
    if (relative !== candidate && existsSync(candidate)) return `./${relative}`;
  }
  return MAP_SCHEMA_URL;
}

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Write a starter map from the top-level folders and CODEOWNERS',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, rootOption);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const root = resolveRoot(io, values.root);
    for (const name of MAP_FILE_NAMES) {
      const existing = path.join(root, name);
      if (await fs.lstat(existing).then(() => true, () => false)) {
        throw new InputError(`${relativePath(io.cwd, existing)} already exists; edit it instead (init never overwrites a map), or pass --root to start a nested map in a subfolder`);
      }
    }
    const files = await listWorkspaceFiles(root, { onSkipped: (folder, reason) => io.err(`warning: skipped folder ${folder}: ${reason}`) });
    const text = await createStarterMap(root, files, { schema: schemaReference(root) });
    const file = path.join(root, MAP_FILE_NAMES[0]);
    const parsed = parseMapFile(file, text);
    if (!parsed.valid) {
      // The starter map is generated; if it does not validate, say so rather than write a broken file.
      for (const problem of parsed.problems) io.err(formatProblem(problem, io.cwd));
      throw new InputError('the generated map does not validate; nothing was written');
    }
    try {
      await fs.writeFile(file, text, { flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new InputError(`${relativePath(io.cwd, file)} already exists; edit it instead (init never overwrites a map)`);
      throw new InputError(`cannot write ${relativePath(io.cwd, file)} (${code ?? String(error)}); check the folder's permissions`);
    }
    const owners = parsed.features.some((f) => f.owners.length > 0) ? ', owners from CODEOWNERS' : '';
    io.out(
      `Wrote ${relativePath(io.cwd, file)}: ${plural(parsed.features.length, 'feature')}${owners}, ${plural(parsed.unmapped.length, 'unmapped folder')}.\n` +
        'Next: give each feature a description, merge or split features as the product sees them, then run "customer-lens check".',
    );
    return ExitCode.ok;
  },
};
