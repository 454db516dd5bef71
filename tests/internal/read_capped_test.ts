import assert from "node:assert/strict";
import { readCappedBytes } from "../../internal/read_capped.ts";

function streamOf(
  chunks: readonly Uint8Array[],
  onCancel: () => void = () => {},
): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel: onCancel,
  });
}

Deno.test("`readCappedBytes()` joins the chunks of a body up to exactly the cap", async () => {
  const body = await readCappedBytes(streamOf([new Uint8Array([1, 2]), new Uint8Array([3])]), 3);
  assert.deepEqual(body, { kind: "Complete", bytes: new Uint8Array([1, 2, 3]) });
  assert.deepEqual(await readCappedBytes(null, 3), { kind: "Complete", bytes: new Uint8Array(0) });
});

Deno.test("`readCappedBytes()` stops at the first chunk past the cap, cancels the stream and says how much arrived", async () => {
  let cancelled = false;
  const stream = streamOf(
    [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)],
    () => (cancelled = true),
  );
  assert.deepEqual(await readCappedBytes(stream, 6), { kind: "TooLarge", bytesRead: 8 });
  assert.equal(cancelled, true);
});
