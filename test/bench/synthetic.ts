// The synthetic monorepo the benchmarks share: seeded, so every run sees the same 100,000 paths and 2,000 patterns.

/** mulberry32: small, deterministic, and exact in 32-bit integer arithmetic. */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 40 packages × 25 modules × up to 3 levels of folders; file names share extensions and suffixes like real code.
const extensions = ['ts', 'tsx', 'js', 'json', 'md', 'css', 'test.ts', 'spec.ts', 'payment.ts', 'stories.tsx'];
const folders = ['components', 'hooks', 'api', 'handlers', 'utils', 'models', 'views', 'legacy', 'i18n', '__tests__'];

export function makePaths(random: () => number, count: number): string[] {
  const int = (n: number) => Math.floor(random() * n);
  const paths = new Set<string>();
  while (paths.size < count) {
    const depth = int(3);
    const parts = [`packages`, `pkg${int(40)}`, 'src', `mod${int(25)}`];
    for (let i = 0; i < depth; i++) parts.push(folders[int(folders.length)]);
    parts.push(`file${int(400)}.${extensions[int(extensions.length)]}`);
    paths.add(parts.join('/'));
  }
  return [...paths];
}

/**
 * 2,000 patterns across 250 features: mostly anchored folders (as maps are written), then file-name suffixes,
 * literal names, anchored globs, and a few unindexable globs. `features` lists each feature's patterns (paths, then
 * excludes) for writing the same rules in other formats.
 */
export function makeMap(random: () => number): { text: string; patterns: number; features: { id: string; paths: string[]; exclude: string[] }[]; unmapped: string[] } {
  const int = (n: number) => Math.floor(random() * n);
  const lines = ['version: 1', 'features:'];
  const features: { id: string; paths: string[]; exclude: string[] }[] = [];
  let patterns = 0;
  for (let f = 0; f < 250; f++) {
    const paths: string[] = [];
    const exclude: string[] = [];
    for (let k = 0; k < 7; k++) {
      const r = random();
      if (r < 0.7) paths.push(`/packages/pkg${int(40)}/src/mod${int(25)}/${random() < 0.5 ? `${folders[int(folders.length)]}/` : ''}`);
      else if (r < 0.8) paths.push(`*.f${f}k${k}.ts`);
      else if (r < 0.88) paths.push(`file${int(400)}.${extensions[int(extensions.length)]}`);
      else if (r < 0.97) paths.push(`/packages/pkg${int(40)}/**/${folders[int(folders.length)]}/*.ts`);
      else paths.push(`*mod${int(25)}*f${f}*`);
    }
    if (f % 2 === 0) exclude.push(`/packages/pkg${int(40)}/src/mod${int(25)}/legacy/`);
    patterns += paths.length + exclude.length;
    features.push({ id: `feature-${f}`, paths, exclude });
    lines.push(`  - id: feature-${f}`, `    paths: [${paths.map((p) => JSON.stringify(p)).join(', ')}]`);
    if (exclude.length) lines.push(`    exclude: [${exclude.map((p) => JSON.stringify(p)).join(', ')}]`);
  }
  const unmapped = ['"*.test.ts"', '"*.spec.ts"', '__tests__/', '"*.md"', '/packages/pkg0/src/mod0/i18n/'];
  // Pad to exactly 2,000 patterns with more unmapped folders.
  for (let i = 0; patterns + unmapped.length < 2000; i++) unmapped.push(`/packages/pkg${i % 40}/src/mod${i % 25}/i18n/`);
  lines.push(`unmapped: [${unmapped.join(', ')}]`);
  return { text: `${lines.join('\n')}\n`, patterns: patterns + unmapped.length, features, unmapped: unmapped.map((u) => u.replace(/^"|"$/g, '')) };
}
