/**
 * The clients of the answer-delivery benchmark, in a process of their own so that their parsing does not run on the
 * server's event loop: one graphql-ws connection and answerStream subscription per stream. Each delta carries the
 * tokens it covers as `n@sentAt;` (token number in its stream, wall-clock ms when published): a merged chunk carries
 * several. A client checks that its tokens arrive 1, 2, 3… with none lost or repeated and seqs increase, and records
 * each token's latency. Started by chat-delivery.ts through fork(); talks over IPC.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface ClientJob {
  wsUrl: string;
  token: string;
  turnIds: string[];
}

export interface ClientReport {
  tokens: number;
  messages: number;
  /** Streams whose tokens were not exactly 1..n in order, or whose seqs went back. */
  broken: number;
  /** Streams that ended without their done chunk. */
  unfinished: number;
  /** Wall-clock ms of the last token received. */
  lastAt: number;
  /** Per-token latencies (ms), every token. */
  latencies: number[];
}

const QUERY = 'subscription ($turnId: ID!) { answerStream(turnId: $turnId) { seq delta done } }';
const wallClock = () => performance.timeOrigin + performance.now();

function follow(job: ClientJob, turnId: string, report: ClientReport): Promise<void> {
  const client = createClient({
    url: `${job.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${job.token}` },
  });
  let expected = 1;
  let lastSeq = 0;
  let broken = false;
  let done = false;
  return new Promise<void>((resolve) => {
    const finish = () => {
      if (broken) report.broken++;
      if (!done) report.unfinished++;
      void client.dispose();
      resolve();
    };
    client.subscribe<{ answerStream: { seq: number; delta: string; done: boolean } }>(
      { query: QUERY, variables: { turnId } },
      {
        next: ({ data }) => {
          const now = wallClock();
          const chunk = data!.answerStream;
          report.messages++;
          if (chunk.seq <= lastSeq) broken = true;
          lastSeq = chunk.seq;
          if (chunk.done) done = true;
          for (const token of chunk.delta.split(';')) {
            if (!token) continue;
            const at = token.indexOf('@');
            if (Number(token.slice(0, at)) !== expected++) broken = true;
            report.latencies.push(now - Number(token.slice(at + 1)));
            report.tokens++;
          }
          report.lastAt = now;
        },
        error: finish,
        complete: finish,
      },
    );
  });
}

process.on('message', (job: ClientJob) => {
  const report: ClientReport = { tokens: 0, messages: 0, broken: 0, unfinished: 0, lastAt: 0, latencies: [] };
  void Promise.all(job.turnIds.map((turnId) => follow(job, turnId, report))).then(() => {
    process.send!(report, () => process.exit(0));
  });
});
