/**
 * The answer streams this server has open, so a shutdown can wait for them to end (their done chunk sent) before it
 * closes the sockets: a client then loses nothing, and one still open at the end of the grace period resumes
 * elsewhere with its last seq.
 */
export class OpenStreams {
  private open = 0;
  private readonly waiting = new Set<() => void>();

  get count(): number {
    return this.open;
  }

  /** The same stream, counted until it ends, fails or its subscriber leaves. */
  track<T>(inner: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    this.open++;
    let counted = true;
    const ended = () => {
      if (!counted) return;
      counted = false;
      this.open--;
      if (this.open > 0) return;
      for (const resolve of this.waiting) resolve();
      this.waiting.clear();
    };
    const tracked: AsyncIterableIterator<T> = {
      async next() {
        try {
          const result = await inner.next();
          if (result.done) ended();
          return result;
        } catch (error) {
          ended();
          throw error;
        }
      },
      async return(value?: unknown) {
        ended();
        return inner.return ? inner.return(value) : { done: true, value: value as T };
      },
      async throw(error?: unknown) {
        ended();
        if (inner.throw) return inner.throw(error);
        throw error;
      },
      [Symbol.asyncIterator]() {
        return tracked;
      },
    };
    return tracked;
  }

  /** Resolves once no stream is open. */
  whenNone(): Promise<void> {
    if (this.open === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add(resolve));
  }
}
