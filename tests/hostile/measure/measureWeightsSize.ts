// Before/after figure for issue 12 item 8: classify's peak RSS with a 1 GB (sparse) weights file.
import { closeSync, ftruncateSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSIFY_CLI, MB, runTsx } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'sparse-'));
const path = join(dir, 'huge.safetensors');
writeFileSync(path, new Uint8Array(16));
const fd = openSync(path, 'r+');
ftruncateSync(fd, 1 << 30);
closeSync(fd);
writeFileSync(join(dir, 'x.png'), 'x');
const r = await runTsx(CLASSIFY_CLI, ['--weights', path, join(dir, 'x.png')], 120_000);
console.log(JSON.stringify({ tree: process.cwd(), code: r.code, seconds: +(r.ms / 1000).toFixed(1), peakRssMB: r.peakRss && Math.round(r.peakRss / MB), stderr: r.stderr.trim().slice(0, 200) }));
