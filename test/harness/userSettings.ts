import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * User settings that keep the workbench quiet and predictable under test: no welcome page, walkthroughs, AI panels,
 * update or recommendation popups that steal focus or cover the editor in screenshots.
 */
const quietSettings = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
};

/**
 * Writes `<userDataDir>/User/settings.json`. For an untrusted run, workspace trust stays on and the startup prompt
 * is turned off: the folder then simply opens in Restricted Mode, as it does for a user who has not trusted it yet.
 */
export function writeUserSettings(userDataDir: string, trust: 'trusted' | 'untrusted', extra: Record<string, unknown> = {}): void {
  const settings = {
    ...quietSettings,
    ...extra,
    ...(trust === 'untrusted' ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {}),
  };
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}
