/**
 * `npm run bench -- web-app` (issue 11): what a support agent feels of the web app, in Debian's Chromium against the
 * whole server with a local OpenAI-protocol stub as the model.
 * - bundle: the main bundle (entry JS + CSS) gzipped, goal < 250 kB; and everything the chat page loads;
 * - cold load: a new browser profile (empty cache) opening /chat signed in, until the question box is shown,
 *   goal < 1 s;
 * - streaming: an answer of 3,000 tokens sent as fast as the stub can (its own rate is in the note), rendered
 *   tokens/s (goal >= 500) and the browser's frame intervals meanwhile (requestAnimationFrame): p99 <= 33.4 ms means
 *   at most one frame dropped; next to it, in the same run, the frame intervals while the same answer streams to a
 *   client outside the page (the machine's own drops, without our rendering).
 * The sizes are gzip (level 6) of the built files; the server itself sends them uncompressed.
 * Runnable alone: `npx tsx ops/bench/web-app.ts`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startOpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { createKnowledgeBase, DEPOSIT, ok, startAppWithChatStub } from '../../query-side/resolvers/chat.testing.ts';
import { register } from '../../query-side/resolvers/identity.testing.ts';
import { openTestBrowser } from '../testing/browser.ts';
import { until, uploadFile } from '../testing/document-uploads.ts';
import { BUILT_WEB_APP_DIR as DIST, buildWebApp } from '../web-app/build-web-app.ts';
import { atLeast, atMost, below, percentile, sortNumbers, type BenchRow } from './report.ts';

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}

/** A time the page read from performance.now(), to its 0.1 ms resolution (Chromium's without cross-origin isolation). */
const inClockSteps = (ms: number) => Math.round(ms * 10) / 10;

const gzipKb = async (files: Iterable<string>) => {
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(path.join(DIST, file))).length;
  return bytes / 1000;
};

/** The files a chunk loads before it runs: itself, its CSS and its static imports, recursively. */
function filesOf(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const css of chunk.css ?? []) seen.add(css);
  for (const imported of chunk.imports ?? []) filesOf(manifest, imported, seen);
  return seen;
}

async function bundleRows(): Promise<BenchRow[]> {
  // Always built here: a fresh-looking ui/dist may come from another checkout state (seen: a 151 kB main bundle).
  await buildWebApp();
  const manifest = JSON.parse(await readFile(path.join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry)!;
  const entry = filesOf(manifest, entryKey);
  const chatKey = Object.keys(manifest).find((key) => key.endsWith('ChatPage.vue'));
  const chat = chatKey ? filesOf(manifest, chatKey, new Set(entry)) : entry;
  const entryKb = await gzipKb(entry);
  return [
    { name: 'web-app.bundle.main.gzip', value: entryKb, unit: 'kB', ...below(entryKb, 250), note: `${entry.size} files: ${[...entry].join(' ')}` },
    { name: 'web-app.bundle.chat-page.gzip', value: await gzipKb(chat), unit: 'kB', note: 'all the chat page loads (main bundle + its own chunks)' },
  ];
}

export async function bench(): Promise<BenchRow[]> {
  const rows = await bundleRows();
  const stub = await startOpenAiStubServer();
  const app = await startAppWithChatStub(stub.baseURL, 'stub-chat', { promptPer1k: 1, completionPer1k: 1 });
  const browser = await openTestBrowser(app.url);
  try {
    const admin = await register(app, 'bench@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: admin.user.id, amount: 1_000_000_000, reference: 'bench' });
    const kb = await createKnowledgeBase(app, admin.accessToken, 'Bench');
    await uploadFile(app, admin.accessToken, kb, 'pumps.md', new TextEncoder().encode('# Pumps\n\nPumps move water from low to high places.\n'));
    await until('indexed', async () => {
      const result = await app.gql<{ documents: Array<{ status: string }> }>(`query($kb: ID!) { documents(knowledgeBaseId: $kb) { status } }`, { kb }, admin.accessToken);
      return result.data?.documents[0]?.status === 'indexed' ? true : undefined;
    }, 60_000);
    const session = JSON.stringify({ accessToken: admin.accessToken, refreshToken: admin.refreshToken, user: admin.user });

    const coldLoads: number[] = [];
    for (let i = 0; i < 7; i++) {
      const context = await browser.browser.newContext();
      await context.addInitScript(`localStorage.setItem('ka.session', ${JSON.stringify(session)})`);
      const page = await context.newPage();
      await page.goto(`${app.url}/chat`);
      await page.locator('[data-testid="question"]').waitFor({ state: 'visible' });
      coldLoads.push((await page.evaluate('performance.now()')) as number);
      await context.close();
    }
    const loads = sortNumbers(coldLoads.slice(2));
    rows.push({
      name: 'web-app.cold-load.chat.p50',
      value: percentile(loads, 50),
      unit: 'ms',
      ...below(percentile(loads, 50), 1000),
      note: `navigation start -> question box visible, empty cache, ${loads.length} loads after 2 warm-ups of the server; max ${Math.max(...loads).toFixed(0)} ms`,
    });

    const page = browser.page;
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.addInitScript(`localStorage.setItem('ka.session', ${JSON.stringify(session)})`);
    await page.goto(`${app.url}/chat`);
    await page.locator('[data-testid="kb-select"]').selectOption({ label: 'Bench' });
    const tokens = Array.from({ length: 3000 }, (_, i) => (i % 12 === 11 ? `word${i}.\n\n` : `word${i} `));
    // WEB_BENCH_DELAY_MS: the stub's timer between tokens (1 ms gives ~700 tokens/s here, 2 ms ~400).
    const delayMs = Number(process.env.WEB_BENCH_DELAY_MS ?? 1);
    const startFrames = () =>
      page.evaluate(`(() => {
        window.__frames = [];
        window.__stopFrames = false;
        let last = performance.now();
        const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stopFrames) requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
      })()`);
    const stopFrames = async () => sortNumbers((await page.evaluate('(window.__stopFrames = true, window.__frames.slice(1))')) as number[]);

    // Baseline in the same run: the same answer at the same pace, read by a client in this process while the page
    // only counts frames. What the machine (server, stub, browser on two cores) drops without any rendering of ours.
    stub.script({ kind: 'stream', tokens, delayMs });
    await startFrames();
    const baselineTurn = (await ok<{ ask: { id: string } }>(app, admin.accessToken, `mutation($kb: ID!) { ask(knowledgeBaseId: $kb, question: "Baseline?", maxTokens: 4000) { id } }`, { kb })).ask;
    const reader = app.subscribe<{ answerStream: { done: boolean } }>(`subscription($id: ID!) { answerStream(turnId: $id) { seq done } }`, { id: baselineTurn.id }, admin.accessToken);
    await reader.done;
    const baseline = await stopFrames();

    stub.script({ kind: 'stream', tokens, delayMs });
    await startFrames();
    await page.locator('[data-testid="question"]').fill('How do pumps work?');
    await page.locator('[data-testid="question"]').press('Enter');
    const answer = page.locator('[data-testid="turn-answer"]').last();
    await answer.waitFor({ state: 'attached' });
    // The stub's own pace, to say what the browser was given: rendering cannot be faster than the tokens arrive.
    const request = stub.requests.at(-1)!;
    const stubFinished = request.settled.then(() => performance.now());
    const started = (await page.evaluate('performance.now()')) as number;
    // A function, not a string: the page's CSP forbids eval.
    await page.waitForFunction(
      () => {
        const all = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid="turn-answer"]');
        return (all[all.length - 1]?.textContent ?? '').includes('word2999');
      },
      undefined,
      { timeout: 120_000, polling: 'raf' },
    );
    const ended = (await page.evaluate('performance.now()')) as number;
    const frames = await stopFrames();
    const tokensPerSecond = tokens.length / ((ended - started) / 1000);
    const stubTokensPerSecond = tokens.length / (((await stubFinished) - request.firstTokenAt!) / 1000);
    // The page's clock counts in 0.1 ms steps: an interval is a whole number of steps up to float noise, so a
    // two-frame interval read as 33.400000000000546 ms is 33.4 ms, the goal, not a miss.
    const p99 = inClockSteps(percentile(frames, 99));
    const baselineP99 = inClockSteps(percentile(baseline, 99));
    rows.push(
      { name: 'web-app.stream.rendered-tokens-per-s', value: tokensPerSecond, unit: 'tokens/s', ...atLeast(tokensPerSecond, 500), note: `${tokens.length} tokens from the answer box appearing to the last token shown (ask -> first token included), Markdown rendered; the stub sent them at ${stubTokensPerSecond.toFixed(0)} tokens/s (${delayMs} ms timer between tokens)` },
      {
        name: 'web-app.stream.frame-interval.p99',
        value: p99,
        unit: 'ms',
        ...atMost(p99, 33.4),
        note: `${frames.length} frames; p50 ${percentile(frames, 50).toFixed(1)} ms, max ${Math.max(...frames).toFixed(0)} ms, ${frames.filter((f) => inClockSteps(f) > 33.4).length} over 33.4 ms, ${frames.filter((f) => f > 50).length} over 50 ms; baseline (the same stream read outside the page) p99 ${baselineP99.toFixed(1)} ms`,
      },
      {
        name: 'web-app.stream.frame-interval.baseline.p99',
        value: baselineP99,
        unit: 'ms',
        note: `the page only counting frames while the same ${tokens.length}-token answer streams to a client outside it: ${baseline.length} frames, p50 ${percentile(baseline, 50).toFixed(1)} ms, max ${Math.max(...baseline).toFixed(0)} ms; what the shared machine drops without our rendering`,
      },
    );
  } finally {
    await browser.close();
    await app.close();
    await stub.close();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await bench()) console.log(row);
  process.exit(0);
}
