// The import rules of docs/DESIGN.md, checked on the source: the engine stands alone, the
// shared contract imports no tier, and the renderer reaches the Node side only through it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every relative import of a file, resolved to a path under src/ (e.g. "shared/model/spec"). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return specifiers.map((s) => relative(SRC, resolve(file, '..', s)));
}

function violations(tier: string, forbidden: string[]): string[] {
  return sources(join(SRC, tier)).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
      .map((target) => `${relative(SRC, file)} imports ${target}`),
  );
}

describe('the house rules', () => {
  it('the engine imports nothing from the app', () => {
    expect(violations('engine', ['shared', 'main', 'preload', 'renderer'])).toEqual([]);
  });

  it('the shared contract imports no tier', () => {
    expect(violations('shared', ['engine', 'main', 'preload', 'renderer'])).toEqual([]);
  });

  it('the renderer reaches the Node side only through the shared contract', () => {
    expect(violations('renderer', ['engine', 'main', 'preload'])).toEqual([]);
  });

  it('the check sees imports at all (it would pass vacuously otherwise)', () => {
    expect(importsOf(join(SRC, 'main/model/specModel.ts'))).toContain('shared/model/spec');
  });
});
