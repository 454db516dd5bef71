/**
 * Reading an HTTP body with a size cap, shared by the driver's HTTP clients and the runner's
 * JSON-RPC server: a peer that streams without end must cost at most the cap.
 *
 * @module
 */

/** A body read whole, or refused at the cap. */
export type CappedBody =
  | { readonly kind: "Complete"; readonly bytes: Uint8Array }
  | {
    readonly kind: "TooLarge";
    /** The declared length, or the bytes that had arrived when the cap was passed. */
    readonly size: number;
    /** Whether `size` is the declared `content-length` (nothing was read). */
    readonly declared: boolean;
  };

/** What {@linkcode readCappedBody} reads: a `Request` or a `Response`. */
export interface HttpMessage {
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  bytes(): Promise<Uint8Array>;
}

/**
 * Reads an HTTP message's body up to `maxBytes`. A declared `content-length` over the cap is
 * refused unread; one within it bounds the body (HTTP/1.1 framing), so the body is read whole
 * natively; a body of unknown length is read chunk by chunk against the cap.
 *
 * @param message The request or response.
 * @param maxBytes The most bytes accepted.
 * @returns The bytes, or why they were refused (the body is cancelled then).
 */
export async function readCappedBody(message: HttpMessage, maxBytes: number): Promise<CappedBody> {
  const length = message.headers.get("content-length");
  if (length === null) return await readCappedBytes(message.body, maxBytes);
  const declared = Number(length);
  if (declared > maxBytes) {
    await message.body?.cancel().catch(() => {});
    return { kind: "TooLarge", size: declared, declared: true };
  }
  return { kind: "Complete", bytes: await message.bytes() };
}

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
      return { kind: "TooLarge", size: total, declared: false };
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
