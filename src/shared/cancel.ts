// Calling off a request (issue 24): the learner can cancel what waits behind training or runs
// long (the gallery, the unit inspector, the shift sweep). The client stops waiting at once (the
// request's promise rejects with CANCELLED) and tells the Node side, which does not run the
// request if it has not started, and stops a running one at its next checkpoint where it has
// them (the inspector's passes over the test set); an answer that still comes is dropped.
import { ownValue } from './ownKeys';

/** The message of a cancelled request's rejection (after "<method>: "). */
export const CANCELLED = 'cancelled';

/** Whether `error` is a cancelled request's rejection (not a failure to show). */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && (error.message === CANCELLED || error.message.endsWith(`: ${CANCELLED}`));
}

/** What a client offers to cancel its requests; optional, since a client may not be able to. */
export interface CancelApi {
  /**
   * The ticket of the request this client sent last: read it right after sending a request (the
   * call sends it synchronously) to be able to cancel that request later.
   */
  lastTicket?(): number;
  /** Calls off the request with this ticket, if it is not answered yet: its promise rejects with CANCELLED. */
  cancel?(ticket: number): void;
}

/**
 * Right after a request was sent on `api` (the call sends it synchronously): what calls that
 * request off — the client rejects its promise with CANCELLED at once and tells the host — or
 * null when the client cannot cancel.
 */
export function callOffLastRequest(api: CancelApi): (() => void) | null {
  const ticket = api.lastTicket?.();
  if (ticket === undefined || !api.cancel) return null;
  return () => api.cancel!(ticket);
}

/** Client → host: call off request `cancel` (the web host's WebSocket; Electron has a channel of its own). */
export interface RpcCancel {
  v: number;
  cancel: number;
}

export function isRpcCancel(message: unknown): message is RpcCancel {
  if (message === null || typeof message !== 'object') return false;
  const id = ownValue(message, 'cancel');
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
}
