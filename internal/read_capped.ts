/**
 * Reading an HTTP body with a size cap, shared by the driver's HTTP clients and the runner's
 * JSON-RPC server: a peer that streams without end must cost at most the cap.
 *
 * @module
 */

/** A body read whole, or refused at the cap. */
export type CappedBody =
  | { readonly kind: "Complete"; readonly bytes: Uint8Array }
  | { readonly kind: "TooLarge"; readonly bytesRead: number };

/**
 * Reads a stream up to `maxBytes`, cancelling it as soon as it is larger.
 *
 * @param body The stream; `null` reads as empty.
 * @param maxBytes The most bytes accepted.
 * @returns The bytes, or, when the stream went past the cap (it is cancelled then), how many bytes
 *   had arrived by then.
 */
export async function readCappedBytes(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<CappedBody> {
  if (body === null) return { kind: "Complete", bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return { kind: "TooLarge", bytesRead: total };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: "Complete", bytes };
}
