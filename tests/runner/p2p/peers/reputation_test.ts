import assert from "node:assert/strict";
import { PeerReputation } from "../../../../runner/p2p/peers/reputation.ts";

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

Deno.test("`PeerReputation` caps 10 failures inside 10 s at exactly -4", () => {
  const c = clock();
  const rep = new PeerReputation({ now: c.now });
  for (let i = 0; i < 10; i++) rep.penalize("p");
  assert.equal(rep.score("p"), -4);
  const spread = new PeerReputation({ now: c.now });
  for (let i = 0; i < 10; i++) {
    spread.penalize("q");
    c.advance(900);
  }
  assert.ok(spread.score("q") >= -4, `score ${spread.score("q")}`);
});

Deno.test("`PeerReputation` takes the same burst 11 s later below -7", () => {
  const c = clock();
  const rep = new PeerReputation({ now: c.now });
  for (let i = 0; i < 10; i++) rep.penalize("p");
  c.advance(11_000);
  for (let i = 0; i < 10; i++) rep.penalize("p");
  assert.ok(rep.score("p") < -7, `score ${rep.score("p")}`);
});

Deno.test("`PeerReputation` bans only after the score stays at or below -5 for more than 30 s", () => {
  const c = clock();
  const rep = new PeerReputation({ now: c.now });
  const banned: string[] = [];
  for (let second = 0; second <= 60 && banned.length === 0; second++) {
    if (second % 10 === 0) { for (let i = 0; i < 4; i++) rep.penalize("p"); }
    banned.push(...rep.tick());
    c.advance(1_000);
  }
  assert.deepEqual(banned, ["p"]);
  assert.equal(rep.standing("p"), "banned");
  // The breach began when the score first reached -5 (the second burst, at 10 s): the ban needs > 30 s.
  const rep2 = new PeerReputation({ now: c.now });
  for (let i = 0; i < 4; i++) rep2.penalize("q");
  c.advance(10_000);
  for (let i = 0; i < 4; i++) rep2.penalize("q");
  assert.ok(rep2.score("q") <= -5);
  c.advance(1_000);
  assert.deepEqual(rep2.tick(), []);
});

Deno.test("`PeerReputation` forgets the breach when the score heals above -5 before 30 s", () => {
  const c = clock();
  const rep = new PeerReputation({ now: c.now });
  for (let i = 0; i < 4; i++) rep.penalize("p");
  c.advance(10_000);
  for (let i = 0; i < 2; i++) rep.penalize("p");
  assert.ok(rep.score("p") <= -5);
  const banned: string[] = [];
  for (let second = 0; second < 60; second++) {
    c.advance(1_000);
    banned.push(...rep.tick());
  }
  assert.deepEqual(banned, []);
  assert.notEqual(rep.standing("p"), "banned");
});

Deno.test("`PeerReputation` keeps scores in [-10, +10] and greylists at -2", () => {
  const c = clock();
  const rep = new PeerReputation({ now: c.now, banAfterMs: 1e12 });
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 10; i++) rep.penalize("bad");
    c.advance(10_000);
  }
  assert.ok(rep.score("bad") >= -10);
  for (let i = 0; i < 1_000; i++) rep.reward("good");
  assert.equal(rep.score("good"), 10);
  const r = new PeerReputation({ now: () => 0 });
  r.penalize("x");
  assert.equal(r.standing("x"), "good");
  r.penalize("x");
  assert.equal(r.standing("x"), "greylisted");
});

Deno.test("`PeerReputation` decays about 0.9 per 10 s and rewards 0.05", () => {
  const c = clock();
  const rep = new PeerReputation({ now: c.now });
  rep.penalize("p");
  c.advance(10_000);
  assert.ok(Math.abs(rep.score("p") - -0.9) < 1e-9);
  rep.reward("p");
  assert.ok(Math.abs(rep.score("p") - -0.85) < 1e-9);
});

Deno.test("`PeerReputation` bounds its map and never evicts a banned peer first", () => {
  const c = clock();
  const rep = new PeerReputation({ now: c.now, maxPeers: 3, banAfterMs: 0 });
  for (let i = 0; i < 6; i++) rep.penalize("banned");
  c.advance(10_000);
  for (let i = 0; i < 4; i++) rep.penalize("banned");
  c.advance(1);
  rep.tick();
  c.advance(1);
  assert.equal(rep.standing("banned"), "banned");
  for (const p of ["a", "b", "c", "d"]) rep.penalize(p);
  assert.equal(rep.size, 3);
  assert.equal(rep.standing("banned"), "banned");
});
