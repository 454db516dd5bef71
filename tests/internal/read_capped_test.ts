import assert from "node:assert/strict";
import { readCappedBody, readCappedBytes } from "../../internal/read_capped.ts";

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
  assert.deepEqual(await readCappedBytes(stream, 6), { kind: "TooLarge", size: 8, declared: false });
  assert.equal(cancelled, true);
});

Deno.test("`readCappedBody()` refuses a declared length over the cap unread, reads a declared one whole, and caps an undeclared one", async () => {
  let cancelled = false;
  const over = new Response(streamOf([new Uint8Array(8)], () => (cancelled = true)), {
    headers: { "content-length": "8" },
  });
  assert.deepEqual(await readCappedBody(over, 6), { kind: "TooLarge", size: 8, declared: true });
  assert.equal(cancelled, true);
  const within = new Response(new Uint8Array([1, 2, 3]), { headers: { "content-length": "3" } });
  assert.deepEqual(await readCappedBody(within, 3), { kind: "Complete", bytes: new Uint8Array([1, 2, 3]) });
  const undeclared = new Response(streamOf([new Uint8Array(4), new Uint8Array(4)]));
  assert.deepEqual(await readCappedBody(undeclared, 6), { kind: "TooLarge", size: 8, declared: false });
});
