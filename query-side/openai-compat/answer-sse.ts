/**
 * Server-sent events of a streamed completion: `data: <json>\n\n` per chunk and `data: [DONE]` at the end, as
 * OpenAI sends them. Writes wait while the client's socket buffer is full (a slow reader slows only its own
 * answer's delivery, never the generation, whose deltas queue in the answer stream) and stop once it is gone.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

export class SseWriter {
  constructor(private readonly raw: ServerResponse) {}

  get gone(): boolean {
    return this.raw.destroyed || this.raw.writableEnded;
  }

  open(): void {
    // A client gone before the first token (its answer is being stopped) gets nothing.
    if (this.gone) return;
    this.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold the tokens back.
      'x-accel-buffering': 'no',
    });
  }

  async send(data: unknown): Promise<void> {
    await this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  async done(): Promise<void> {
    await this.write('data: [DONE]\n\n');
    if (!this.gone) this.raw.end();
  }

  private async write(text: string): Promise<void> {
    if (this.gone) return;
    if (!this.raw.write(text)) await Promise.race([once(this.raw, 'drain'), once(this.raw, 'close')]);
  }
}
