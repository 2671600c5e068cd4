/**
 * The OpenAI-compatible REST API under /v1, for OpenAI's clients and tools: GET /v1/models and
 * POST /v1/chat/completions, `Authorization: Bearer <API key>`. Its own scope, so every refusal, fastify's included
 * (malformed JSON, a body over BODY_LIMIT_BYTES), is in OpenAI's error shape. Each request checks the key and its
 * requests per minute first.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiKeyCaller, AuthenticateApiKey } from '../api-keys/api-key-auth.ts';
import type { ServerPlugin } from '../server/create-server.ts';
import { createChatCompletionHandler, type ChatCompletionDeps } from './chat-completions.ts';
import { requestRateLimit } from './key-limits.ts';
import { listModels } from './models.ts';
import { sendOpenAiError } from './openai-errors.ts';

export interface OpenAiCompatDeps extends ChatCompletionDeps {
  authenticate: AuthenticateApiKey;
}

export function openAiCompatPlugin(deps: OpenAiCompatDeps): ServerPlugin {
  const chatCompletion = createChatCompletionHandler(deps);
  return async (app) => {
    const rateLimit = requestRateLimit(app);
    const callers = new WeakMap<FastifyRequest, ApiKeyCaller>();
    await app.register(async (scope) => {
      scope.setErrorHandler((error, request, reply) => sendOpenAiError(error, request, reply));
      scope.setNotFoundHandler((request, reply) =>
        sendOpenAiError(Object.assign(new Error(`no route ${request.method} ${request.url.split('?')[0]}`), { statusCode: 404 }), request, reply),
      );
      // Before the body is read: an unknown key or one over its rate costs no parsing.
      scope.addHook('onRequest', async (request) => {
        const caller = await deps.authenticate(request.headers.authorization);
        await rateLimit(request, caller.key);
        callers.set(request, caller);
      });
      const callerOf = (request: FastifyRequest) => callers.get(request)!;
      scope.get('/models', async (request) => listModels(deps.readModels, callerOf(request)));
      scope.post('/chat/completions', async (request, reply) => chatCompletion(callerOf(request), request, reply));
    }, { prefix: '/v1' });
  };
}
