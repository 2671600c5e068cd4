/**
 * The OpenAPI description of the REST part of the API (the upload route; everything else is GraphQL, documented by
 * its schema in GraphiQL). Written by hand rather than generated from the route's schema: the body is a multipart
 * stream that fastify does not validate, and the answers come from DomainErrors, not from response schemas.
 * Served at /api/openapi.json, with Swagger UI at /api/docs (offline: its files come from our node_modules).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { OpenAPIV3 } from 'openapi-types';
import type { ServerPlugin } from '../server/create-server.ts';

export const OPENAPI_JSON = '/api/openapi.json';
export const SWAGGER_UI = '/api/docs';

const error = (description: string, code: string): OpenAPIV3.ResponseObject => ({
  description: `${description} (extensions.code ${code})`,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export function uploadOpenApiDocument(options: { maxUploadBytes: number }): OpenAPIV3.Document {
  const megabytes = Math.round((options.maxUploadBytes / 1024 / 1024) * 10) / 10;
  return {
    openapi: '3.0.3',
    info: {
      title: 'Knowledge Assistant — REST',
      version: '1',
      description:
        'File uploads. Everything else (sign in, knowledge bases, documents, search, wallets, answers) is GraphQL at ' +
        '/graphql, with GraphiQL at /graphiql. Get an access token with the `register` or `login` mutation and send ' +
        'it as `Authorization: Bearer <token>`.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        UploadResult: {
          type: 'object',
          required: ['id', 'outcome', 'duplicate', 'visible'],
          properties: {
            id: { type: 'string', description: 'The document id (follow it with the `document` query or `documentStatus`).' },
            outcome: { type: 'string', enum: ['created', 'replaced', 'existing'] },
            duplicate: { type: 'boolean', description: 'The same bytes are already a document of this knowledge base.' },
            visible: {
              type: 'boolean',
              description:
                'false: the upload is saved but the documents list did not show it within READ_YOUR_WRITES_TIMEOUT_MS ' +
                '(the read models lag); it appears there later. Do not upload again: the same bytes are the same document.',
            },
          },
        },
        Error: {
          type: 'object',
          required: ['data', 'errors'],
          properties: {
            data: { nullable: true, example: null },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['message', 'extensions'],
                properties: {
                  message: { type: 'string' },
                  extensions: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/knowledge-bases/{id}/documents': {
        post: {
          operationId: 'uploadDocument',
          summary: 'Upload a document to a knowledge base',
          description:
            `PDF, DOCX, Markdown, HTML or plain text (UTF-8, UTF-16 with BOM, GB18030), recognised from the bytes; at ` +
            `most ${megabytes} MB. The owner of the knowledge base or an admin only. The document is then parsed, ` +
            'chunked and embedded in the background: its status goes uploaded -> parsing -> chunking -> embedding -> ' +
            'indexed (or failed, with a reason).\n\n' +
            'Refusals are JSON you can read: a client that sends `Expect: 100-continue` is answered before it sends ' +
            'the body (401, 413 by Content-Length, 404, 403, 429); otherwise the server reads and discards the body ' +
            `(up to about twice ${megabytes} MB) before it answers, and closes the connection past that.\n\n` +
            'Per-user quotas count the knowledge base owner\'s documents, whoever uploads: documents in flight ' +
            '(uploaded, not yet indexed or failed) answer **429**, retry later; bytes stored (the sizes of documents ' +
            'not deleted) answer **403**, as retrying cannot help until documents are deleted. Both carry ' +
            '`extensions.code` QUOTA_EXCEEDED with `quota`, `limit`, `usage` and `retryable`.',
          parameters: [
            { name: 'id', in: 'path', required: true, description: 'Knowledge base id', schema: { type: 'string' } },
            {
              name: 'replace',
              in: 'query',
              required: false,
              description: 'Process the same bytes again as a new revision instead of returning the existing document.',
              schema: { type: 'boolean', default: false },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: { file: { type: 'string', format: 'binary', description: 'The file, in a field named file' } },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'Created (or replaced with ?replace=true)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/UploadResult' } } },
            },
            '200': {
              description: 'The same bytes are already this document: nothing created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/UploadResult' } } },
            },
            '400': error('Not multipart/form-data, or no field named file', 'BAD_USER_INPUT'),
            '401': error('No, a forged or an expired bearer token', 'UNAUTHENTICATED'),
            '403': {
              description:
                'Not the owner of the knowledge base, nor an admin (extensions.code FORBIDDEN); or the owner\'s ' +
                'documents would take more bytes than their quota allows (QUOTA_EXCEEDED, quota bytesStored: delete ' +
                'documents first)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '404': error('No such knowledge base', 'NOT_FOUND'),
            '413': error(`Larger than ${megabytes} MB (by Content-Length before the body, or while it streams)`, 'PAYLOAD_TOO_LARGE'),
            '415': error('Not a PDF, DOCX, Markdown, HTML or text file', 'UNSUPPORTED_MEDIA_TYPE'),
            '429': error(
              'The owner has as many documents in flight as their quota allows (quota documentsInFlight): retry once ' +
                'some are indexed',
              'QUOTA_EXCEEDED',
            ),
          },
        },
      },
    },
  };
}

/** Serves the document and Swagger UI. */
export function openApiPlugin(options: { maxUploadBytes: number }): ServerPlugin {
  const document = uploadOpenApiDocument(options);
  return async (app) => {
    await app.register(swagger, { mode: 'static', specification: { document } });
    await app.register(swaggerUi, { routePrefix: SWAGGER_UI });
    app.get(OPENAPI_JSON, async () => app.swagger());
  };
}
