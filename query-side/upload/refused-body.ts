/**
 * The rest of a refused upload's body is read and thrown away before the answer goes out. Clients such as Node's
 * fetch (undici) send the whole body before they read the response; a server that answers and closes while the body
 * is still coming makes the kernel reset the connection, and such a client reports "fetch failed" (EPIPE or
 * ECONNRESET) instead of the 401 it was sent. curl happens to read the answer in time; undici mostly does not.
 *
 * Reading costs bandwidth, so it is bounded by the caller (the upload route reads up to twice the largest body an
 * upload may have). Past the bound, or when Content-Length already says the body is larger, the answer is sent at
 * once and the connection closed: such a client may see a network error, which is the lesser cost.
 */
import type { IncomingMessage } from 'node:http';

const bodyStart = new WeakMap<IncomingMessage, number>();

/** Call before anything reads the body (onRequest): bytes the connection receives from here on are this body's. */
export function noteBodyStart(request: IncomingMessage): void {
  bodyStart.set(request, request.socket?.bytesRead ?? 0);
}

/**
 * Reads and discards what is left of the body while, in all, at most `maxBytes` of it come over the connection
 * (counted from noteBodyStart, so what the multipart parser already took counts too). True when the body ended (the
 * connection can serve the next request); false when it is larger, broken or gone (answer and close).
 */
export function discardBody(request: IncomingMessage, maxBytes: number): Promise<boolean> {
  if (request.complete) return Promise.resolve(true);
  const declared = Number(request.headers['content-length']);
  const socket = request.socket;
  if (request.destroyed || !socket || (Number.isFinite(declared) && declared > maxBytes)) return Promise.resolve(false);
  const start = bodyStart.get(request) ?? socket.bytesRead;
  return new Promise((resolve) => {
    const finish = (ended: boolean) => {
      request.off('data', onData).off('end', onEnd).off('error', onBroken).off('close', onBroken);
      if (!ended) request.pause();
      resolve(ended);
    };
    const onData = () => {
      if (socket.bytesRead - start > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onBroken = () => finish(request.complete);
    request.on('data', onData).on('end', onEnd).on('error', onBroken).on('close', onBroken);
    request.unpipe(); // the multipart parser may still be attached; it has no use for the rest
    request.resume();
  });
}
