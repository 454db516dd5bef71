/**
 * Cooperative yielding for work done in batches on the event loop (STYLE rule 19): callers await
 * `pause()` before each item, and once the current task has run for the budget, the next item waits
 * until timers and I/O had their turn. Callers pass one at a time, so items started together (a
 * `Promise.all` over a page, or a gossip RPC's messages) are spread over several tasks too.
 *
 * @module
 */

/** Longest a batch runs on the event loop before it yields, in milliseconds (half of rule 19's 50 ms, leaving room for the item in hand). */
export const TIME_SLICE_MS = 20;

/** A shared budget of event-loop time for batch work. */
export class TimeSlice {
  readonly #budgetMs: number;
  #sliceStart = 0;
  #inTask = false;
  #queue: Promise<void> = Promise.resolve();

  /**
   * @param budgetMs Longest run before a yield, in milliseconds.
   * @throws {RangeError} `budgetMs` is not a positive finite number.
   */
  constructor(budgetMs: number = TIME_SLICE_MS) {
    if (!Number.isFinite(budgetMs) || budgetMs <= 0) {
      throw new RangeError(`Cannot create time slice: budgetMs must be a positive number, got ${budgetMs}`);
    }
    this.#budgetMs = budgetMs;
  }

  /**
   * Waits for this caller's turn: at once (after earlier callers) while the current task has time
   * left, otherwise after one trip through the event loop.
   *
   * @returns When the caller may run its next item.
   */
  pause(): Promise<void> {
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn;
    return turn;
  }

  async #take(): Promise<void> {
    this.#markTask();
    if (performance.now() - this.#sliceStart < this.#budgetMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.#inTask = false;
    this.#markTask();
  }

  /** Starts the budget when a new task first uses the slice; a zero-delay timer marks that task's end. */
  #markTask(): void {
    if (this.#inTask) return;
    this.#inTask = true;
    this.#sliceStart = performance.now();
    const id = setTimeout(() => {
      this.#inTask = false;
    }, 0);
    Deno.unrefTimer(id);
  }
}
