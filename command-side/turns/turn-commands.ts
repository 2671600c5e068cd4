/**
 * The turn commands (contracts TurnCommands): ask, stop, regenerate, rate, read. Everything a caller can get
 * wrong is refused before anything is appended (typed TurnErrors); then ask records the turn and returns it at once
 * (`reserving`), and the saga does the rest. Only the asker may touch a turn; the rules that need the turn's state
 * (owner, not found, rateable) live in decide.ts, so they hold for every path that records.
 */
import type { AnswerGenerator } from '../../contracts/answer-generation.ts';
import type { EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import { TurnError, type AskInput, type AskOptions, type TurnActor, type TurnCommands, type TurnView } from '../../contracts/turn-commands.ts';
import type { TurnEvent } from '../../contracts/turns.ts';
import { costOf, priceOf, type PriceTable } from '../../contracts/wallet.ts';
import { mayDo, neededRole } from '../../contracts/workspaces.ts';
import type { InstanceRunner } from '../process-manager/run-instance.ts';
import { createKnowledgeBaseAccess, type KnowledgeBaseAccess, type KnowledgeBaseAccessReader } from '../workspaces/knowledge-base-access.ts';
import { historyOf, ownConversation, recentHistory, turnListedInConversation } from './conversations.ts';
import type { TurnInput } from './inputs.ts';
import type { RunningGenerations } from './running-generations.ts';
import { initialState, type TurnStartedData, type TurnState } from './state.ts';
import { turnView } from './turn-view.ts';
import { conversationIdFor, turnIdFor } from './turn-ids.ts';

export const MAX_QUESTION_CHARS = 4000;
/** How long, and for how many turns, `askedHere` remembers who asked: well within the answer feed's 10 minutes. */
const ASKED_HERE_MS = 60_000;
const ASKED_HERE_TURNS = 10_000;
export const MAX_COMMENT_CHARS = 2000;

export interface TurnCommandDeps {
  store: EventStore;
  runner: InstanceRunner<TurnInput, TurnEvent, TurnState>;
  generator: Pick<AnswerGenerator, 'model' | 'maxOutputTokens' | 'estimatePromptTokens'>;
  prices: PriceTable;
  generations: RunningGenerations;
  /** maxTokens when the asker gives none. */
  defaultMaxTokens: number;
  /** Earlier answered turns of the conversation given as history, at most. */
  historyTurns: number;
  now: () => Date;
  newId: () => string;
  /** A turn was started or stopped here: the saga of this process (if it runs here) drives it now. */
  onChange?: (turnId: string) => void;
  /** A turn is about to be recorded here: the saga of this process (if it runs here) may start its reads. */
  onStarting?: (turn: TurnStartedData, traceparent: string | undefined) => void;
  /**
   * A new turn's first write was just sent (not for a retry with an idempotency key, whose turn another request may
   * be writing): the saga of this process (if it runs here) may start on it before it is confirmed; `written`
   * tells whether it was. It then needs no onChange for it.
   */
  onRecording?: (turn: TurnStartedData, traceparent: string | undefined, written: Promise<boolean>) => boolean;
}

/**
 * The asker may ask the knowledge base (its owner, a member of its workspace, an admin: contracts/workspaces.ts),
 * checked against the log; its holder is remembered (a knowledge base never changes hands), a workspace's
 * membership is read each time, so a member removed a moment ago is refused.
 */
async function assertMayAsk(access: KnowledgeBaseAccessReader, actor: TurnActor, knowledgeBaseId: string): Promise<KnowledgeBaseAccess> {
  const found = await access.knowledgeBase(knowledgeBaseId, actor);
  if (found === undefined) throw new TurnError('KNOWLEDGE_BASE_NOT_FOUND', `knowledge base ${knowledgeBaseId} does not exist`);
  if (!mayDo(found.role, 'ask')) throw new TurnError('FORBIDDEN', neededRole('ask'));
  return found;
}

function validQuestion(question: string): string {
  const trimmed = question.trim();
  if (trimmed === '') throw new TurnError('EMPTY_QUESTION', 'the question is empty');
  if (trimmed.length > MAX_QUESTION_CHARS) {
    throw new TurnError('QUESTION_TOO_LONG', `the question is longer than ${MAX_QUESTION_CHARS} characters`, { length: trimmed.length });
  }
  return trimmed;
}

function validIdempotencyKey(key: string | null | undefined): string | undefined {
  if (key === null || key === undefined) return undefined;
  if (key.length < 1 || key.length > 200) throw new TurnError('BAD_IDEMPOTENCY_KEY', 'idempotencyKey must be 1 to 200 characters', { length: key.length });
  return key;
}

/** The turn a key started before, if this ask is a retry of the same question; CONFLICT when it is not. */
function asRetry(earlier: TurnState, actor: TurnActor, input: AskInput): TurnView {
  const started = earlier.started!;
  const same =
    started.userId === actor.id &&
    started.question === input.question &&
    started.knowledgeBaseId === input.knowledgeBaseId &&
    (input.conversationId ? started.conversationId === input.conversationId : true);
  if (!same) {
    throw new TurnError('IDEMPOTENCY_KEY_REUSED', 'this idempotencyKey was used for another question (or knowledge base, or conversation)', {
      turnId: started.turnId,
    });
  }
  return turnView(earlier);
}

function validMaxTokens(deps: TurnCommandDeps, maxTokens: number | null | undefined): number {
  const value = maxTokens ?? Math.min(deps.defaultMaxTokens, deps.generator.maxOutputTokens);
  if (!Number.isInteger(value) || value < 1 || value > deps.generator.maxOutputTokens) {
    throw new TurnError('BAD_MAX_TOKENS', `maxTokens must be a whole number from 1 to ${deps.generator.maxOutputTokens}`, { maxTokens });
  }
  return value;
}

export function createTurnCommands(deps: TurnCommandDeps): TurnCommands {
  const { store, runner } = deps;
  const loadTurn = async (turnId: string) => (await runner.load(turnId)).state;
  const access = createKnowledgeBaseAccess(store);
  // Turns asked here: their asker, and when (a map's order is insertion order: the oldest go first).
  const asked = new Map<string, { userId: string; at: number }>();
  const rememberAsked = (turnId: string, userId: string) => {
    asked.set(turnId, { userId, at: deps.now().getTime() });
    if (asked.size > ASKED_HERE_TURNS) asked.delete(asked.keys().next().value!);
  };

  async function ownTurn(actor: TurnActor, turnId: string): Promise<TurnState & { started: TurnStartedData }> {
    const state = await loadTurn(turnId);
    if (!state.started) throw new TurnError('TURN_NOT_FOUND', `turn ${turnId} does not exist`);
    if (state.started.userId !== actor.id) throw new TurnError('FORBIDDEN', 'this turn belongs to someone else');
    return state as TurnState & { started: TurnStartedData };
  }

  async function startTurn(
    actor: TurnActor,
    input: AskInput,
    metadata: EventMetadata,
    regenerating?: TurnStartedData,
    options: AskOptions = {},
  ): Promise<TurnView> {
    const question = validQuestion(input.question);
    const maxTokens = validMaxTokens(deps, input.maxTokens);
    const { knowledgeBaseId } = input;
    const key = validIdempotencyKey(input.idempotencyKey);
    if (key !== undefined) {
      const earlier = await loadTurn(turnIdFor(actor.id, key));
      if (earlier.started) return asRetry(earlier, actor, { ...input, question });
    }
    // The workspace's wallet pays once it is open (decided now, recorded on TurnStarted), else the asker's.
    const { payingWorkspaceId } = await assertMayAsk(access, actor, knowledgeBaseId);
    const conversation = input.conversationId ? await ownConversation(store, actor, input.conversationId, knowledgeBaseId) : undefined;
    // A regenerated turn answers with the history its original had.
    const { turnIds: historyTurnIds, history } = regenerating
      ? { turnIds: regenerating.historyTurnIds, history: await historyOf(loadTurn, regenerating.historyTurnIds) }
      : conversation
        ? await recentHistory(loadTurn, conversation, deps.historyTurns)
        : { turnIds: [], history: [] };
    const model = deps.generator.model;
    const price = priceOf(deps.prices, model);
    const promptEstimate = deps.generator.estimatePromptTokens({ question, history });
    // At least one micro-credit, so every turn is a reservation the wallet can decide (a free model charges 0).
    const reservationAmount = Math.max(1, costOf(price, { promptTokens: promptEstimate, completionTokens: maxTokens }));
    const turnId = key === undefined ? deps.newId() : turnIdFor(actor.id, key);
    await options.admit?.({ turnId, amount: reservationAmount });
    const conversationId = conversation?.conversationId ?? (key === undefined ? deps.newId() : conversationIdFor(actor.id, key));
    const startedAt = deps.now().toISOString();
    const start = conversation ? undefined : { userId: actor.id, knowledgeBaseId, title: question.slice(0, 200) };
    const meta = { correlationId: turnId, userId: actor.id, ...metadata };
    const listed = turnListedInConversation(store, conversationId, turnId, startedAt, start, meta, conversation);
    const data = {
      turnId,
      conversationId,
      userId: actor.id,
      knowledgeBaseId,
      question,
      maxTokens,
      model,
      price,
      promptEstimate,
      reservationAmount,
      historyTurnIds,
      regeneratedFrom: regenerating?.turnId ?? null,
      startedAt,
      ...(input.apiKeyId !== undefined && { apiKeyId: input.apiKeyId }),
      ...(payingWorkspaceId !== undefined && { walletId: payingWorkspaceId }),
    };
    // A new id: no need to read the (empty) stream first (a concurrent retry with the same key: decided again).
    deps.onStarting?.(data, meta.traceparent);
    // The conversation lists the turn in the same write (one transaction on the SQL stores).
    const recording = runner.record(turnId, { type: 'StartTurn', data }, { state: initialState(), revision: -1 }, meta, [listed]);
    const startedAhead =
      key === undefined &&
      (deps.onRecording?.(
        data,
        meta.traceparent,
        recording.then(
          () => true,
          () => false,
        ),
      ) ??
        false);
    const { state } = await recording;
    if (key !== undefined && state.started?.startedAt !== startedAt) return asRetry(state, actor, { ...input, question });
    rememberAsked(turnId, actor.id);
    if (!startedAhead) deps.onChange?.(turnId);
    return turnView(state);
  }

  return {
    ask: (actor, input, metadata = {}, options = {}) => startTurn(actor, input, metadata, undefined, options),

    async regenerate(actor, turnId, metadata = {}) {
      const original = (await ownTurn(actor, turnId)).started;
      const { knowledgeBaseId, question, conversationId, maxTokens } = original;
      return startTurn(actor, { knowledgeBaseId, question, conversationId, maxTokens }, metadata, original);
    },

    async stop(actor, turnId, metadata = {}) {
      const { state } = await runner.record(turnId, { type: 'RequestStop', by: actor.id, at: deps.now().toISOString() }, undefined, metadata);
      // Here at once if the generation runs in this process; elsewhere the saga's subscription delivers the stop.
      deps.generations.stop(turnId);
      deps.onChange?.(turnId);
      return turnView(state);
    },

    async rate(actor, turnId, rating, comment, metadata = {}) {
      const text = comment?.trim() || null;
      if (text && text.length > MAX_COMMENT_CHARS) {
        throw new TurnError('BAD_COMMENT', `the comment is longer than ${MAX_COMMENT_CHARS} characters`);
      }
      const input = { type: 'RateTurn' as const, by: actor.id, rating, comment: text, at: deps.now().toISOString() };
      const { state } = await runner.record(turnId, input, undefined, metadata);
      return turnView(state);
    },

    async turn(actor, turnId) {
      return turnView(await ownTurn(actor, turnId));
    },

    askedHere(actor, turnId) {
      const entry = asked.get(turnId);
      return entry !== undefined && entry.userId === actor.id && deps.now().getTime() - entry.at < ASKED_HERE_MS;
    },
  };
}
