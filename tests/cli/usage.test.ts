// Every command's --help: its options in one aligned table, and how to pipe its JSON past npm's
// own header lines (`npm run -s`).
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../src/main/cli/args';
import { CLASSIFY_USAGE } from '../../src/main/cli/classifyUsage';
import { EVALUATE_USAGE } from '../../src/main/cli/evaluateCommand';
import { EXPORT_USAGE } from '../../src/main/cli/exportCommand';

const USAGES = { train: USAGE, classify: CLASSIFY_USAGE, evaluate: EVALUATE_USAGE, export: EXPORT_USAGE };

describe.each(Object.entries(USAGES))('npm run %s -- --help', (script, usage) => {
  it('lists its options with their texts in one column', () => {
    const options = usage.split('\n').filter((line) => /^ {2}-/.test(line));
    expect(options.length).toBeGreaterThanOrEqual(3);
    // The text starts after at least two spaces, at the same column on every line.
    const columns = options.map((line) => /^ {2}\S(?:.*?\S)?\s{2,}(?=\S)/.exec(line)?.[0].length);
    expect(columns.every((column) => column !== undefined)).toBe(true);
    expect(new Set(columns).size).toBe(1);
    for (const line of options) expect(line).not.toMatch(/\s$/);
    expect(options.at(-1)).toMatch(/--help.*show this help$/);
  });

  it('says how to pipe its JSON: npm run -s', () => {
    expect(usage).toContain(`npm run -s ${script} -- …`);
  });
});
