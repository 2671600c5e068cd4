/**
 * Aborts one streaming attempt when the provider goes quiet: no first token within `firstTokenMs` (a provider
 * that accepts the connection and never answers), or no chunk for `idleMs` after that (a stream that stalls).
 * Without it such a turn would hang until the saga's deadline.
 */
export interface StreamWatchdog {
  /** Which limit fired, once one has. */
  readonly fired: 'first-token' | 'idle' | undefined;
  /** A token arrived: from now on the idle limit applies. */
  progress(): void;
  stop(): void;
}

export interface WatchdogLimits {
  firstTokenMs: number;
  idleMs: number;
}

export function watchStream(controller: AbortController, limits: WatchdogLimits): StreamWatchdog {
  let fired: StreamWatchdog['fired'];
  let phase: 'first-token' | 'idle' = 'first-token';
  const arm = (ms: number) =>
    setTimeout(() => {
      fired = phase;
      controller.abort();
    }, ms);
  let timer = arm(limits.firstTokenMs);
  return {
    get fired() {
      return fired;
    },
    progress() {
      if (phase === 'idle') {
        // Cheaper than a new timer per token, with hundreds of streams at once.
        timer.refresh();
        return;
      }
      clearTimeout(timer);
      phase = 'idle';
      timer = arm(limits.idleMs);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
