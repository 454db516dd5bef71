/**
 * The block transaction list in network encoding, as go-ethereum's `rlp(types.Transactions)`
 * (driver.md §3.4.1, lesson V-7): an RLP list in which a legacy transaction is its own RLP list and
 * a typed transaction is a byte string holding `type ‖ payload`.
 *
 * @module
 */
import { fromRlp, toRlp } from "viem";
import type { Hex } from "../hex.ts";
import { bytesFromHex, hexFromBytes } from "../hex_bytes.ts";
import { DriverError } from "../errors.ts";

/** One decoded RLP item as viem returns it with hex output. */
export type RlpItem = Hex | readonly RlpItem[];

/**
 * One decoded RLP item as viem returns it with byte output. Decoding to bytes is about 800 times
 * faster than to hex for a large manifest, so decoders work on these and convert to hex once, at
 * the end.
 */
export type RlpNode = Uint8Array | readonly RlpNode[];

/** How one field of a transaction payload must look. */
type FieldKind =
  | "uint64"
  | "uint256"
  | "address"
  | "optionalAddress"
  | "bytes"
  | "accessList"
  | "hashList"
  | "authorizationList";

// Field layouts of signed transactions, as go-ethereum and alloy decode them. `to` may be empty
// (contract creation) only for legacy, access-list and dynamic-fee transactions.
const LEGACY_FIELDS: readonly FieldKind[] = [
  "uint64", // nonce
  "uint256", // gasPrice
  "uint64", // gas
  "optionalAddress", // to
  "uint256", // value
  "bytes", // data
  "uint256", // v
  "uint256", // r
  "uint256", // s
];

const TYPED_FIELDS: ReadonlyMap<number, readonly FieldKind[]> = new Map([
  [0x01, [
    "uint256", // chainId
    "uint64", // nonce
    "uint256", // gasPrice
    "uint64", // gas
    "optionalAddress", // to
    "uint256", // value
    "bytes", // data
    "accessList",
    "uint256", // yParity
    "uint256", // r
    "uint256", // s
  ]],
  [0x02, [
    "uint256", // chainId
    "uint64", // nonce
    "uint256", // maxPriorityFeePerGas
    "uint256", // maxFeePerGas
    "uint64", // gas
    "optionalAddress", // to
    "uint256", // value
    "bytes", // data
    "accessList",
    "uint256", // yParity
    "uint256", // r
    "uint256", // s
  ]],
  [0x03, [
    "uint256", // chainId
    "uint64", // nonce
    "uint256", // maxPriorityFeePerGas
    "uint256", // maxFeePerGas
    "uint64", // gas
    "address", // to
    "uint256", // value
    "bytes", // data
    "accessList",
    "uint256", // maxFeePerBlobGas
    "hashList", // blobVersionedHashes
    "uint256", // yParity
    "uint256", // r
    "uint256", // s
  ]],
  [0x04, [
    "uint256", // chainId
    "uint64", // nonce
    "uint256", // maxPriorityFeePerGas
    "uint256", // maxFeePerGas
    "uint64", // gas
    "address", // to
    "uint256", // value
    "bytes", // data
    "accessList",
    "authorizationList",
    "uint256", // yParity
    "uint256", // r
    "uint256", // s
  ]],
]);

/**
 * Transaction lists decoded and checked by {@linkcode transactionsFromRlpNodes}, with the RLP items
 * they came from: {@linkcode encodeBlockTxList} re-encodes those items as they are instead of hex
 * decoding and checking every transaction a second time (a 64-block proposal of 100 transactions
 * each spent about 7 ms on that). The lists are frozen, so what was checked cannot change.
 */
const checkedLists = new WeakMap<readonly Hex[], readonly RlpNode[]>();

const AUTHORIZATION_FIELDS: readonly FieldKind[] = [
  "uint256", // chainId
  "address",
  "uint64", // nonce
  "uint256", // yParity
  "uint256", // r
  "uint256", // s
];

/**
 * Encodes transactions as a block transaction list.
 *
 * @param txs Raw EIP-2718 transactions: a legacy one as its RLP list, a typed one as `type ‖ payload`.
 * @returns The RLP list, typed transactions wrapped as byte strings.
 * @throws {DriverError} `Derivation` when a transaction is not a well-formed signed transaction.
 *
 * @example
 * ```ts
 * import { encodeTxList } from "./tx_list.ts";
 * console.assert(encodeTxList([]) === "0xc0");
 * ```
 */
export function encodeTxList(txs: readonly Hex[]): Hex {
  return hexFromBytes(encodeTxListBytes(txs));
}

/**
 * Encodes transactions as a block transaction list, as bytes: {@linkcode encodeTxList} without the
 * final hex step, for callers that compress or hash the list.
 *
 * @param txs Raw EIP-2718 transactions: a legacy one as its RLP list, a typed one as `type ‖ payload`.
 * @returns The RLP list, typed transactions wrapped as byte strings.
 * @throws {DriverError} `Derivation` when a transaction is not a well-formed signed transaction.
 *
 * @example
 * ```ts
 * import { encodeTxListBytes } from "./tx_list.ts";
 * console.assert(encodeTxListBytes([])[0] === 0xc0);
 * ```
 */
export function encodeTxListBytes(txs: readonly Hex[]): Uint8Array {
  return toRlp(txs.map((tx, index) => transactionNode(tx, index)) as Uint8Array[], "bytes");
}

/** The checked RLP item of one raw transaction: a legacy one's list, a typed one's bytes. */
function transactionNode(tx: Hex, index: number): RlpNode {
  let node: RlpNode;
  try {
    const bytes = bytesFromHex(tx);
    node = bytes[0] !== undefined && bytes[0] >= 0xc0 ? fromRlp(bytes, "bytes") : bytes;
  } catch (cause) {
    throw invalidTransaction(`transaction ${index} is not canonical RLP`, cause);
  }
  checkTransactionNode(node, index);
  return node;
}

/**
 * Encodes a block's transaction list: its anchor transaction first, then `transactions`. A list
 * returned by {@linkcode transactionsFromRlpNodes} is encoded from the items it was decoded from,
 * without checking its transactions again; any other list is checked as {@linkcode encodeTxList}
 * does.
 *
 * @param anchor The signed anchor transaction (EIP-2718 bytes).
 * @param transactions The block's other transactions.
 * @returns The RLP list, typed transactions wrapped as byte strings.
 * @throws {DriverError} `Derivation` when a transaction that needs checking is not well formed.
 *
 * @example
 * ```ts ignore
 * const txList = encodeBlockTxList(anchorTransaction, block.transactions);
 * ```
 */
export function encodeBlockTxList(anchor: Hex, transactions: readonly Hex[]): Hex {
  const checked = checkedLists.get(transactions);
  if (checked === undefined) return encodeTxList([anchor, ...transactions]);
  return hexFromBytes(toRlp([transactionNode(anchor, 0), ...checked] as Uint8Array[], "bytes"));
}

/**
 * The raw EIP-2718 bytes of each transaction of a list, without checking them (for hashing a list
 * that is checked elsewhere, e.g. by the engine that executes it).
 *
 * @param txList The RLP list.
 * @returns The transactions' bytes, in order.
 * @throws {DriverError} `Derivation` when the list is not an RLP list.
 *
 * @example
 * ```ts
 * import { txListItemBytes } from "./tx_list.ts";
 * console.assert(txListItemBytes("0xc0").length === 0);
 * ```
 */
export function txListItemBytes(txList: Hex): Uint8Array[] {
  let decoded: RlpNode;
  try {
    decoded = fromRlp(bytesFromHex(txList), "bytes");
  } catch (cause) {
    throw invalidTransaction("the list is not canonical RLP", cause);
  }
  if (!isList(decoded)) throw invalidTransaction("expected an RLP list, found a byte string");
  return decoded.map((node) => isList(node) ? toRlp(node as Uint8Array[], "bytes") : node);
}

/**
 * Turns the items of a decoded transaction list into raw transactions, checking each as
 * {@linkcode transactionFromRlpNode} does. The returned list is frozen, and
 * {@linkcode encodeBlockTxList} re-encodes it from `nodes` without checking it again.
 *
 * @param nodes The list's decoded items (viem's byte output).
 * @returns The raw EIP-2718 transactions, in order.
 * @throws {DriverError} `Derivation` when an item is not a well-formed signed transaction.
 *
 * @example
 * ```ts
 * import { transactionsFromRlpNodes } from "./tx_list.ts";
 * console.assert(transactionsFromRlpNodes([]).length === 0);
 * ```
 */
export function transactionsFromRlpNodes(nodes: readonly RlpNode[]): readonly Hex[] {
  const transactions = Object.freeze(nodes.map((node, index) => transactionFromRlpNode(node, index)));
  checkedLists.set(transactions, Object.freeze([...nodes]));
  return transactions;
}

/**
 * Decodes a block transaction list. Every transaction must be a well-formed signed transaction of a
 * known type; trailing bytes after the list are refused.
 *
 * @param txList The RLP list.
 * @returns The raw EIP-2718 transactions, in order.
 * @throws {DriverError} `Derivation` when the list or any transaction does not decode.
 *
 * @example
 * ```ts
 * import { decodeTxList } from "./tx_list.ts";
 * console.assert(decodeTxList("0xc0").length === 0);
 * ```
 */
export function decodeTxList(txList: Hex): Hex[] {
  let bytes: Uint8Array;
  try {
    bytes = bytesFromHex(txList);
  } catch (cause) {
    throw invalidTransaction("the list is not canonical RLP", cause);
  }
  return decodeTxListBytes(bytes);
}

/**
 * Decodes a block transaction list given as bytes (an inflated txlist), with the checks of
 * {@linkcode decodeTxList} and without a round trip through hex.
 *
 * @param txList The RLP list.
 * @returns The raw EIP-2718 transactions, in order.
 * @throws {DriverError} `Derivation` when the list or any transaction does not decode.
 *
 * @example
 * ```ts
 * import { decodeTxListBytes } from "./tx_list.ts";
 * console.assert(decodeTxListBytes(new Uint8Array([0xc0])).length === 0);
 * ```
 */
export function decodeTxListBytes(txList: Uint8Array): Hex[] {
  let decoded: RlpNode;
  try {
    decoded = fromRlp(txList, "bytes");
  } catch (cause) {
    throw invalidTransaction("the list is not canonical RLP", cause);
  }
  if (!Array.isArray(decoded)) throw invalidTransaction("expected an RLP list, found a byte string");
  return decoded.map((node, index) => transactionFromRlpNode(node, index));
}

/**
 * Turns one item of a decoded transaction list into the transaction's raw EIP-2718 bytes, checking
 * its shape: a list is a legacy transaction, a byte string a typed one.
 *
 * @param node The decoded RLP item (viem's byte output).
 * @param index The item's position, for the error message.
 * @returns The raw transaction.
 * @throws {DriverError} `Derivation` when the item is not a well-formed signed transaction.
 *
 * @example
 * ```ts
 * import { transactionFromRlpNode } from "./tx_list.ts";
 * let failed = false;
 * try { transactionFromRlpNode(new Uint8Array([5]), 0); } catch { failed = true; }
 * console.assert(failed);
 * ```
 */
export function transactionFromRlpNode(node: RlpNode, index: number): Hex {
  checkTransactionNode(node, index);
  return hexFromBytes(isList(node) ? toRlp(node as Uint8Array[], "bytes") : node);
}

function isList(node: RlpNode): node is readonly RlpNode[] {
  return Array.isArray(node);
}

function checkTransactionNode(node: RlpNode, index: number): void {
  if (isList(node)) {
    checkFields(node, LEGACY_FIELDS, `legacy transaction ${index}`);
    return;
  }
  const tx = node as Uint8Array;
  const type = tx[0];
  if (type === undefined) throw invalidTransaction(`transaction ${index} is an empty typed transaction`);
  const fields = TYPED_FIELDS.get(type);
  if (fields === undefined) throw invalidTransaction(`transaction ${index} has unsupported type ${type}`);
  let payload: RlpNode;
  try {
    payload = fromRlp(tx.subarray(1), "bytes");
  } catch (cause) {
    throw invalidTransaction(`transaction ${index} (type ${type}) payload is not canonical RLP`, cause);
  }
  if (!isList(payload)) {
    throw invalidTransaction(`transaction ${index} (type ${type}) payload is not an RLP list`);
  }
  checkFields(payload, fields, `transaction ${index} (type ${type})`);
}

function checkFields(list: readonly RlpNode[], kinds: readonly FieldKind[], what: string): void {
  if (list.length !== kinds.length) {
    throw invalidTransaction(`${what} has ${list.length} fields, expected ${kinds.length}`);
  }
  kinds.forEach((kind, i) => {
    const problem = fieldProblem(list[i]!, kind);
    if (problem !== null) throw invalidTransaction(`${what} field ${i} ${problem}`);
  });
}

/** Describes why an item does not fit a field kind, or returns `null` when it fits. */
function fieldProblem(node: RlpNode, kind: FieldKind): string | null {
  switch (kind) {
    case "uint64":
      return integerProblem(node, 8);
    case "uint256":
      return integerProblem(node, 32);
    case "address":
      return byteStringProblem(node, 20);
    case "optionalAddress":
      return !isList(node) && node.length === 0 ? null : byteStringProblem(node, 20);
    case "bytes":
      return isList(node) ? "is a list, expected bytes" : null;
    case "hashList":
      return listProblem(node, (entry) => byteStringProblem(entry, 32));
    case "accessList":
      return listProblem(node, (entry) => {
        if (!isList(entry) || entry.length !== 2) return "entry is not [address, storageKeys]";
        return byteStringProblem(entry[0]!, 20) ??
          listProblem(entry[1]!, (key) => byteStringProblem(key, 32));
      });
    case "authorizationList":
      return listProblem(node, (entry) => {
        if (!isList(entry) || entry.length !== AUTHORIZATION_FIELDS.length) {
          return "authorization does not have 6 fields";
        }
        for (const [i, fieldKind] of AUTHORIZATION_FIELDS.entries()) {
          const problem = fieldProblem(entry[i]!, fieldKind);
          if (problem !== null) return `authorization field ${i} ${problem}`;
        }
        return null;
      });
  }
}

function integerProblem(node: RlpNode, maxBytes: number): string | null {
  if (isList(node)) return "is a list, expected an integer";
  if (node.length > maxBytes) return `exceeds ${maxBytes * 8} bits`;
  if (node[0] === 0) return "has leading zero bytes";
  return null;
}

function byteStringProblem(node: RlpNode, bytes: number): string | null {
  if (isList(node)) return `is a list, expected ${bytes} bytes`;
  return node.length === bytes ? null : `has ${node.length} bytes, expected ${bytes}`;
}

function listProblem(node: RlpNode, entryProblem: (entry: RlpNode) => string | null): string | null {
  if (!isList(node)) return "is a byte string, expected a list";
  for (const entry of node) {
    const problem = entryProblem(entry);
    if (problem !== null) return problem;
  }
  return null;
}

function invalidTransaction(state: string, cause?: unknown): DriverError {
  return new DriverError(
    "Derivation",
    `Cannot decode transaction list: ${state}`,
    cause === undefined ? {} : { cause },
  );
}
