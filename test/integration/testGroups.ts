/**
 * The integration suite runs in groups: one VS Code window per group, each on its own copy of a workspace folder
 * (a group with another fixture is one more entry here). A test file's name picks its group, so adding a test never means editing a runner:
 *   `hover.test.ts`            → `trusted`    (the workspace is trusted, as for most users)
 *   `endpoint.restricted.test.ts` → `restricted` (workspace trust on and the folder not trusted: Restricted Mode)
 */
export interface TestGroup {
  name: 'trusted' | 'restricted';
  trust: 'trusted' | 'untrusted';
  /** The folder the window opens (a fresh copy of it), relative to the repository root. */
  workspace: string;
  /** Whether a compiled test file (`*.test.js`) belongs to this group. */
  includes(fileName: string): boolean;
}

export const testGroups: readonly TestGroup[] = [
  { name: 'trusted', trust: 'trusted', workspace: 'test/fixtures/storefront', includes: (file) => /\.test\.js$/.test(file) && !/\.restricted\.test\.js$/.test(file) },
  { name: 'restricted', trust: 'untrusted', workspace: 'test/fixtures/storefront', includes: (file) => /\.restricted\.test\.js$/.test(file) },
];

/** The environment variable that tells the tests module (running in the extension host) which group to run. */
export const groupVariable = 'CUSTOMER_LENS_TEST_GROUP';

/** Optional mocha `--grep` for the tests module, passed the same way. */
export const grepVariable = 'CUSTOMER_LENS_TEST_GREP';
