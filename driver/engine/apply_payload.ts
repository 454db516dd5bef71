/**
 * Inserts one block into the engine (spec/driver.md 3.6, with lesson S-5's strictness): build it with
 * a forkchoice update carrying the attributes, fetch the payload, import it, promote it to head, and
 * read it back. Every engine answer must be VALID and the block read back must be the one imported;
 * anything else is a `DriverError` of kind `Engine` naming the method and the status, so the caller
 * decides what to retry (lesson E-7: only a newPayload INVALID on a canonical proposal is a verdict).
 *
 * The L2 client's recent headers (`L2Client.recentHeaders`) follow every insertion: the head is moved before the
 * first forkchoice update, the inserted block recorded after its read-back, and everything
 * forgotten when any step fails.
 *
 * @module
 */
import { nextMacrotask } from "../../internal/next_macrotask.ts";
import type { Hash, Hex } from "../hex.ts";
import { DriverError } from "../errors.ts";
import { driverLogger } from "../log.ts";
import type { L2Client } from "../rpc/l2_client.ts";
import { ZERO_HASH } from "../shasta/constants.ts";
import type { L2BlockHeader, TaikoPayloadAttributes } from "../shasta/types.ts";
import type { EngineClient } from "./engine_client.ts";
import { txListItemBytes } from "../shasta/tx_list.ts";
import { hintTransactionsRoot, type PayloadStatus } from "./wire.ts";

const log = driverLogger("engine");

/** What `applyPayload` needs. */
export interface ApplyPayloadDeps {
  /** The engine's authenticated port. */
  readonly engine: Pick<EngineClient, "forkchoiceUpdatedV2" | "getPayloadV2" | "newPayloadV2">;
  /** The public L2 port, for the read-back, and its recent headers (kept in step with insertions). */
  readonly l2: Pick<L2Client, "blockByNumber" | "recentHeaders">;
}

/** Tuning of `applyPayload`. */
export interface ApplyPayloadOptions {
  /**
   * The finalized (and safe) block hash to promote with the new head.
   * @default the zero hash (leave both unset)
   */
  readonly finalizedHash?: Hash;
}

/** The inserted block. */
export interface ApplyPayloadResult {
  /** The block as the public L2 port serves it after insertion. */
  readonly block: L2BlockHeader;
  /** The payload id the engine built it under. */
  readonly payloadId: Hex;
}

/**
 * Builds, imports and promotes one block on top of `parentHash`.
 *
 * Sequence: `engine_forkchoiceUpdatedV2(parent, attrs)` → `engine_getPayloadV2` →
 * `engine_newPayloadV2` → `engine_forkchoiceUpdatedV2(new head)` → `eth_getBlockByNumber`.
 *
 * @param deps The engine and public L2 clients.
 * @param attrs The payload attributes; `l1Origin.blockId` is the new block's number.
 * @param parentHash The block to build on (a block at or below the head reorgs the chain).
 * @param options The finalized hash to promote with the new head.
 * @returns The inserted block and its payload id.
 * @throws {DriverError} kind `Engine` when a status is not VALID (`context.method` and
 *   `context.engineStatus` say which), the payload id is missing, the built payload does not extend
 *   `parentHash`, or the block read back is missing or differs; kind `Rpc` when a call fails.
 *
 * @example
 * ```ts ignore
 * const { block } = await applyPayload({ engine, l2 }, attrs, parent.hash);
 * ```
 */
export async function applyPayload(
  deps: ApplyPayloadDeps,
  attrs: TaikoPayloadAttributes,
  parentHash: Hash,
  options: ApplyPayloadOptions = {},
): Promise<ApplyPayloadResult> {
  const recent = deps.l2.recentHeaders;
  // Entries above the parent leave the canonical chain with the first forkchoice update; the
  // read-back below therefore never finds block `l1Origin.blockId` held and always asks the engine.
  recent?.moveHead(parentHash);
  try {
    const result = await insert(deps, attrs, parentHash, options);
    recent?.recordHead(result.block);
    return result;
  } catch (error) {
    recent?.clear();
    throw error;
  }
}

async function insert(
  deps: ApplyPayloadDeps,
  attrs: TaikoPayloadAttributes,
  parentHash: Hash,
  options: ApplyPayloadOptions,
): Promise<ApplyPayloadResult> {
  const blockNumber = attrs.l1Origin.blockId;
  const what = `block ${blockNumber} on parent ${parentHash}`;

  const building = deps.engine.forkchoiceUpdatedV2(
    { headBlockHash: parentHash, safeBlockHash: parentHash, finalizedBlockHash: ZERO_HASH },
    attrs,
  );
  // While the engine builds, hash the transactions it was given: newPayload's txHash then reuses
  // the root when the payload carries exactly these (one macrotask first, so the request leaves).
  building.catch(() => {});
  await nextMacrotask();
  hintExpectedTransactions(attrs);
  const built = await building;
  requireValid(built.payloadStatus, "engine_forkchoiceUpdatedV2", `build ${what}`, blockNumber);
  const payloadId = built.payloadId;
  if (payloadId === null) {
    throw engineError(
      `Cannot build ${what}: engine_forkchoiceUpdatedV2 answered VALID without a payload id, check the engine's logs`,
      "engine_forkchoiceUpdatedV2",
      blockNumber,
    );
  }
  if (payloadId !== attrs.l1Origin.buildPayloadArgsId.toLowerCase()) {
    // The engine keys the build by its own id; a different one means our id derivation disagrees with it.
    log.warn("engine payload id differs from the derived one", {
      blockNumber,
      payloadId,
      derivedPayloadId: attrs.l1Origin.buildPayloadArgsId,
    });
  }

  const { executionPayload: payload } = await deps.engine.getPayloadV2(payloadId);
  if (payload.parentHash !== parentHash.toLowerCase() || payload.blockNumber !== blockNumber) {
    throw engineError(
      `Cannot build ${what}: engine_getPayloadV2 returned block ${payload.blockNumber} on parent ${payload.parentHash}, check the engine's forkchoice`,
      "engine_getPayloadV2",
      blockNumber,
    );
  }

  const imported = await deps.engine.newPayloadV2(payload);
  requireValid(imported, "engine_newPayloadV2", `import ${what}`, blockNumber);
  if (imported.latestValidHash !== null && imported.latestValidHash !== payload.blockHash) {
    throw engineError(
      `Cannot import ${what}: engine_newPayloadV2 reported latest valid hash ${imported.latestValidHash} instead of ${payload.blockHash}`,
      "engine_newPayloadV2",
      blockNumber,
    );
  }

  const finalized = options.finalizedHash ?? ZERO_HASH;
  const promoted = await deps.engine.forkchoiceUpdatedV2(
    { headBlockHash: payload.blockHash, safeBlockHash: finalized, finalizedBlockHash: finalized },
    null,
  );
  requireValid(promoted.payloadStatus, "engine_forkchoiceUpdatedV2", `promote ${what}`, blockNumber);

  const block = await deps.l2.blockByNumber(blockNumber);
  if (block === null) {
    throw engineError(
      `Cannot read back ${what}: the public L2 port has no block ${blockNumber} after insertion, check the engine's head`,
      "eth_getBlockByNumber",
      blockNumber,
    );
  }
  if (block.hash !== payload.blockHash) {
    throw engineError(
      `Cannot confirm ${what}: block ${blockNumber} reads back as ${block.hash}, not the imported ${payload.blockHash}`,
      "eth_getBlockByNumber",
      blockNumber,
    );
  }
  log.info("payload applied to execution engine", { blockNumber, blockHash: block.hash, payloadId });
  return { block, payloadId };
}

function hintExpectedTransactions(attrs: TaikoPayloadAttributes): void {
  const txList = attrs.blockMetadata.txList;
  if (txList === null) return;
  try {
    hintTransactionsRoot(txListItemBytes(txList));
  } catch {
    // A list that does not decode gets no hint; the engine answers for it.
  }
}

function requireValid(status: PayloadStatus, method: string, action: string, blockNumber: bigint): void {
  if (status.status === "VALID") return;
  const reason = status.validationError === null ? "" : ` ("${status.validationError}")`;
  throw new DriverError(
    "Engine",
    `Cannot ${action}: ${method} answered ${status.status}${reason}, VALID is required`,
    { context: { method, blockNumber, engineStatus: status.status } },
  );
}

function engineError(message: string, method: string, blockNumber: bigint): DriverError {
  return new DriverError("Engine", message, { context: { method, blockNumber } });
}
