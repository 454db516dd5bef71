/**
 * The child side of the JSON-lines protocol of `child.ts`: send messages, iterate commands.
 *
 * @module
 */

/**
 * Writes one message to the parent.
 *
 * @param message A JSON-serializable object with a `type`.
 */
export function emit(message: { type: string; [key: string]: unknown }): void {
  const bytes = new TextEncoder().encode(JSON.stringify(message) + "\n");
  // A pipe takes what fits: a large message (an engine's recorded calls, a megabyte or more) is
  // written in parts while the parent reads, or the parent waits forever for the line's end.
  for (let written = 0; written < bytes.length;) written += Deno.stdout.writeSync(bytes.subarray(written));
}

/**
 * The parent's commands, one object per line, until stdin closes.
 *
 * @returns The commands.
 */
export async function* commands(): AsyncGenerator<{ cmd: string; [key: string]: unknown }> {
  let buffer = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== "") yield JSON.parse(line);
      newline = buffer.indexOf("\n");
    }
  }
}

/**
 * Wall-clock milliseconds with sub-millisecond precision, comparable across processes.
 *
 * @returns `performance.timeOrigin + performance.now()`.
 */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}
