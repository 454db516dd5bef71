/**
 * The preconfirmation tip: the number of L2's `latest` block, read fresh each time. A missing head
 * is a hard error, never replaced by a fallback value (the seed's fail-fast rule).
 *
 * @module
 */
import { RunnerError } from "./errors.ts";

/**
 * The one L2 read the tip needs. The driver's L2 client (`createL2Client()`) satisfies it, and so
 * does any object whose `blockByNumber("latest")` calls `eth_getBlockByNumber("latest", false)`.
 */
export interface LatestL2BlockReader {
  /**
   * Reads L2's `latest` block header (`eth_getBlockByNumber`).
   *
   * @param tag Always `"latest"` here.
   * @returns The header, or `null` when L2 has no such block.
   */
  blockByNumber(tag: "latest"): Promise<{ readonly number: bigint } | null>;
}

/**
 * Reads the preconfirmation tip from L2: the `latest` block number (`eth_getBlockByNumber("latest")`).
 *
 * @example
 * ```ts
 * import { resolvePreconfTipFromL2 } from "./preconf_tip.ts";
 * const l2 = { blockByNumber: () => Promise.resolve({ number: 42n }) };
 * if (await resolvePreconfTipFromL2(l2) !== 42n) throw new Error("unexpected tip");
 * ```
 *
 * @param l2 The L2 client.
 * @returns The `latest` block number.
 * @throws {RunnerError} kind `MissingL2LatestHead` when L2 answers `null`, kind `L2LatestHeadQuery`
 *   (with the failure as `cause`) when the request fails.
 */
export async function resolvePreconfTipFromL2(l2: LatestL2BlockReader): Promise<bigint> {
  let block: { readonly number: bigint } | null;
  try {
    block = await l2.blockByNumber("latest");
  } catch (cause) {
    throw new RunnerError(
      "L2LatestHeadQuery",
      'Cannot read the L2 latest head: eth_getBlockByNumber("latest") failed, check the L2 endpoint',
      { cause },
    );
  }
  if (block === null || block === undefined) {
    throw new RunnerError(
      "MissingL2LatestHead",
      'Cannot read the L2 latest head: eth_getBlockByNumber("latest") returned null, check that the L2 engine has a chain',
    );
  }
  return block.number;
}
