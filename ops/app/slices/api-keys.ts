/**
 * API keys and the OpenAI-compatible REST API they open (/v1/models, /v1/chat/completions): the key commands, the
 * api_keys read model, the GraphQL resolvers, and the /v1 routes, which ask and stream through the chat slice's
 * turn commands and answer stream, so a question by key is a turn like any other. Limits: requests per minute on the
 * server's rate limiter; credits per day in Redis with REDIS_URL (shared by every api instance), in process
 * otherwise. Revocations go out on the bus (Redis pub/sub with REDIS_URL).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { createApiKeyCommands } from '../../../command-side/api-keys/api-key-commands.ts';
import { apiKeysSchema } from '../../../contracts/graphql/api-keys.ts';
import { apiKeysProjector } from '../../../projections/api-keys/api-keys-projector.ts';
import { chargedThroughApiKey } from '../../../projections/wallet/wallet-read-model.ts';
import { createApiKeyAuthenticator } from '../../../query-side/api-keys/api-key-auth.ts';
import { memoryDailySpend } from '../../../query-side/api-keys/daily-spend.ts';
import { redisDailySpend } from '../../../query-side/api-keys/redis-daily-spend.ts';
import { listenForRevocations } from '../../../query-side/api-keys/revocations.ts';
import { openAiCompatPlugin } from '../../../query-side/openai-compat/openai-compat-plugin.ts';
import { createApiKeyResolvers } from '../../../query-side/resolvers/api-keys.ts';
import { quotasOf } from '../settings.ts';
import type { Slice } from '../slice.ts';
import { chatSlice } from './chat.ts';
import { identitySlice } from './identity.ts';

const REVOCATIONS_WAIT_MS = 10_000;

export const apiKeysSlice: Slice = {
  name: 'api-keys',
  schema: apiKeysSchema,
  projectors: () => [apiKeysProjector],
  create(deps) {
    const { config, readModels } = deps;
    const chat = deps.use(chatSlice);
    const { users } = deps.use(identitySlice);
    const accountOf = async (id: string) => {
      const user = await users({ id, role: 'member', email: '' });
      return user && { id: user.id, role: user.role };
    };
    const commands = createApiKeyCommands({ store: deps.eventStore, now: () => new Date(), newId: randomUUID });
    const revocations = listenForRevocations(deps.bus);
    // Redis connects on first use: only api processes, which admit questions, open a connection.
    const dailySpend = config.REDIS_URL ? redisDailySpend(config.REDIS_URL) : memoryDailySpend();
    const logger = deps.logger.child({ component: 'openai-compat' });
    return {
      resolvers: [createApiKeyResolvers({ commands, readModels, revocations, maxApiKeys: quotasOf(config).apiKeys })],
      plugins: [
        openAiCompatPlugin({
          authenticate: createApiKeyAuthenticator({ readModels, owner: accountOf, revocations }),
          readModels,
          commands: chat.commands,
          answers: chat.answers,
          open: chat.open,
          credits: {
            dailySpend,
            chargedThroughKey: (apiKeyId, from, to) => chargedThroughApiKey(readModels, apiKeyId, from, to),
            now: () => new Date(),
          },
          onError: (error, turnId) => logger.warn({ err: error, turnId }, 'OpenAI-compatible answer error'),
        }),
      ],
      services: [
        {
          name: 'api key revocations and limits',
          roles: ['api'],
          // The api serves once revocations from other instances are heard; a Redis that does not answer is logged
          // rather than holding the start (the key lookups' 60 s re-read then bounds a missed revocation).
          async start() {
            const heard = await Promise.race([revocations.listening().then(() => true), delay(REVOCATIONS_WAIT_MS, false, { ref: false })]);
            if (!heard) logger.warn(`not subscribed to API key revocations after ${REVOCATIONS_WAIT_MS} ms; going on`);
          },
          stop: async () => {
            await revocations.close();
            await dailySpend.close();
          },
        },
      ],
    };
  },
};
