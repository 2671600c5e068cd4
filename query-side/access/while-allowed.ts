/**
 * A subscription that ends once its subscriber may no longer see what it streams (a member removed from the
 * workspace, say): before passing an event on, the permission is checked again if the last check is older than
 * `recheckMs`, so a removal ends the stream at its next event within that time, for one read per subscriber per
 * `recheckMs` at most, however busy the stream.
 */
export async function* whileAllowed<T>(
  source: AsyncIterable<T>,
  mayStillSee: () => Promise<boolean>,
  recheckMs = 1000,
  now: () => number = Date.now,
): AsyncGenerator<T> {
  let checkedAt = now();
  for await (const value of source) {
    if (now() - checkedAt >= recheckMs) {
      if (!(await mayStillSee())) return;
      checkedAt = now();
    }
    yield value;
  }
}
