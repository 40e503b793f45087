// How the browser client moves weights files: a download (blob + <a download>) for bytes
// the host produced, and a file picker for uploads. Electron does neither: its main
// process shows native dialogs.
import { weightsFileTooLarge } from '../../shared/weightsFiles';
import { pickFile } from '../lib/textFile';
import type { WeightsFileTransfer } from './webClient';

export const browserFiles: WeightsFileTransfer = {
  download({ name, bytes }) {
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has started by now; the delay only spares a slow browser.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },

  /** Must be called from a user gesture (a click), as browsers require for file pickers. */
  async pick(accept = '.safetensors') {
    const file = await pickFile(accept);
    if (!file) return null;
    const tooLarge = weightsFileTooLarge(file.name, file.size);
    if (tooLarge) throw new Error(tooLarge);
    return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  },
};
