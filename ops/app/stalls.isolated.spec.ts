/**
 * No document stalls the API: while each awkward text (ops/testing/awkward-texts.ts) is ingested through the real
 * upload, pipeline and projections of the embedded app, the event loop's delay stays p99 < 50 ms and max < 200 ms
 * and `{__typename}` answers within 100 ms; each ends indexed, or failed with a reason, within END_WITHIN_MS.
 * Runs alone (vitest.isolated.config.ts): another test file on the same two cores would be measured too.
 */
import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWKWARD_END_WITHIN_MS as END_WITHIN_MS, awkwardTexts } from '../testing/awkward-texts.ts';
import { documentEnd, type DocumentEnd } from '../testing/document-uploads.ts';
import { uploadFileOffThread } from '../testing/upload-off-thread.ts';
import { measureResponsiveness } from '../testing/responsiveness.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const REGISTER = `mutation { register(email: "stalls@example.com", password: "stalls password 1") { accessToken } }`;
const CREATE_KB = `mutation { createKnowledgeBase(name: "awkward") { id } }`;

let app: TestApp;
let token: string;
let kb: string;

/**
 * `npm test` runs this file right after the rest of the suite, whose leftovers (the Postgres server writing out what
 * the suite wrote, processes exiting) keep the two cores busy for a while: a measurement then times the machine, not
 * this app (a 117 ms `{__typename}` in one CI run, 53 ms on a settled machine). Wait, boundedly, until it settles.
 */
async function settledMachine(maxWaitMs = 120_000, belowLoad = 2): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  while (loadavg()[0]! >= belowLoad && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log(`responsiveness measured at load average ${loadavg()[0]!.toFixed(2)}`);
}

beforeAll(async () => {
  await settledMachine();
  app = await startTestApp();
  token = (await app.gql<{ register: { accessToken: string } }>(REGISTER)).data!.register.accessToken;
  kb = (await app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, {}, token)).data!.createKnowledgeBase.id;
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('ingesting awkward documents', () => {
  for (const text of awkwardTexts()) {
    it(`keeps the API responsive and ends: ${text.shape}`, async () => {
      let end: DocumentEnd | undefined;
      const measured = await measureResponsiveness(`${app.url}/graphql`, async () => {
        const id = await uploadFileOffThread(app, token, kb, text.name, text.bytes);
        end = await documentEnd(app, token, id, END_WITHIN_MS);
      });
      if (end!.status === 'failed') expect(end!.error).toMatch(/\w/);
      else expect(end!.chunkCount).toBeGreaterThan(0);
      expect(measured.typenameCount).toBeGreaterThan(10);
      expect(measured.eventLoopP99Ms).toBeLessThan(50);
      expect(measured.eventLoopMaxMs).toBeLessThan(200);
      expect(measured.typenameMaxMs).toBeLessThan(100);
    });
  }
});
