// `npm run test:electron [-- --grep <text>] [--group trusted|restricted] [--vscode-version 1.99.0]`: runs the same
// integration suite in desktop VS Code, downloaded by @vscode/test-electron (needs internet, or
// CUSTOMER_LENS_VSCODE_EXECUTABLE pointing at an installed VS Code). On Linux without a display: `xvfb-run -a`.
//
// VS Code is started here rather than through test-electron's runTests(), because runTests() always passes
// --disable-workspace-trust and so cannot run the Restricted Mode group, and because a hung run must be stopped
// with its whole process tree.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { downloadAndUnzipVSCode } from '@vscode/test-electron';
import { buildExtension } from '../harness/buildExtension';
import { copyWorkspace, repoRoot, vscodeTestDir } from '../harness/paths';
import { runScript, spawnGroup } from '../harness/processGroup';
import { writeUserSettings } from '../harness/userSettings';
import { buildSuite, suiteOutDir } from './buildSuite';
import { grepVariable, groupVariable, testGroups, type TestGroup } from './testGroups';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    group: { type: 'string' },
    'vscode-version': { type: 'string', default: 'stable' },
    'timeout-seconds': { type: 'string', default: '300' },
  },
});

async function main(): Promise<number> {
  const executable = process.env.CUSTOMER_LENS_VSCODE_EXECUTABLE ?? (await download());
  await buildExtension('development');
  const testsModule = await buildSuite();
  const compiled = fs.readdirSync(suiteOutDir);
  const groups = testGroups.filter((group) => (!options.group || group.name === options.group) && compiled.some((file) => group.includes(file)));
  if (groups.length === 0) throw new Error(`no integration tests to run${options.group ? ` in group ${options.group}` : ''} (looked in ${suiteOutDir})`);

  let failed = false;
  for (const group of groups) failed = (await runGroup(group, executable, testsModule)) !== 0 || failed;
  return failed ? 1 : 0;
}

async function download(): Promise<string> {
  try {
    return await downloadAndUnzipVSCode({ version: options['vscode-version'], cachePath: vscodeTestDir });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not download VS Code ${options['vscode-version']} (${reason}).\n` +
        'This runner needs internet access (or CUSTOMER_LENS_VSCODE_EXECUTABLE=/path/to/code). Offline, run the same suite in code-server: npm run test:integration',
    );
  }
}

async function runGroup(group: TestGroup, executable: string, testsModule: string): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `customer-lens-electron-${group.name}-`));
  const workspace = copyWorkspace(group.workspace, scratch);
  const userDataDir = path.join(scratch, 'user-data');
  writeUserSettings(userDataDir, group.trust);

  console.log(`\n== ${group.name} (${group.trust === 'trusted' ? 'trusted workspace' : 'Restricted Mode'}): ${group.workspace} ==`);
  const args = [
    workspace,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-extensions', // other installed extensions stay out of the run; the one under development still loads
    `--user-data-dir=${userDataDir}`,
    `--extensions-dir=${path.join(scratch, 'extensions')}`,
    `--extensionDevelopmentPath=${repoRoot}`,
    `--extensionTestsPath=${testsModule}`,
    ...(group.trust === 'trusted' ? ['--disable-workspace-trust'] : []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, [groupVariable]: group.name, ...(options.grep ? { [grepVariable]: options.grep } : {}) };
  delete env.ELECTRON_RUN_AS_NODE; // set by some terminals; VS Code would start as plain Node
  const vscode = spawnGroup(executable, args, { env, onLine: (line) => console.log(line) });
  const timeoutMs = Number(options['timeout-seconds']) * 1000;
  const timer = setTimeout(() => {
    console.error(`\n${group.name}: the extension tests did not finish within ${timeoutMs / 1000} s; stopping VS Code.`);
    void vscode.stop();
  }, timeoutMs);
  const code = await vscode.exited;
  clearTimeout(timer);
  await vscode.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
  return code === 0 ? 0 : 1;
}

runScript(main);
