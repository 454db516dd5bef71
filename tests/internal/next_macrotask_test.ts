import assert from "node:assert/strict";
import { nextMacrotask } from "../../internal/next_macrotask.ts";

/** A server on its own thread: it answers each request with the wall-clock time it arrived. */
const SERVER = `
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => self.postMessage(port) },
  async (request) => {
    const arrived = performance.timeOrigin + performance.now();
    await request.text();
    return new Response(String(arrived));
  });
self.onmessage = async () => { await server.shutdown(); self.postMessage("stopped"); };
`;

function blockFor(ms: number): number {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* the synchronous work a caller overlaps with the request */ }
  return performance.timeOrigin + performance.now();
}

Deno.test("`nextMacrotask()` lets a request handed to fetch on a kept-alive connection leave before the caller's synchronous work", async () => {
  const worker = new Worker(`data:application/javascript,${encodeURIComponent(SERVER)}`, { type: "module" });
  const messages: unknown[] = [];
  const next = () =>
    new Promise<unknown>((resolve) => {
      if (messages.length > 0) return resolve(messages.shift());
      worker.onmessage = (event) => resolve(event.data);
    });
  try {
    const port = await next();
    // The first request opens the connection (several trips through the event loop); the driver's
    // engine calls reuse theirs.
    await (await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x" })).text();
    const sent = fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x" });
    await nextMacrotask();
    const blockedUntil = blockFor(200);
    const arrived = Number(await (await sent).text());
    assert.ok(
      arrived < blockedUntil,
      `the request arrived ${arrived - blockedUntil} ms after the work ended`,
    );
    worker.postMessage("stop");
    assert.equal(await next(), "stopped");
  } finally {
    worker.terminate();
  }
});

Deno.test("`nextMacrotask()` resolves after the microtasks queued before it", async () => {
  const order: string[] = [];
  const yielded = nextMacrotask().then(() => order.push("macrotask"));
  queueMicrotask(() => order.push("microtask"));
  await yielded;
  assert.deepEqual(order, ["microtask", "macrotask"]);
});
