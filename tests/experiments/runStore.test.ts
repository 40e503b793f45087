// The runs folder (main/runs/runStore.ts): runs kept and listed, renamed and deleted; a damaged
// run file reported and skipped while the others load; runs written by another process (the
// CLI) picked up; disk use within the bound after 100 runs; and an index that no interrupted
// write can corrupt.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeRunRecord, parseRunIndex } from '../../src/main/runs/runFile';
import { INDEX_FILE, RunStore } from '../../src/main/runs/runStore';
import { Rng } from '../../src/engine';
import { makeRun, smallWeights } from './helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-runs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes of every file in the folder, temporaries included: what the bound is about. */
function diskUse(folder: string): number {
  return readdirSync(folder).reduce((total, name) => total + statSync(join(folder, name)).size, 0);
}

describe('RunStore', () => {
  it('keeps runs with their weights, lists them newest first, and gives their records back', async () => {
    const store = new RunStore(dir);
    const a = makeRun({ started: '2026-01-01T00:00:00.000Z' });
    const b = makeRun({ started: '2026-01-02T00:00:00.000Z', config: { ...a.config, optimizer: { type: 'sgd', hyper: { lr: 0.05, momentum: 0.9, weightDecay: 0 } } } });
    const savedA = await store.save(a, smallWeights());
    const savedB = await store.save(b, null);
    expect(savedA.name).toBe('Run 1');
    expect(savedB.name).toBe('Run 2');
    const list = await store.list();
    expect(list.runs.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(list.runs.map((r) => r.hasWeights)).toEqual([false, true]);
    expect(list.problems).toEqual([]);
    expect(list.folder).toBe(dir);
    expect(list.bytes).toBe(diskUse(dir));
    const [record] = await store.records([a.id]);
    expect(record.history).toEqual(a.history);
    expect(record.evaluations).toEqual(a.evaluations);
    expect(record.config).toEqual(a.config);
    // A new store on the same folder (the app restarted) sees the same.
    expect((await new RunStore(dir).list()).runs).toEqual(list.runs);
  });

  it('a name given in the list survives the run being saved again; renames and deletes', async () => {
    const store = new RunStore(dir);
    const run = makeRun();
    await store.save(run, smallWeights());
    await store.rename(run.id, 'lr 0.1, too fast');
    const again = await store.save({ ...run, step: 900, name: 'Run 9' }, smallWeights());
    expect(again.name).toBe('lr 0.1, too fast');
    expect(again.step).toBe(900);
    expect((await store.records([run.id]))[0].name).toBe('lr 0.1, too fast');
    const after = await store.remove(run.id);
    expect(after.runs).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([INDEX_FILE]);
    await expect(store.rename(run.id, 'x')).rejects.toThrow(/no such run/);
  });

  it('a damaged run file is reported and skipped, the other runs still load, and it can be deleted', async () => {
    const store = new RunStore(dir);
    const good = makeRun();
    const bad = makeRun();
    await store.save(good, smallWeights());
    await store.save(bad, smallWeights());
    writeFileSync(join(dir, `${bad.id}.json`), '{"format": "digitrain-run", "formatVersion": 1, "id": "trunc');
    for (const reader of [store, new RunStore(dir)]) {
      const list = await reader.list();
      expect(list.runs.map((r) => r.id)).toEqual([good.id]);
      expect(list.problems).toEqual([
        { id: bad.id, message: expect.stringMatching(new RegExp(`^The run file ${bad.id}\\.json could not be read \\(the file is not valid JSON\\); it was skipped and left on disk as it is\\.$`)) },
      ]);
      expect((await reader.records([good.id]))[0].id).toBe(good.id);
      await expect(reader.records([bad.id])).rejects.toThrow(/could not be read/);
    }
    // Left as it was: nothing is lost silently.
    expect(readFileSync(join(dir, `${bad.id}.json`), 'utf8')).toContain('trunc');
    const after = await store.remove(bad.id);
    expect(after.problems).toEqual([]);
    expect(readdirSync(dir)).not.toContain(`${bad.id}.json`);
  });

  it.each([
    ['settings out of range', (text: string) => text.replace('"batchSize":32', '"batchSize":-4'), /its settings: batchSize must be/],
    ['a history with NaN', (text: string) => text.replace(/"loss":\[[^,]+/, '"loss":[NaN'), /not valid JSON/],
    ["another run's id", (text: string) => text.replace(/"id":"[a-z0-9]+"/, '"id":"someoneelse1"'), /it names run "someoneelse1"/],
    ['a newer format', (text: string) => text.replace(/"formatVersion":\d+/, '"formatVersion":9'), /written by a newer Digitrain/],
    ['a deep nesting', (text: string) => text.replace('"origin":null', `"origin":${'['.repeat(100)}${']'.repeat(100)}`), /nests arrays and objects 10\d levels deep/],
  ])('a run file with %s is reported with the reason', async (_what, damage, reason) => {
    const store = new RunStore(dir);
    const run = makeRun();
    await store.save(run, null);
    const path = join(dir, `${run.id}.json`);
    writeFileSync(path, damage(readFileSync(path, 'utf8')));
    const list = await store.list();
    expect(list.runs).toEqual([]);
    expect(list.problems[0].message).toMatch(reason);
  });

  it('picks up a run another process wrote (the CLI), and rebuilds a damaged index from the run files', async () => {
    const store = new RunStore(dir);
    const first = makeRun();
    await store.save(first, smallWeights());
    const fromCli = makeRun({ source: 'cli' });
    writeFileSync(join(dir, `${fromCli.id}.json`), encodeRunRecord({ ...fromCli, name: 'cli run', updated: fromCli.started }));
    expect((await store.list()).runs.map((r) => r.name).sort()).toEqual(['Run 1', 'cli run']);
    writeFileSync(join(dir, INDEX_FILE), '{"format":"digitrain-runs","formatV');
    const rebuilt = await new RunStore(dir).list();
    expect(rebuilt.runs.map((r) => r.name).sort()).toEqual(['Run 1', 'cli run']);
    expect(rebuilt.problems).toEqual([{ id: null, message: expect.stringMatching(/^The runs index could not be read \(the runs index is not valid JSON\); it was rebuilt from the run files\.$/) }]);
    expect(parseRunIndex(readFileSync(join(dir, INDEX_FILE), 'utf8')).entries).toHaveLength(2);
  });

  it('stays within its bound after 100 short runs: the oldest go first, the newest always stays', async () => {
    const weights = smallWeights();
    const oneRun = weights.length + encodeRunRecord({ ...makeRun(), name: 'Run 100', updated: new Date().toISOString() }).length;
    const maxBytes = 8 * oneRun;
    const store = new RunStore(dir, { maxBytes });
    let last = '';
    for (let i = 0; i < 100; i++) {
      const run = makeRun();
      await store.save(run, weights);
      last = run.id;
      expect(diskUse(dir)).toBeLessThanOrEqual(maxBytes);
    }
    const list = await store.list();
    expect(list.runs.length).toBeGreaterThanOrEqual(5);
    expect(list.runs.length).toBeLessThanOrEqual(8);
    expect(list.runs[0].id).toBe(last);
    expect(list.bytes).toBe(diskUse(dir));
    expect(list.problems.some((p) => /the oldest runs were removed/.test(p.message))).toBe(true);
    // Removed whole: no record without its weights, no weights without a record.
    const names = readdirSync(dir);
    for (const run of list.runs) expect(names).toEqual(expect.arrayContaining([`${run.id}.json`, `${run.id}.safetensors`]));
    expect(names).toHaveLength(2 * list.runs.length + 1);
  });

  it('a count bound too: at most maxRuns runs, whatever their size', async () => {
    const store = new RunStore(dir, { maxRuns: 3 });
    for (let i = 0; i < 6; i++) await store.save(makeRun(), null);
    expect((await store.list()).runs).toHaveLength(3);
  });
});

describe('an interrupted write never corrupts the index', () => {
  it('a process killed at random moments while saving leaves a readable index and every run file whole', async () => {
    const child = join(__dirname, 'fixtures', 'saveRunsForever.ts');
    const rng = new Rng(17);
    let savedInAll = 0;
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(600_000)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      // Two saves done whatever the machine's speed (a count of saves in a wall-clock window was not:
      // under load a round could end after one), then a kill somewhere in the middle of a later one.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no second save: ${out}`)), 120_000);
        proc.stdout.on('data', () => {
          if (!out.includes('saved 2\n')) return;
          clearTimeout(timer);
          resolve();
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 20 + rng.int(200)));
      proc.kill('SIGKILL');
      await new Promise((resolve) => proc.once('exit', resolve));
      savedInAll += (out.match(/saved/g) ?? []).length;

      const index = parseRunIndex(readFileSync(join(dir, INDEX_FILE), 'utf8'));
      const list = await new RunStore(dir).list();
      expect(list.problems.filter((p) => p.id !== null)).toEqual([]);
      expect(list.runs.length).toBeGreaterThanOrEqual(index.entries.length - 1);
      for (const run of await new RunStore(dir).records(list.runs.map((r) => r.id).slice(0, 8))) expect(run.history.step).toHaveLength(200);
    }
    // Every round saw its two saves before the kill (the runs checked above are real saves, not none).
    expect(savedInAll).toBeGreaterThanOrEqual(2 * rounds);
  }, 900_000);
});
