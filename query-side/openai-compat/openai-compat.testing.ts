/** Steps the OpenAI-compatible API's e2e tests and the bench share (test code only). */
import OpenAI from 'openai';
import { ok } from '../resolvers/chat.testing.ts';
import type { TestApp } from '../../ops/testing/server.ts';

export const CREATE_API_KEY = `mutation($name: String!, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int, $workspaceId: ID) {
  createApiKey(name: $name, knowledgeBaseIds: $knowledgeBaseIds, creditsPerDay: $creditsPerDay, requestsPerMinute: $requestsPerMinute, workspaceId: $workspaceId) {
    key apiKey { id name prefix workspaceId knowledgeBaseIds creditsPerDay requestsPerMinute createdAt revokedAt } } }`;
export const REVOKE_API_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
export const API_KEYS = `{ apiKeys { id name prefix knowledgeBaseIds creditsPerDay requestsPerMinute createdAt revokedAt } }`;
export const LEDGER = `{ wallet { balance reserved ledger(limit: 200) { kind amount turnId apiKeyId } } }`;

export interface ApiKeyLimitsInput {
  knowledgeBaseIds?: string[];
  creditsPerDay?: number;
  requestsPerMinute?: number;
}

export interface CreatedApiKey {
  key: string;
  apiKey: { id: string; prefix: string; knowledgeBaseIds: string[] | null; creditsPerDay: number | null; requestsPerMinute: number | null };
}

export const createApiKey = async (app: Pick<TestApp, 'gql'>, token: string, name: string, limits: ApiKeyLimitsInput = {}) =>
  (await ok<{ createApiKey: CreatedApiKey }>(app as TestApp, token, CREATE_API_KEY, { name, ...limits })).createApiKey;

/** OpenAI's own client on our /v1, without its retries (a test sees every refusal as it is). */
export const openAiClient = (baseUrl: string, apiKey: string) => new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 30_000 });

/** The turn id in a completion id (`chatcmpl-<turnId>`). */
export const turnIdOf = (completionId: string) => completionId.replace(/^chatcmpl-/, '');
