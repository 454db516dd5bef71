/**
 * One unsigned-varint-prefixed SSZ frame each way (p2p.md 6.2), through libp2p's `lpStream` with
 * `maxDataLength` set to the protocol's cap: an oversized length prefix is refused before any body
 * byte is buffered, and the read buffer itself is bounded to the cap.
 *
 * @module
 */
import type { Stream } from "@libp2p/interface";
import { lpStream } from "@libp2p/utils";
import { P2pError } from "../errors.ts";

/** Room for the varint prefix (at most 5 bytes for a u32) on top of a frame's body. */
const VARINT_ROOM_BYTES = 8;

/**
 * Reads exactly one frame.
 *
 * @param stream The libp2p stream.
 * @param maxBytes The body cap.
 * @param signal Abandons the read (the caller's deadline).
 * @returns The body.
 * @throws {P2pError} kind `NoResponse` when the stream ends before any byte, `Framing` when the
 *   prefix announces more than `maxBytes` or the stream ends mid-frame, `Timeout` when the signal
 *   aborts, `Transport` for a reset.
 */
export async function readFrame(stream: Stream, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  let received = 0;
  const count = (event: { data: { byteLength: number } }) => {
    received += event.data.byteLength;
  };
  stream.addEventListener("message", count);
  const lp = lpStream(stream, { maxDataLength: maxBytes, maxBufferSize: maxBytes + VARINT_ROOM_BYTES });
  try {
    return (await lp.read({ signal })).subarray();
  } catch (cause) {
    throw frameError(cause, signal, maxBytes, received === 0);
  } finally {
    stream.removeEventListener("message", count);
  }
}

/**
 * Writes one frame (varint length, then the body).
 *
 * @param stream The libp2p stream.
 * @param body The SSZ body.
 * @param maxBytes The body cap.
 * @param signal Abandons the write.
 * @throws {P2pError} kind `Framing` when the body is over the cap, `Timeout` or `Transport` otherwise.
 */
export async function writeFrame(
  stream: Stream,
  body: Uint8Array,
  maxBytes: number,
  signal: AbortSignal,
): Promise<void> {
  if (body.length > maxBytes) {
    throw new P2pError("Framing", `Cannot send frame of ${body.length} bytes: the cap is ${maxBytes} bytes`, {
      context: { sizeBytes: body.length, limitBytes: maxBytes },
    });
  }
  const lp = lpStream(stream, { maxDataLength: maxBytes });
  try {
    await lp.write(body, { signal });
  } catch (cause) {
    throw frameError(cause, signal, maxBytes, false);
  }
}

function frameError(
  cause: unknown,
  signal: AbortSignal,
  maxBytes: number,
  nothingReceived: boolean,
): P2pError {
  const name = (cause as Error)?.name;
  const message = (cause as Error)?.message ?? String(cause);
  if (signal.aborted) {
    return new P2pError("Timeout", "Cannot complete frame exchange: the deadline passed", { cause });
  }
  if (
    name === "InvalidDataLengthError" || name === "InvalidDataLengthLengthError" ||
    name === "StreamBufferError"
  ) {
    return new P2pError("Framing", `Cannot read frame: ${message} (cap ${maxBytes} bytes)`, {
      cause,
      context: { limitBytes: maxBytes },
    });
  }
  if (name === "UnexpectedEOFError") {
    return nothingReceived
      ? new P2pError("NoResponse", "Cannot read frame: the peer closed the stream without answering", {
        cause,
      })
      : new P2pError("Framing", `Cannot read frame: ${message}`, { cause });
  }
  if (name === "InvalidMessageLengthError") {
    return new P2pError("Framing", `Cannot read frame: ${message}`, { cause });
  }
  return new P2pError("Transport", `Cannot complete frame exchange: ${message}`, { cause });
}
