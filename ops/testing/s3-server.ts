/**
 * A real S3-compatible server for tests: s3rver (the dev dependency @20minutes/s3rver: the S3 REST API over HTTP,
 * objects on disk, SigV4 signatures of object requests checked) in a child process of its own on 127.0.0.1, so the
 * adapter talks to it over the network like to any S3 and the test process's memory is the adapter's alone.
 * Its one account is S3RVER / S3RVER. Buckets are made at start (this s3rver miscomputes SigV4 signatures of
 * bucket-level requests such as CreateBucket, which the app never sends).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const S3RVER = createRequire(import.meta.url).resolve('@20minutes/s3rver');
const LAUNCH = `
const [S3rver, directory, buckets] = [require(process.argv[1]), process.argv[2], JSON.parse(process.argv[3])];
new S3rver({ directory, address: '127.0.0.1', port: 0, silent: true, configureBuckets: buckets.map((name) => ({ name })) })
  .run()
  .then(({ port }) => console.log('listening on ' + port), (error) => { console.error(error); process.exit(1); });
`;

export interface TestS3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Buckets that exist, in the order asked for. */
  buckets: string[];
  /** The app's configuration (BLOB_S3_*) for one of the buckets. */
  env(bucket?: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startTestS3Server(buckets: string[] = ['ka-blobs-test']): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'ka-s3-'));
  const child = spawn(process.execPath, ['-e', LAUNCH, S3RVER, directory, JSON.stringify(buckets)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${output}`)), 30_000);
    const read = (data: Buffer) => {
      output += String(data);
      const listening = /listening on (\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${output}`)));
  }).catch(async (error: unknown) => {
    child.kill();
    await rm(directory, { recursive: true, force: true });
    throw error;
  });
  const server: TestS3Server = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    buckets,
    env: (bucket = buckets[0]!) => ({
      BLOB_S3_ENDPOINT: server.endpoint,
      BLOB_S3_BUCKET: bucket,
      BLOB_S3_REGION: server.region,
      BLOB_S3_ACCESS_KEY_ID: server.accessKeyId,
      BLOB_S3_SECRET_ACCESS_KEY: server.secretAccessKey,
    }),
    async close() {
      if (child.exitCode === null) {
        await new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        });
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
  return server;
}
