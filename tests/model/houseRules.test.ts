// The import rules of docs/DESIGN.md, checked on the source: the engine stands alone, the
// shared contract imports no tier, and the renderer reaches the Node side only through it. One
// exception: the renderer may read an engine source file as text (Vite's `?raw`, the "How it
// works" code panel), which runs none of it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/** Every relative import in `text` of a file at `file`, resolved to a path under src/ (e.g. "shared/model/spec"), a query kept. */
function importsIn(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return specifiers.map((s) => relative(SRC, resolve(file, '..', s)));
}

function importsOf(file: string): string[] {
  return importsIn(file, readFileSync(file, 'utf8'));
}

/** An engine source file read as text (`src/engine/….ts?raw`, an existing file): no engine code runs. */
function isRawEngineSource(target: string): boolean {
  const match = /^(engine\/[\w/]+\.ts)\?raw$/.exec(target);
  return match !== null && existsSync(join(SRC, match[1]));
}

function forbiddenIn(file: string, imports: string[], forbidden: string[], allowRaw: boolean): string[] {
  return imports
    .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
    .filter((target) => !(allowRaw && isRawEngineSource(target)))
    .map((target) => `${relative(SRC, file)} imports ${target}`);
}

function violations(tier: string, forbidden: string[], allowRaw = false): string[] {
  return sources(join(SRC, tier)).flatMap((file) => forbiddenIn(file, importsOf(file), forbidden, allowRaw));
}

describe('the house rules', () => {
  it('the engine imports nothing from the app', () => {
    expect(violations('engine', ['shared', 'main', 'preload', 'renderer'])).toEqual([]);
  });

  it('the shared contract imports no tier', () => {
    expect(violations('shared', ['engine', 'main', 'preload', 'renderer'])).toEqual([]);
  });

  it('the renderer reaches the Node side only through the shared contract (engine sources only as ?raw text)', () => {
    expect(violations('renderer', ['engine', 'main', 'preload'], true)).toEqual([]);
  });

  it('allows exactly ?raw imports of engine source files in the renderer, and still refuses real ones', () => {
    const file = join(SRC, 'renderer/lib/howItWorks/example.ts');
    const check = (line: string): string[] => forbiddenIn(file, importsIn(file, line), ['engine', 'main', 'preload'], true);
    expect(check("import text from '../../../engine/ops/activation.ts?raw';")).toEqual([]);
    expect(check("import { relu } from '../../../engine/ops/activation';")).toHaveLength(1);
    expect(check("import { relu } from '../../../engine/ops/activation.ts';")).toHaveLength(1);
    expect(check("import text from '../../../engine/ops/nothingHere.ts?raw';")).toHaveLength(1);
    expect(check("import text from '../../../engine/ops/activation.ts?url';")).toHaveLength(1);
    expect(check("import text from '../../../main/training/trainer.ts?raw';")).toHaveLength(1);
    expect(check("const m = import('../../../engine/ops/activation');")).toHaveLength(1);
    // The real panel does read engine sources this way (so the allowance is used, and checked).
    expect(importsOf(join(SRC, 'renderer/lib/howItWorks/engineSources.ts'))).toContain('engine/ops/activation.ts?raw');
  });

  it('the check sees imports at all (it would pass vacuously otherwise)', () => {
    expect(importsOf(join(SRC, 'main/model/specModel.ts'))).toContain('shared/model/spec');
  });
});
