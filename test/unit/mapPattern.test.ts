import * as assert from 'node:assert/strict';
import { compilePattern, folderSegments, patternMatches } from '../../src/map/pattern';
import { splitPath } from '../../src/map/matcher';
import { patternSyntaxProblem } from '../../src/shared/mapSchema';

function matches(pattern: string, file: string, mapFolder = ''): boolean {
  const split = splitPath(file);
  return patternMatches(compilePattern(pattern, folderSegments(mapFolder)), split.segments, split.isDir);
}

// Each row: a pattern, paths it must match, paths it must not match (relative to the root map's folder).
const table: Array<[string, string[], string[]]> = [
  // A leading "/" anchors to the map file's folder; a trailing "/" matches a folder and everything below it.
  ['/src/checkout/', ['src/checkout/cart.ts', 'src/checkout/a/b/c.ts'], ['src/checkout', 'lib/src/checkout/x.ts', 'src/checkouts/x.ts']],
  // Without a trailing "/", a literal name matches a file of that name or a folder and everything below it.
  ['/src/checkout', ['src/checkout', 'src/checkout/cart.ts'], ['lib/src/checkout/x.ts', 'src/checkout.ts']],
  // No slash except a trailing one: a name at any depth.
  ['checkout/', ['checkout/x.ts', 'src/checkout/x.ts', 'a/b/checkout/c/d.ts'], ['src/checkout', 'checkout']],
  ['checkout', ['checkout', 'src/checkout', 'src/checkout/cart.ts'], ['checkouts', 'src/checkouts/x.ts']],
  ['README.md', ['README.md', 'docs/README.md'], ['readme.md', 'README.mdx']],
  // "*" stays within a name; a wildcard last name matches file names only (CODEOWNERS: docs/* is not recursive).
  ['*.ts', ['a.ts', 'src/a/b.ts', '.ts'], ['a.tsx', 'a.ts/b.js', 'src/a.js']],
  ['*.payment.ts', ['src/checkout/card.payment.ts'], ['payment.ts', 'src/card.payment.tsx']],
  ['docs/*', ['docs/a.md', 'docs/.hidden'], ['docs/a/b.md', 'x/docs/a.md', 'docs']],
  // A slash in the middle anchors the pattern too (gitignore's rule).
  ['docs/*.md', ['docs/a.md'], ['src/docs/a.md', 'docs/a/b.md', 'docs/a.txt']],
  ['src/checkout/', ['src/checkout/x.ts'], ['lib/src/checkout/x.ts']],
  ['/*.md', ['README.md'], ['docs/a.md']],
  ['/src/*', ['src/x.ts'], ['src/a/b.ts']],
  ['/src/*/', ['src/a/b.ts', 'src/a/b/c.ts'], ['src/x.ts']],
  // "**" crosses folders.
  ['/docs/**', ['docs/a', 'docs/a/b/c'], ['docs', 'src/docs/a']],
  ['**/logs', ['logs', 'a/logs', 'a/b/logs/x.txt'], ['alogs', 'logs.txt']],
  ['**/logs/', ['a/logs/x.txt', 'logs/x'], ['a/logs']],
  ['a/**/b', ['a/b', 'a/x/b', 'a/x/y/b', 'a/x/b/c.ts'], ['a/xb', 'x/a/b']],
  ['src/**/*.test.ts', ['src/a.test.ts', 'src/x/y/a.test.ts'], ['lib/a.test.ts', 'src/a.test.tsx']],
  ['**', ['a', 'a/b/c'], []],
  ['*', ['a', 'a/b/c', '.env'], []],
  ['/', ['a', 'a/b/c'], []],
  // "?" is exactly one character.
  ['?.md', ['a.md', 'x/b.md'], ['ab.md', '.md']],
  ['/src/v?/', ['src/v1/a.ts'], ['src/v10/a.ts', 'src/v/a.ts']],
  // Case-sensitive.
  ['/Src/', ['Src/a.ts'], ['src/a.ts', 'SRC/a.ts']],
  // No character classes or escapes: brackets are literal (framework routes such as pages/[id].tsx).
  ['/pages/[id].tsx', ['pages/[id].tsx'], ['pages/i.tsx', 'pages/1.tsx']],
  // "**" inside a name is an ordinary "*".
  ['foo**bar', ['foobar', 'x/fooXYZbar'], ['foo/bar']],
  // Regex characters are literal.
  ['/a+b(c)/', ['a+b(c)/x'], ['aab(c)/x', 'abc/x']],
];

describe('map patterns (CODEOWNERS/gitignore semantics)', () => {
  for (const [pattern, yes, no] of table) {
    it(`"${pattern}" matches ${yes.join(', ') || 'nothing listed'}${no.length ? ` but not ${no.join(', ')}` : ''}`, () => {
      for (const file of yes) assert.equal(matches(pattern, file), true, `${pattern} should match ${file}`);
      for (const file of no) assert.equal(matches(pattern, file), false, `${pattern} should not match ${file}`);
    });
  }

  it('anchors a nested map file\'s patterns to its own folder', () => {
    assert.equal(matches('/src/', 'packages/web/src/a.ts', 'packages/web'), true);
    assert.equal(matches('/src/', 'src/a.ts', 'packages/web'), false);
    assert.equal(matches('*.ts', 'packages/web/x/y.ts', 'packages/web'), true);
    assert.equal(matches('*.ts', 'packages/api/y.ts', 'packages/web'), false);
    assert.equal(matches('docs/*', 'packages/web/docs/a.md', 'packages/web'), true);
    assert.equal(matches('docs/*', 'packages/web/x/docs/a.md', 'packages/web'), false);
  });

  it('answers for a folder (a path ending in "/") when the pattern covers everything below it', () => {
    assert.equal(matches('/src/checkout/', 'src/checkout/'), true);
    assert.equal(matches('/src/checkout', 'src/checkout/legacy/'), true);
    assert.equal(matches('/src/', 'src/checkout/'), true);
    assert.equal(matches('/src/checkout/', 'src/'), false);
    assert.equal(matches('docs/*', 'docs/a/'), false);
    assert.equal(matches('*.ts', 'src/'), false);
  });

  it('normalizes paths: backslashes, "./", "//" and ".." inside the root', () => {
    assert.equal(matches('/src/a.ts', 'src\\a.ts'), true);
    assert.equal(matches('/src/a.ts', './src//a.ts'), true);
    assert.equal(matches('/src/a.ts', 'src/x/../a.ts'), true);
    assert.equal(splitPath('../outside.ts').outside, true);
  });

  describe('syntax', () => {
    const invalid: Array<[string, RegExp]> = [
      ['', /must not be empty/],
      ['   ', /must not be empty/],
      ['!/src/legacy/', /"!" negation is not supported.*"exclude"/],
      [' /src/', /spaces at its start or end/],
      ['/src/ ', /spaces at its start or end/],
      ['src\\checkout', /separate folders with "\/"/],
      ['a//b', /empty folder name/],
      ['./src/', /uses "\."; .*start with "\/"/],
      ['/src/../lib/', /uses "\.\."/],
      ['//', /not a path/],
      ['a\tb', /control character/],
    ];
    for (const [pattern, message] of invalid) {
      it(`rejects ${JSON.stringify(pattern)}`, () => {
        assert.match(patternSyntaxProblem(pattern) ?? '(accepted)', message);
      });
    }
    for (const pattern of ['/', '**', '*', '/src/checkout/', '*.payment.ts', 'docs/*', '/pages/[id].tsx', '#notes.md']) {
      it(`accepts ${JSON.stringify(pattern)}`, () => assert.equal(patternSyntaxProblem(pattern), undefined));
    }
  });
});
