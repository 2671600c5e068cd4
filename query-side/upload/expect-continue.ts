/**
 * Expect: 100-continue on uploads. A client that sends it (curl does for bodies over 1 MB) waits for "100 Continue"
 * before it sends the body, so whatever the upload route refuses without the body (401, 413 by Content-Length, 404,
 * 403, a quota) is answered before a byte of it is on its way, and the answer is always readable. Node answers 100 by
 * itself unless the server listens for 'checkContinue': we listen, let every other request go on at once, and the
 * upload route sends 100 once its checks have passed. Node closes a connection whose 100 was never sent.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const waiting = new WeakSet<IncomingMessage>();

/** `defer` picks the requests whose 100 Continue waits for sendContinue; the others get it at once. */
export function deferContinue(server: Server, defer: (request: IncomingMessage) => boolean): void {
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (defer(request)) waiting.add(request);
    else response.writeContinue();
    server.emit('request', request, response);
  });
}

/** The client still waits for 100 Continue: it has sent none of the body, and sends none until told. */
export const awaitsContinue = (request: IncomingMessage): boolean => waiting.has(request);

export function sendContinue(request: IncomingMessage, response: ServerResponse): void {
  if (waiting.delete(request)) response.writeContinue();
}
