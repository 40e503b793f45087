// The learner's digits on the Node side: the set kept on disk (a damaged file set aside and
// reported, never deleted), checked where it enters, and exported as PNGs plus labels.csv
// that decode back to the same pixels.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../../src/main/digits/digitHandlers';
import { DIGITS_FILE, DigitStore } from '../../src/main/digits/digitStore';
import { MNIST_PIXELS } from '../../src/shared/mnist';
import { digitBytes, labelsCsv, MAX_MY_DIGITS, parseLabelsCsv, validateNewDigits } from '../../src/shared/myDigits';
import { validateRequest } from '../../src/shared/validate';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-digits-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function digits(labels: number[]) {
  const pixels = new Uint8Array(labels.length * MNIST_PIXELS);
  labels.forEach((label, i) => pixels.fill(20 * label + i, i * MNIST_PIXELS, i * MNIST_PIXELS + 300));
  return { labels, pixels };
}

describe('DigitStore', () => {
  it('adds, lists (also after a restart) and deletes digits, pixels exact', async () => {
    const store = new DigitStore(dir);
    expect((await store.list()).digits).toEqual([]);
    const added = await store.add(digits([3, 7, 7]));
    expect(added.digits.map((d) => d.label)).toEqual([3, 7, 7]);
    expect(added.folder).toBe(dir);
    const again = await new DigitStore(dir).list();
    expect(again.digits.map((d) => d.id)).toEqual(added.digits.map((d) => d.id));
    expect(again.digits[1].pixels).toEqual(digits([3, 7, 7]).pixels.subarray(MNIST_PIXELS, 2 * MNIST_PIXELS));
    const after = await store.remove(added.digits[0].id);
    expect(after.digits.map((d) => d.label)).toEqual([7, 7]);
    await expect(store.remove(added.digits[0].id)).rejects.toThrow(/no such digit/);
  });

  it(`holds at most ${MAX_MY_DIGITS} digits`, async () => {
    const store = new DigitStore(dir);
    await store.add(digits(Array.from({ length: MAX_MY_DIGITS - 1 }, (_, i) => i % 10)));
    await expect(store.add(digits([1, 2]))).rejects.toThrow(/at most 1000 digits \(it has 999; 2 more do not fit\)/);
    expect((await store.list()).digits).toHaveLength(MAX_MY_DIGITS - 1);
  });

  it('sets a damaged file aside, says so, and starts empty', async () => {
    writeFileSync(join(dir, DIGITS_FILE), '{"format":"digitrain-digits","formatVersion":1,"digits":[{"id":"abcdefg","label":12}]}');
    const set = await new DigitStore(dir).list();
    expect(set.digits).toEqual([]);
    expect(set.problem).toMatch(/^Your saved digits could not be read \(digit 1's label 12 is not a digit\); the file was kept as .*digits\.json\.unreadable-.* and the set starts empty\.$/);
    expect(readdirSync(dir).some((name) => name.startsWith('digits.json.unreadable-'))).toBe(true);
  });
});

describe('digits entering the Node side', () => {
  it.each([
    [{ labels: [], pixels: new Uint8Array(0) }, /at least one label/],
    [{ labels: [10], pixels: new Uint8Array(MNIST_PIXELS) }, /label 1 must be a digit from 0 to 9 \(got 10\)/],
    [{ labels: [1.5], pixels: new Uint8Array(MNIST_PIXELS) }, /label 1 must be a digit/],
    [{ labels: [1, 2], pixels: new Uint8Array(MNIST_PIXELS) }, /784 bytes of pixels per label \(1568; got 784 bytes\)/],
    [{ labels: [1], pixels: Array(784).fill(0) }, /got an array/],
    [{ labels: Array(1001).fill(1), pixels: new Uint8Array(1001 * MNIST_PIXELS) }, /at most 1000 digits at once/],
    ['7', /digits must be \{ labels, pixels \}/],
  ])('%# refused', (value, message) => {
    expect(() => validateNewDigits(value)).toThrow(message);
    expect(() => validateRequest('addMyDigits', [value])).toThrow(/^addMyDigits: /);
  });

  it('ids are checked before they name anything', () => {
    expect(() => validateRequest('deleteMyDigit', ['../../etc/passwd'])).toThrow(/not a digit id/);
    expect(() => validateRequest('deleteRun', ['../index'])).toThrow(/not a run id/);
    expect(() => validateRequest('renameRun', ['abcdef12', 'two\nlines'])).toThrow(/one line of text/);
    expect(() => validateRequest('renameRun', ['abcdef12', 'x'.repeat(81)])).toThrow(/at most 80 characters/);
    expect(() => validateRequest('getRuns', [Array(9).fill('abcdef12')])).toThrow(/at most 8 runs/);
    expect(() => validateRequest('step', [{}, 0])).toThrow(/step count must be a whole number from 1 to 100/);
    expect(validateRequest('renameRun', ['abcdef12', '  lr 0.1  ']).args).toEqual(['abcdef12', 'lr 0.1']);
  });

  it('pixels the model reads become the stored bytes, rounded', () => {
    const input = new Float32Array(MNIST_PIXELS);
    input[0] = 1;
    input[1] = 0.5;
    input[2] = 0.0019;
    expect(Array.from(digitBytes(input).subarray(0, 3))).toEqual([255, 128, 0]);
  });
});

describe('export and import format', () => {
  it('a folder of 28×28 greyscale PNGs and labels.csv that read back to the same digits', async () => {
    const store = new DigitStore(dir);
    const set = await store.add(digits([0, 4, 9]));
    const folder = join(dir, 'export');
    await writeDigitFolder(folder, set.digits);
    expect(readdirSync(folder).sort()).toEqual(['digit-0001.png', 'digit-0002.png', 'digit-0003.png', 'labels.csv']);
    const labels = parseLabelsCsv(readFileSync(join(folder, 'labels.csv'), 'utf8'));
    expect([...labels]).toEqual([
      ['digit-0001.png', 0],
      ['digit-0002.png', 4],
      ['digit-0003.png', 9],
    ]);
    set.digits.forEach((digit, i) => {
      const png = PNG.sync.read(readFileSync(join(folder, `digit-000${i + 1}.png`)));
      expect([png.width, png.height]).toEqual([28, 28]);
      const grey = Uint8Array.from({ length: MNIST_PIXELS }, (_, p) => png.data[p * 4]);
      expect(grey).toEqual(digit.pixels);
    });
    // Never over an existing export.
    await expect(writeDigitFolder(folder, set.digits)).rejects.toThrow(/cannot make the folder/);
  });

  it('labels.csv: a header, blank lines and CRLF are fine; a bad line is named', () => {
    expect([...parseLabelsCsv('file,label\r\na.png,3\r\n\r\nb.png, 5\r\n')]).toEqual([
      ['a.png', 3],
      ['b.png', 5],
    ]);
    expect(labelsCsv([{ file: 'a.png', label: 3 }])).toBe('file,label\na.png,3\n');
    expect(() => parseLabelsCsv('file,label\na.png,12\n')).toThrow(/labels.csv line 2 is not "file,label"/);
    expect(() => parseLabelsCsv('../x.png,1')).toThrow(/line 1/);
    expect(() => parseLabelsCsv('a.png,1\na.png,2')).toThrow(/names "a.png" twice/);
  });
});
