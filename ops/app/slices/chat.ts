/**
 * Chat: questions answered from a knowledge base with citations, streamed token by token and paid from the wallet.
 * The turn commands and the billing saga (command-side/turns) on the wallet slice's handler, retrieving through the
 * search slice's hybrid search and answering with the configured generator; the conversations read model; the
 * resolvers. The saga runs in ROLE=saga (and all), one active instance across processes behind an advisory-lock
 * lease on DATABASE_URL; every process records questions, the saga's process drives them.
 */
import { sqlWorkerCheckpoints } from '../../../command-side/ingestion/pipeline/checkpoint.ts';
import { createTurns, type TurnSaga } from '../../../command-side/turns/create-turns.ts';
import { chatSchema } from '../../../contracts/graphql/chat.ts';
import { conversationsProjector } from '../../../projections/conversations/conversations-projector.ts';
import { advisoryLockLease } from '../../../projections/runtime/index.ts';
import type { TurnCommands } from '../../../contracts/turn-commands.ts';
import type { AnswerStreamDeps } from '../../../query-side/chat-stream/answer-stream.ts';
import { createAnswerStreamResolvers } from '../../../query-side/chat-stream/answer-stream-resolvers.ts';
import { createAnswerFeed } from '../../../query-side/chat-stream/create-answer-feed.ts';
import { OpenStreams } from '../../../query-side/chat-stream/open-streams.ts';
import { createChatResolvers } from '../../../query-side/resolvers/chat.ts';
import { chunkSearchPort } from '../../../query-side/search/chunk-search-port.ts';
import { turnMetrics } from '../../observability/turn-metrics.ts';
import { createPostgresSql } from '../../sql/postgres.ts';
import { answerGeneratorOf } from '../answer-generator.ts';
import { runsIn, type BackgroundService } from '../background-service.ts';
import type { Slice } from '../slice.ts';
import { searchSlice } from './search.ts';
import { walletSlice } from './wallet.ts';

const billingSagaRoles = { roles: ['saga'] } as const;

/** What later slices take from chat (the OpenAI-compatible API asks and streams through the same parts). */
export interface ChatParts {
  commands: TurnCommands;
  /** What answerStream reads a turn's chunks with. */
  answers: AnswerStreamDeps;
  /** The answer streams a graceful shutdown waits for. */
  open: OpenStreams;
}

export const chatSlice: Slice<ChatParts> = {
  name: 'chat',
  schema: chatSchema,
  projectors: () => [conversationsProjector],
  create(deps) {
    const { config } = deps;
    const logger = deps.logger.child({ component: 'turns' });
    // Token deltas: in process, or through Redis when the saga and the subscribers may be different processes.
    const feed = createAnswerFeed({
      redisUrl: config.REDIS_URL,
      onError: (error) => deps.logger.warn({ err: error, component: 'answer-feed' }, 'answer feed error'),
    });
    // One active saga across processes sharing DATABASE_URL. postgres.js connects on the first query, so a process
    // that never starts the saga (ROLE=api) opens no connection for it. Embedded, this process is the only one.
    const lease = config.DATABASE_URL
      ? advisoryLockLease(createPostgresSql(config.DATABASE_URL, { max: 1, name: 'saga-lease' }))
      : undefined;
    const generator = answerGeneratorOf(config);
    const turns = createTurns({
      store: deps.eventStore,
      wallets: deps.use(walletSlice).wallets,
      search: chunkSearchPort(deps.use(searchSlice).search),
      generator,
      feed,
      prices: config.prices,
      reservationTimeoutMs: config.RESERVATION_TIMEOUT_MS,
      defaultMaxTokens: config.CHAT_DEFAULT_MAX_TOKENS,
      checkpoints: sqlWorkerCheckpoints(deps.readModels),
      ...(lease && { lease }),
      logger,
      // Step and first-token timings where the saga runs: the process driving turns is the one to count them.
      ...(runsIn(billingSagaRoles, config.ROLE) && { observer: turnMetrics(deps.metrics) }),
    });
    let saga: TurnSaga | undefined;
    const billingSaga: BackgroundService = {
      name: 'billing saga',
      ...billingSagaRoles,
      async start() {
        // The chat model's thread loads before the first question needs it.
        await generator.start?.();
        saga = turns.startSaga();
      },
      async stop() {
        await saga?.stop();
        await lease?.close();
        await generator.close?.();
      },
      status: () => (saga?.active() ? 'running' : 'standby'),
      drain: () => saga?.idle() ?? Promise.resolve(),
    };
    const openStreams = new OpenStreams();
    const answers: AnswerStreamDeps = {
      feed,
      turn: (actor, turnId) => turns.commands.turn(actor, turnId),
      askedHere: (actor, turnId) => turns.commands.askedHere(actor, turnId),
      onError: (error, turnId) => logger.warn({ err: error, turnId }, 'answer stream error'),
    };
    // Nothing to run: on a graceful shutdown the api waits for its answer streams to send their done chunk.
    const answerStreams: BackgroundService = {
      name: 'answer streams',
      roles: ['api'],
      start: async () => undefined,
      stop: async () => undefined,
      drain: () => openStreams.whenNone(),
    };
    return {
      resolvers: [
        createChatResolvers({ commands: turns.commands, readModels: deps.readModels, headPosition: () => deps.eventStore.headPosition() }),
        createAnswerStreamResolvers({ ...answers, open: openStreams }),
      ],
      services: [
        // Listed before the saga, so it closes after it: the saga's last chunks still go out.
        { name: 'answer feed', roles: ['api', 'saga'], start: async () => undefined, stop: () => feed.close() },
        billingSaga,
        answerStreams,
      ],
      provides: { commands: turns.commands, answers, open: openStreams },
    };
  },
};
