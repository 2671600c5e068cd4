/**
 * POST /api/knowledge-bases/:id/documents — multipart field `file`, bearer token -> 201 {"id"} (200 with the
 * existing id when the same bytes are already a document of that knowledge base, unless ?replace=true).
 * Everything that can be refused without the body is decided before a byte of it is used (onRequest: 401, 413 on a
 * declared Content-Length over the limit, 404, 403, the quotas on documents in flight and bytes stored); the
 * multipart stream limit catches a body that lies about its size, and the bytes-stored quota is counted again on the
 * bytes themselves. A refusal is an answer the client can read: the route honours Expect: 100-continue (no body is
 * sent before the checks pass) and otherwise reads the rest of a refused body before answering (refused-body.ts).
 * The file streams into the blob store; it is never held whole in memory here. Described in OpenAPI (openapi.ts:
 * /api/openapi.json, Swagger UI at /api/docs).
 */
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { DocumentCommands } from '../../contracts/document-commands.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { Position } from '../../contracts/position.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { ServerPlugin } from '../server/create-server.ts';
import { handleHttpError } from '../server/http-errors.ts';
import { actorOf } from '../resolvers/documents.ts';
import { awaitsContinue, deferContinue, sendContinue } from './expect-continue.ts';
import { openApiPlugin } from './openapi.ts';
import { discardBody, noteBodyStart } from './refused-body.ts';
import { uploadMetadata } from './upload-metadata.ts';
import { withinStoredBytes, type StoredBytesRoom, type UploadQuota } from './upload-quota.ts';

export interface UploadRouteDeps {
  commands: DocumentCommands;
  maxUploadBytes: number;
  /** Read-your-writes: the response waits (bounded) until the read models show the new document. */
  waitForPosition?: (position: Position) => Promise<void>;
  /** Per-user quotas on documents in flight and bytes stored; none when left out. */
  quota?: UploadQuota;
}

/** Multipart framing around the file (boundaries, part headers) that a declared Content-Length may add. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Requests for the route below, as Node sees them before routing (for Expect: 100-continue). */
const UPLOAD_REQUEST = /^\/api\/knowledge-bases\/[^/?#]+\/documents(?:[?#]|$)/;

const tooLarge = (maxBytes: number) =>
  new DomainError('PAYLOAD_TOO_LARGE', `the file is larger than the limit of ${maxBytes} bytes`, { maxBytes });

/** The multipart file stream, with its size-limit error turned into PAYLOAD_TOO_LARGE. */
async function* guarded(stream: AsyncIterable<Uint8Array> & { truncated?: boolean }, maxBytes: number) {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw error;
  }
  if (stream.truncated) throw tooLarge(maxBytes);
}

export function documentUploadPlugin(deps: UploadRouteDeps): ServerPlugin {
  const { maxUploadBytes } = deps;
  const largestBody = maxUploadBytes + MULTIPART_OVERHEAD_BYTES;
  // How much of a refused body is read to keep the answer readable (refused-body.ts): any body an upload may have,
  // and a file up to about twice too large (the usual mistake), whose 413 is then read too. Past that we close: a
  // refusal should not cost more than two uploads of the largest file.
  const refusedBodyBytes = 2 * largestBody;
  return async (app, { authenticator }) => {
    await openApiPlugin({ maxUploadBytes })(app, { authenticator });
    deferContinue(app.server, (request) => request.method === 'POST' && UPLOAD_REQUEST.test(request.url ?? ''));
    await app.register(async (scope) => {
      await scope.register(multipart, {
        limits: { fileSize: maxUploadBytes, files: 1, fields: 10, parts: 20, fieldSize: 4096, headerPairs: 100 },
      });
      scope.setErrorHandler(async (error, request, reply) => {
        // A client still waiting for 100 Continue sends no body; any other is sending it now: take it in, then answer.
        const bodyRead = !awaitsContinue(request.raw) && (await discardBody(request.raw, refusedBodyBytes));
        if (!bodyRead) void reply.header('connection', 'close');
        return handleHttpError(error as FastifyError, request, reply);
      });
      const admitted = new WeakMap<FastifyRequest, { user: AuthUser; room: StoredBytesRoom | undefined }>();

      scope.post<{ Params: { id: string }; Querystring: { replace?: boolean } }>(
        '/api/knowledge-bases/:id/documents',
        {
          schema: {
            params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
            querystring: { type: 'object', properties: { replace: { type: 'boolean' } } },
          },
          onRequest: async (request, reply) => {
            noteBodyStart(request.raw);
            const user = await authenticator.authenticate(request.headers.authorization);
            if (!user) throw new DomainError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <access token>');
            const declared = Number(request.headers['content-length']);
            if (Number.isFinite(declared) && declared > largestBody) throw tooLarge(maxUploadBytes);
            const knowledgeBaseId = (request.params as { id: string }).id;
            await deps.commands.authorizeUpload(knowledgeBaseId, actorOf(user));
            const fileBytesAtLeast = Number.isFinite(declared) ? Math.max(0, declared - MULTIPART_OVERHEAD_BYTES) : 0;
            const room = await deps.quota?.admit(knowledgeBaseId, user, fileBytesAtLeast);
            admitted.set(request, { user, room });
            sendContinue(request.raw, reply.raw);
          },
        },
        async (request, reply) => {
          const { user, room } = admitted.get(request)!;
          if (!request.isMultipart()) {
            throw new DomainError('BAD_USER_INPUT', 'send the file as multipart/form-data in a field named "file"');
          }
          const file = await request.file();
          if (!file || file.fieldname !== 'file') {
            throw new DomainError('BAD_USER_INPUT', 'send the file as multipart/form-data in a field named "file"');
          }
          const content = guarded(file.file, maxUploadBytes);
          const result = await deps.commands.upload({
            knowledgeBaseId: request.params.id,
            fileName: file.filename,
            content: room ? withinStoredBytes(content, room) : content,
            replace: request.query.replace ?? false,
            actor: actorOf(user),
            metadata: uploadMetadata(request, user),
          });
          // Saved either way: a slow read model only means the client may not see it at once, and is told so.
          const visible =
            result.position === undefined || !deps.waitForPosition
              ? true
              : await deps.waitForPosition(result.position).then(
                  () => true,
                  () => false,
                );
          return reply
            .code(result.outcome === 'existing' ? 200 : 201)
            .send({ id: result.documentId, outcome: result.outcome, duplicate: result.outcome === 'existing', visible });
        },
      );
    });
  };
}
