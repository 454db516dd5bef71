import assert from "node:assert/strict";
import { INBOUND_RATE_LIMITS, OUTBOUND_RATE_LIMITS } from "../../../../runner/p2p/reqresp/protocols.ts";
import { InboundRateLimiter, OutboundPacer } from "../../../../runner/p2p/reqresp/rate_limit.ts";

Deno.test("`InboundRateLimiter` allows the burst, refuses the next and refills over time", () => {
  let t = 0;
  const limiter = new InboundRateLimiter(INBOUND_RATE_LIMITS, { now: () => t });
  const burst = INBOUND_RATE_LIMITS.commitments.burst;
  for (let i = 0; i < burst; i++) assert.equal(limiter.tryConsume("p", "commitments"), true);
  assert.equal(limiter.tryConsume("p", "commitments"), false);
  assert.equal(limiter.tryConsume("q", "commitments"), true, "buckets are per peer");
  assert.equal(limiter.tryConsume("p", "head"), true, "buckets are per protocol");
  t += 1_000 / INBOUND_RATE_LIMITS.commitments.refillPerSecond;
  assert.equal(limiter.tryConsume("p", "commitments"), true);
  assert.equal(limiter.tryConsume("p", "commitments"), false);
});

Deno.test("`InboundRateLimiter` keeps at most `maxKeys` buckets", () => {
  const limiter = new InboundRateLimiter(INBOUND_RATE_LIMITS, { maxKeys: 10 });
  for (let i = 0; i < 100; i++) limiter.tryConsume(`peer${i}`, "head");
  assert.equal(limiter.size, 10);
});

Deno.test("`OutboundPacer` never lets 8 requests into any 10 s window (the Rust ban line)", async () => {
  let t = 0;
  const pacer = new OutboundPacer(OUTBOUND_RATE_LIMITS, { now: () => t });
  const sent: number[] = [];
  const signal = new AbortController().signal;
  for (let i = 0; i < 30; i++) {
    const wait = pacer.delayMs("p", "commitments");
    t += Math.max(0, wait);
    await pacer.acquire("p", "commitments", signal);
    sent.push(t);
  }
  for (let i = 0; i < sent.length; i++) {
    const inWindow = sent.filter((s) => s >= (sent[i] as number) && s < (sent[i] as number) + 10_000).length;
    assert.ok(inWindow <= 7, `${inWindow} requests in the window starting at ${sent[i]}`);
  }
});

Deno.test("`OutboundPacer.acquire()` rejects with the signal's reason when aborted while waiting", async () => {
  const pacer = new OutboundPacer({ ...OUTBOUND_RATE_LIMITS, head: { maxRequests: 1, windowMs: 60_000 } });
  const controller = new AbortController();
  await pacer.acquire("p", "head", controller.signal);
  const waiting = pacer.acquire("p", "head", controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
});
