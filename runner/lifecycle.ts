/**
 * Start and stop discipline for the runner's parts: background tasks with their own stop signal, a
 * stack that stops what started in reverse order with a deadline per part, and a supervisor that
 * records the first failure and wakes everyone waiting.
 *
 * @module
 */
import { runnerLogger } from "./log.ts";
import type { RunnerError } from "./errors.ts";

const log = runnerLogger("lifecycle");

/** How a background task ended. */
export type TaskExit =
  /** The body returned although nobody stopped it. */
  | { readonly kind: "returned" }
  /** The body threw although nobody stopped it. */
  | { readonly kind: "failed"; readonly error: unknown };

/** A background loop that runs until stopped. */
export interface Task {
  /** The part's name, for logs. */
  readonly name: string;
  /**
   * Aborts the task's signal and waits for the body to settle.
   *
   * @returns When the body settled (its outcome is ignored).
   */
  stop(): Promise<void>;
}

/**
 * Runs `body` in the background with its own stop signal. When the body settles before `stop()` was
 * called, `onExit` learns how.
 *
 * @param name The part's name, for logs.
 * @param body The loop; it must return soon after its signal aborts.
 * @param onExit Called once when the body ends on its own.
 * @returns The task.
 */
export function spawnTask(
  name: string,
  body: (signal: AbortSignal) => Promise<void>,
  onExit: (exit: TaskExit) => void,
): Task {
  const controller = new AbortController();
  const settled = (async () => {
    try {
      await body(controller.signal);
      if (!controller.signal.aborted) onExit({ kind: "returned" });
    } catch (error) {
      if (!controller.signal.aborted) onExit({ kind: "failed", error });
      else log.debug("{part} ended with {error} while stopping", { part: name, error });
    }
  })();
  return {
    name,
    stop(): Promise<void> {
      controller.abort(new DOMException(`${name} stopped`, "AbortError"));
      return settled;
    },
  };
}

/** Stops parts in the reverse order they were pushed, each within a deadline. */
export class StopStack {
  readonly #timeoutMs: number;
  #entries: { name: string; stop: () => Promise<void> }[] = [];

  /**
   * Creates an empty stack.
   *
   * @param timeoutMs How long one part may take to stop before the stack moves on.
   */
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Registers how to stop a part that has started (or is starting).
   *
   * @param name The part's name, for logs.
   * @param stop Stops the part; errors are logged, not thrown.
   */
  push(name: string, stop: () => Promise<void>): void {
    this.#entries.push({ name, stop });
  }

  /**
   * Stops every registered part, last pushed first. A part that throws or misses its deadline is
   * logged and left behind; the next one is stopped anyway.
   *
   * @returns When every part stopped or timed out.
   */
  async stopAll(): Promise<void> {
    const entries = this.#entries.reverse();
    this.#entries = [];
    for (const { name, stop } of entries) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), this.#timeoutMs);
      });
      try {
        const result = await Promise.race([stop().then(() => "stopped" as const), deadline]);
        if (result === "timeout") {
          log.warn("{part} did not stop within {timeoutMs} ms; moving on", {
            part: name,
            timeoutMs: this.#timeoutMs,
          });
        } else {
          log.debug("{part} stopped", { part: name });
        }
      } catch (error) {
        log.warn("{part} failed to stop: {error}", { part: name, error });
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/** Signals the end of a run: the first failure, or the caller's abort. */
export class Supervisor {
  readonly #controller = new AbortController();
  #failure: RunnerError | undefined;

  /**
   * Creates a supervisor for one run.
   *
   * @param outer The caller's signal; its abort is a clean stop.
   */
  constructor(outer?: AbortSignal) {
    if (outer?.aborted) {
      this.#controller.abort(outer.reason);
    } else {
      outer?.addEventListener("abort", () => this.#controller.abort(outer.reason), {
        once: true,
        signal: this.#controller.signal,
      });
    }
  }

  /** Aborts when the run must end. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The failure that ended the run, if one did (a clean stop has none). */
  get failure(): RunnerError | undefined {
    return this.#failure;
  }

  /**
   * Ends the run with `error`, unless it has already ended.
   *
   * @param error Why the run ends.
   */
  fail(error: RunnerError): void {
    if (this.#controller.signal.aborted) {
      log.debug("Ignored {error} after the run ended", { error });
      return;
    }
    this.#failure = error;
    this.#controller.abort(error);
  }

  /**
   * Waits for `promise`, or rejects with the end reason when the run ends first. A value that
   * arrives after that is handed to `onLate` (to close what was opened too late).
   *
   * @param promise What to wait for.
   * @param onLate Cleans up a value that arrived after the run ended.
   * @returns The value.
   * @throws the end reason when the run ends first; whatever `promise` rejects with.
   */
  guard<T>(promise: Promise<T>, onLate?: (value: T) => Promise<void>): Promise<T> {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      promise.then((value) => onLate?.(value), () => {}).catch(() => {});
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        promise.then((value) => onLate?.(value), () => {}).catch(() => {});
      };
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * Waits until the run ends.
   *
   * @returns When the signal aborts.
   */
  ended(): Promise<void> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  }
}
