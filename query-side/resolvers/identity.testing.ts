/** GraphQL documents and small steps shared by the identity slice's e2e specs (test code only). */
import { expect } from 'vitest';
import type { TestApp } from '../../ops/testing/server.ts';

export const USER_FIELDS = 'id email displayName role';

export const REGISTER = `mutation($email: String!, $password: String!, $displayName: String) {
  register(email: $email, password: $password, displayName: $displayName) {
    accessToken refreshToken user { ${USER_FIELDS} } } }`;
export const LOGIN = `mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken user { ${USER_FIELDS} } } }`;
export const REFRESH = `mutation($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) { accessToken refreshToken user { ${USER_FIELDS} } } }`;
export const ME = `{ me { ${USER_FIELDS} } }`;
export const CREATE_KB = `mutation($name: String!, $description: String) {
  createKnowledgeBase(name: $name, description: $description) {
    id name description ownerId documentCount createdAt } }`;
export const KNOWLEDGE_BASES = `{ knowledgeBases { id name description ownerId documentCount createdAt } }`;
export const AUDIT = `query($stream: String!, $after: String, $limit: Int) {
  auditTrail(stream: $stream, after: $after, limit: $limit) { position stream revision type at data metadata } }`;

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; displayName: string | null; role: string };
}

export const PASSWORD = 'correct horse battery';

export async function register(app: TestApp, email: string, displayName?: string): Promise<Session> {
  const result = await app.gql<{ register: Session }>(REGISTER, { email, password: PASSWORD, displayName });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.register;
}

export interface AuditEventView {
  position: string;
  stream: string;
  revision: number;
  type: string;
  at: string;
  data: string;
  metadata: string;
}

/** The event types of a stream's audit trail, read with the given access token. */
export async function auditTypes(app: TestApp, token: string, stream: string): Promise<string[]> {
  const result = await app.gql<{ auditTrail: AuditEventView[] }>(AUDIT, { stream }, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.auditTrail.map((event) => event.type);
}
