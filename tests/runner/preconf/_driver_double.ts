// A driver double: checks the bound parent hash against an in-memory chain and "inserts" blocks into it.
import { type Hash, keccak256, stringToHex } from "viem";
import { DriverError, type TaikoPayloadAttributes } from "../../../driver/mod.ts";
import type { PreconfDriver, PreconfSubmissionOutcome } from "../../../runner/preconf/types.ts";
import type { ChainDouble } from "./_chain_double.ts";

export interface Submission {
  readonly attrs: TaikoPayloadAttributes;
  readonly parentHash: Hash | undefined;
}

export class DriverDouble implements PreconfDriver {
  confirmedTip = 0n;
  readonly submissions: Submission[] = [];
  /** Scripted answer for the next submissions; `undefined` inserts normally. */
  script: Array<PreconfSubmissionOutcome | Error> = [];

  constructor(readonly chain: ChainDouble) {}

  get blockNumbers(): bigint[] {
    return this.submissions.map((s) => s.attrs.l1Origin.blockId);
  }

  submitPreconfirmationPayload(
    attrs: TaikoPayloadAttributes,
    options: { parentHash?: Hash } = {},
  ): Promise<PreconfSubmissionOutcome> {
    this.submissions.push({ attrs, parentHash: options.parentHash });
    const scripted = this.script.shift();
    if (scripted instanceof Error) return Promise.reject(scripted);
    if (scripted !== undefined) return Promise.resolve(scripted);
    const n = attrs.l1Origin.blockId;
    if (n <= this.confirmedTip) return Promise.resolve({ kind: "Stale", confirmedTip: this.confirmedTip });
    const parent = this.chain.blocks.get(n - 1n);
    if (parent === undefined || (options.parentHash !== undefined && parent.hash !== options.parentHash)) {
      return Promise.reject(
        new DriverError("PreconfParentMismatch", `Cannot insert block ${n}: parent moved`),
      );
    }
    const hash = keccak256(stringToHex(`${attrs.l1Origin.buildPayloadArgsId}:${parent.hash}`));
    const block = this.chain.insert(n, hash, attrs.timestamp, attrs.blockMetadata.gasLimit);
    return Promise.resolve({ kind: "Inserted", block });
  }
}
