// The contract over Electron IPC: one handler per request, events forwarded to the window.
//
// Each handler checks that the call comes from our window's main frame showing our own
// page, then validates the arguments exactly as the web host does. Replies are
// `{ ok, result | error }` so the renderer sees our message, not Electron's wrapping.
// A request's envelope carries the renderer's ticket; a ticket sent on IPC_CANCEL_CHANNEL calls
// that request off (shared/cancel.ts): the trainer skips or stops it.
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { CONTRACT_VERSION, NODE_EVENT_NAMES } from '../../shared/contract';
import { IPC_CANCEL_CHANNEL, IPC_EVENT_CHANNEL, REQUEST_NAMES, ipcChannel, type IpcReply } from '../../shared/rpc';
import { isRpcCancel } from '../../shared/cancel';
import { ContractError, validateRequest, validateVersion } from '../../shared/validate';
import { handleRequest, type RequestHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';
import { APP_ORIGIN } from './protocol';
import { messageOf } from '../../shared/messageOf';
import { ownValue } from '../../shared/ownKeys';

export function wireIpc(window: BrowserWindow, host: TrainingHost, handlers: RequestHandlers): () => void {
  const isOurs = (event: IpcMainInvokeEvent | IpcMainEvent): boolean => {
    const frame = event.senderFrame;
    return !window.isDestroyed() && event.sender === window.webContents && frame !== null && frame === window.webContents.mainFrame && frame.url.startsWith(APP_ORIGIN + '/');
  };

  // The requests running now, by the renderer's ticket.
  const running = new Map<number, AbortController>();
  for (const method of REQUEST_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event, envelope: unknown): Promise<IpcReply> => {
      let ticket: number | null = null;
      try {
        if (!isOurs(event)) throw new ContractError('request refused: it does not come from the Digitrain window');
        const record = envelope !== null && typeof envelope === 'object' ? envelope : {};
        validateVersion(ownValue(record, 'v'));
        const request = validateRequest(method, ownValue(record, 'args') ?? []);
        const given = ownValue(record, 'ticket');
        const controller = new AbortController();
        if (typeof given === 'number' && Number.isSafeInteger(given) && !running.has(given)) running.set((ticket = given), controller);
        const result = await handleRequest(handlers, request, controller.signal);
        return { v: CONTRACT_VERSION, ok: true, result };
      } catch (error) {
        return { v: CONTRACT_VERSION, ok: false, error: messageOf(error) };
      } finally {
        if (ticket !== null) running.delete(ticket);
      }
    });
  }
  const onCancel = (event: IpcMainEvent, message: unknown) => {
    if (isOurs(event) && isRpcCancel(message)) running.get(message.cancel)?.abort();
  };
  ipcMain.on(IPC_CANCEL_CHANNEL, onCancel);

  const unsubscribe = NODE_EVENT_NAMES.map((name) =>
    host.on(name, (payload) => {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, { v: CONTRACT_VERSION, event: name, payload });
    }),
  );

  return () => {
    for (const method of REQUEST_NAMES) ipcMain.removeHandler(ipcChannel(method));
    ipcMain.removeListener(IPC_CANCEL_CHANNEL, onCancel);
    for (const off of unsubscribe) off();
  };
}
