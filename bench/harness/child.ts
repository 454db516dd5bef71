/**
 * A benchmark helper process: `deno run -A <script>` speaking JSON lines (commands on stdin,
 * messages on stdout; stderr passes through). Killed by pid on `stop()` if it does not exit.
 *
 * @module
 */

/** How long `stop()` waits for a polite exit before SIGKILL. */
const CHILD_STOP_GRACE_MS = 5_000;

/** One JSON message from a child. */
export type ChildMessage = { readonly type: string; readonly [key: string]: unknown };

/** A running helper process. */
export class BenchChild {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #queue: ChildMessage[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly #exited: Promise<number>;
  #done = false;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#exited = child.status.then((s) => s.code);
    void this.#read();
  }

  /**
   * Starts a script with arguments.
   *
   * With `BENCH_PROFILE_DIR` set, the child writes a V8 CPU profile there (`--cpu-prof`).
   *
   * @param script Path of the script, relative to `bench/`.
   * @param args Its arguments.
   * @returns The child, once spawned.
   */
  static spawn(script: string, args: readonly string[] = []): BenchChild {
    const path = new URL(`../${script}`, import.meta.url).pathname;
    const profileDir = Deno.env.get("BENCH_PROFILE_DIR");
    const profile = profileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...profile, path, ...args],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    return new BenchChild(child);
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /**
   * Sends a command.
   *
   * @param command A JSON-serializable object.
   * @returns When written.
   */
  async send(command: Record<string, unknown>): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(command) + "\n"));
  }

  /**
   * Waits for the next message of a type (messages of other types stay queued).
   *
   * @param type The message type.
   * @param timeoutMs Deadline.
   * @returns The message.
   * @throws {Error} On timeout or when the child exits first.
   */
  async next(type: string, timeoutMs = 60_000): Promise<ChildMessage> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.#queue.findIndex((m) => m.type === type);
      if (index >= 0) {
        return this.#queue.splice(index, 1)[0] as ChildMessage;
      }
      if (this.#done) throw new Error(`Cannot read "${type}" from child ${this.pid}: it exited`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`Cannot read "${type}" from child ${this.pid}: timed out`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Asks the child to stop, then kills it by pid if it has not exited in time.
   *
   * @returns The exit code.
   */
  async stop(): Promise<number> {
    await this.send({ cmd: "stop" }).catch(() => undefined);
    await this.#writer.close().catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) =>
      timer = setTimeout(() => resolve("late"), CHILD_STOP_GRACE_MS)
    );
    if (await Promise.race([this.#exited, late]) === "late") {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // It exited meanwhile.
      }
    }
    clearTimeout(timer);
    return await this.#exited;
  }

  async #read(): Promise<void> {
    const lines = this.#child.stdout.pipeThrough(new TextDecoderStream());
    let buffer = "";
    try {
      for await (const chunk of lines) {
        buffer += chunk;
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line.startsWith("{")) this.#queue.push(JSON.parse(line) as ChildMessage);
          newline = buffer.indexOf("\n");
        }
        this.#wake();
      }
    } finally {
      this.#done = true;
      this.#wake();
    }
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}
