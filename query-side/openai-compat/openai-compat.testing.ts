/** Steps the OpenAI-compatible API's e2e tests and the bench share (test code only). */
import OpenAI from 'openai';
import { ok } from '../resolvers/chat.testing.ts';
import type { TestApp } from '../../ops/testing/server.ts';

export const CREATE_API_KEY = `mutation($name: String!, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int, $workspaceId: ID) {
  createApiKey(name: $name, knowledgeBaseIds: $knowledgeBaseIds, creditsPerDay: $creditsPerDay, requestsPerMinute: $requestsPerMinute, workspaceId: $workspaceId) {
    key apiKey { id name prefix workspaceId knowledgeBaseIds creditsPerDay requestsPerMinute createdAt revokedAt } } }`;
export const REVOKE_API_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
export const API_KEYS = `query($workspaceId: ID) { apiKeys(workspaceId: $workspaceId) {
  id name prefix workspaceId knowledgeBaseIds creditsPerDay requestsPerMinute createdAt revokedAt } }`;
export const LEDGER = `{ wallet { balance reserved ledger(limit: 200) { kind amount turnId apiKeyId } } }`;

export interface ApiKeyLimitsInput {
  workspaceId?: string;
  knowledgeBaseIds?: string[];
  creditsPerDay?: number;
  requestsPerMinute?: number;
}

export interface CreatedApiKey {
  key: string;
  apiKey: { id: string; prefix: string; workspaceId: string | null; knowledgeBaseIds: string[] | null; creditsPerDay: number | null; requestsPerMinute: number | null };
}

export const createApiKey = async (app: Pick<TestApp, 'gql'>, token: string, name: string, limits: ApiKeyLimitsInput = {}) =>
  (await ok<{ createApiKey: CreatedApiKey }>(app as TestApp, token, CREATE_API_KEY, { name, ...limits })).createApiKey;

/** OpenAI's own client on our /v1, without its retries (a test sees every refusal as it is). */
export const openAiClient = (baseUrl: string, apiKey: string) => new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 30_000 });

/** The turn id in a completion id (`chatcmpl-<turnId>`). */
export const turnIdOf = (completionId: string) => completionId.replace(/^chatcmpl-/, '');

export const CREATE_WORKSPACE = `mutation($name: String!) { createWorkspace(name: $name) { id } }`;
export const ADD_MEMBER = `mutation($workspaceId: ID!, $email: String!, $role: MemberRole!) {
  addMember(workspaceId: $workspaceId, email: $email, role: $role) { id } }`;
export const CREATE_WORKSPACE_KB = `mutation($name: String!, $workspaceId: ID) { createKnowledgeBase(name: $name, workspaceId: $workspaceId) { id } }`;

/** A workspace of the token's user (its OWNER), with these members added by email address. */
export async function createWorkspace(app: Pick<TestApp, 'gql'>, token: string, name: string, members: Array<[email: string, role: 'OWNER' | 'EDITOR' | 'VIEWER']> = []) {
  const { id } = (await ok<{ createWorkspace: { id: string } }>(app as TestApp, token, CREATE_WORKSPACE, { name })).createWorkspace;
  for (const [email, role] of members) await ok(app as TestApp, token, ADD_MEMBER, { workspaceId: id, email, role });
  return id;
}

export const createWorkspaceKnowledgeBase = async (app: Pick<TestApp, 'gql'>, token: string, workspaceId: string, name: string) =>
  (await ok<{ createKnowledgeBase: { id: string } }>(app as TestApp, token, CREATE_WORKSPACE_KB, { name, workspaceId })).createKnowledgeBase.id;
