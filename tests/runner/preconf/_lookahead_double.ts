// A lookahead double: answers from a function of the timestamp.
import type { Address } from "viem";
import type { LookaheadAnswer, LookaheadSource } from "../../../runner/preconf/lookahead/resolver.ts";

export class ScriptedLookahead implements LookaheadSource {
  calls: bigint[] = [];
  constructor(public answer: (timestamp: bigint) => LookaheadAnswer) {}

  static fixed(signer: Address, submissionWindowEnd: bigint): ScriptedLookahead {
    return new ScriptedLookahead(() => ({ kind: "Known", source: "Slot", signer, submissionWindowEnd }));
  }

  resolve(timestamp: bigint): Promise<LookaheadAnswer> {
    this.calls.push(timestamp);
    return Promise.resolve(this.answer(timestamp));
  }
}
