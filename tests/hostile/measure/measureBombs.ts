// Before/after figure for issue 12 item 1: classify on the bombs (each followed by a good file), exit, time and peak RSS.
// usage: tsx tests/hostile/measure/measureBombs.ts (TIMEOUT=ms to cap each run)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../../preprocess/encode';
import { mnistTestDigit, renderMnistOnPaper } from '../../preprocess/images';
import { modelToSafetensors, trainQuickModel } from '../../preprocess/quickModel';
import { jpegBomb, pngBomb } from '../bombs';
import { CLASSIFY_CLI, MB, runTsx } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'bombs-'));
const weights = join(dir, 'model.safetensors');
writeFileSync(weights, modelToSafetensors(trainQuickModel(100, 32)));
const seven = join(dir, 'seven.png');
writeFileSync(seven, encodePng(renderMnistOnPaper(mnistTestDigit(0).pixels, 4, 140, 130, 10, 10)));
for (const [name, bytes] of [
  ['bomb.jpg', jpegBomb()],
  ['bomb.png', pngBomb()],
] as const) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const r = await runTsx(CLASSIFY_CLI, ['--weights', weights, path, seven], Number(process.env.TIMEOUT ?? 240_000));
  console.log(
    JSON.stringify({
      tree: process.cwd(),
      name,
      bytes: bytes.length,
      code: r.code,
      signal: r.signal,
      seconds: +(r.ms / 1000).toFixed(1),
      peakRssMB: r.peakRss && Math.round(r.peakRss / MB),
      sevenClassified: r.stdout.includes('seven.png: 7'),
      stderr: r.stderr.slice(0, 300),
    }),
  );
}
