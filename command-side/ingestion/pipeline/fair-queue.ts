/**
 * The order in which the pipeline worker takes queued documents: start-time fair queuing (SFQ) over nested flows.
 * The worker queues each document under [user, knowledge base]: users take turns, within a user's turns its
 * knowledge bases take turns, and the documents of one knowledge base stay first in, first out. One user's long
 * queue then delays another user's document by about one document, not by the whole queue.
 *
 * Why virtual time rather than a plain rotation: each flow carries a tag, the turn at which it may next be served,
 * and each item taken costs its flow one turn (a document, whatever its size: its cost is not known before it is
 * parsed). A flow that becomes active starts at the current virtual time (the tag of the item taken last), so a
 * user's first document is taken next, ahead of the next document of a user with a long queue; with a rotation it
 * would join behind that user's turn. A flow that empties is remembered until the virtual time passes its tag, so
 * emptying and refilling a queue wins no turn. Ties go to the flow that became active first: two long queues
 * alternate. Taking an item looks at every flow (linear in the active flows, which the worker bounds).
 */

interface Node<T> {
  readonly size: number;
  push(keys: readonly string[], item: T): void;
  shift(): T | undefined;
}

/** The last level: one knowledge base's documents, first in, first out. */
class Fifo<T> implements Node<T> {
  private readonly items: T[] = [];
  get size(): number {
    return this.items.length;
  }
  push(_keys: readonly string[], item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    return this.items.shift();
  }
}

interface Flow<T> {
  /** Virtual time of this flow's next turn. */
  tag: number;
  /** When the flow last became active, to break ties (first come, first served). */
  since: number;
  node: Node<T>;
}

export class FairQueue<T> implements Node<T> {
  private readonly flows = new Map<string, Flow<T>>();
  private virtualTime = 0;
  private activations = 0;
  private count = 0;

  /** `depth`: how many keys name a flow ([user, knowledgeBase] = 2). */
  constructor(private readonly depth: number) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`a fair queue needs a depth of at least 1, not ${depth}`);
  }

  get size(): number {
    return this.count;
  }

  push(keys: readonly string[], item: T): void {
    if (keys.length !== this.depth) throw new RangeError(`expected ${this.depth} keys, got ${keys.length}`);
    const [key, ...rest] = keys as [string, ...string[]];
    let flow = this.flows.get(key);
    if (!flow) {
      const node: Node<T> = rest.length > 0 ? new FairQueue<T>(rest.length) : new Fifo<T>();
      flow = { tag: this.virtualTime, since: this.activations++, node };
      this.flows.set(key, flow);
    } else if (flow.node.size === 0) {
      // Resting since it emptied: it keeps a turn it has not reached yet, and gains none.
      flow.tag = Math.max(flow.tag, this.virtualTime);
      flow.since = this.activations++;
    }
    flow.node.push(rest, item);
    this.count++;
  }

  shift(): T | undefined {
    let best: Flow<T> | undefined;
    for (const [key, flow] of this.flows) {
      if (flow.node.size === 0) {
        if (flow.tag <= this.virtualTime) this.flows.delete(key); // would start at the virtual time anyway
        continue;
      }
      if (!best || flow.tag < best.tag || (flow.tag === best.tag && flow.since < best.since)) best = flow;
    }
    if (!best) return undefined;
    this.virtualTime = best.tag;
    best.tag += 1;
    this.count--;
    return best.node.shift();
  }
}
