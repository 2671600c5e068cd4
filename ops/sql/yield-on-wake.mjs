// A database thread that wakes up gives way to the thread already running instead of taking its core at once
// (Linux SCHED_BATCH for the calling thread, set with util-linux's chrt; elsewhere, or without chrt, nothing changes).
//
// Why: every statement wakes its database thread, and a woken thread preempts whatever runs on the core it lands
// on, most often the API thread (the event loop every user's request and answer stream waits on). With 20 askers
// the API thread was preempted ~9 times per question. SCHED_BATCH keeps the thread's fair share of the CPU (unlike
// a lower priority, which starved read-your-writes under load): it only waits for the scheduler's next turn rather
// than cutting in. With 20 askers it takes the API thread's preemptions from ~10 to ~6 per question; its effect on
// the time to first token is within the chat bench's noise (docs/ARCHITECTURE.md, Chat figures).
// Plain JavaScript: it runs in the PGlite worker thread.
import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';

export function yieldOnWake() {
  if (process.platform !== 'linux') return;
  let threadId;
  try {
    threadId = readlinkSync('/proc/thread-self').split('/').pop();
  } catch {
    return;
  }
  execFile('chrt', ['--batch', '--pid', '0', threadId], () => undefined);
}
