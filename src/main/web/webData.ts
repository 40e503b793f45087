// Runs and the learner's digits in the browser host: kept in its data folder (files/dataDir.ts).
// A run's export is downloaded by the browser (the record, with its weights as the companion);
// the digits' export is a folder the host makes under exports/ in the data folder, since the
// browser cannot be handed a folder (the answer names where it is).
import { promises as fs } from 'node:fs';
import type { WebSaveReply } from '../../shared/weightsFiles';
import { createMyDigitsService } from '../digits/digitHandlers';
import { DigitStore } from '../digits/digitStore';
import { digitsDirIn, exportsDirIn, runsDirIn } from '../files/dataDir';
import { createRunService } from '../runs/runHandlers';
import { RunStore } from '../runs/runStore';
import type { DataHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';

export interface DataServices {
  handlers: DataHandlers;
  dispose(): void;
  /** Waits for the runs received so far to be written, then stops. */
  close(): Promise<void>;
}

export function createWebDataServices(host: TrainingHost, dataDir: string): DataServices {
  const runs = createRunService(host, new RunStore(runsDirIn(dataDir)), async (file): Promise<WebSaveReply> => ({ saved: true, name: file.name, file }));
  const digits = createMyDigitsService(host, new DigitStore(digitsDirIn(dataDir)), async () => {
    const parent = exportsDirIn(dataDir);
    await fs.mkdir(parent, { recursive: true });
    return parent;
  });
  const dispose = () => {
    runs.dispose();
    digits.dispose();
  };
  return {
    handlers: { ...runs.handlers, ...digits.handlers },
    dispose,
    async close() {
      await runs.idle();
      dispose();
    },
  };
}
