/**
 * Shasta protocol constants (driver.md §4.4, §4.7, §4.8). Units are in the names or the JSDoc;
 * every chain quantity is a `bigint`, every byte count or list length a `number`.
 *
 * @module
 */
import type { Address, Hash, Hex } from "../hex.ts";

/** Most blocks one derivation source manifest may carry before it degrades to the default manifest. */
export const PROPOSAL_MAX_BLOCKS = 192;

/** Furthest an anchor block may lag behind the proposal's origin L1 block, in L1 blocks. */
export const MAX_ANCHOR_OFFSET = 128n;

/** Furthest a block timestamp may lag behind the proposal's L1 timestamp, in seconds (12 · 128). */
export const TIMESTAMP_MAX_OFFSET = 1536n;

/** Lowest block gas limit a manifest may ask for, excluding the anchor budget, in gas. */
export const MIN_BLOCK_GAS_LIMIT = 10_000_000n;

/** Highest block gas limit a manifest may ask for, excluding the anchor budget, in gas. */
export const MAX_BLOCK_GAS_LIMIT = 45_000_000n;

/** Largest gas limit change from one block to the next, in parts per {@link GAS_LIMIT_DENOMINATOR} (±0.02%). */
export const BLOCK_GAS_LIMIT_MAX_CHANGE = 200n;

/** Denominator of {@link BLOCK_GAS_LIMIT_MAX_CHANGE} (parts per million). */
export const GAS_LIMIT_DENOMINATOR = 1_000_000n;

/** The only manifest payload version the driver decodes. */
export const SHASTA_PAYLOAD_VERSION = 1n;

/** Size of one EIP-4844 blob, in bytes. */
export const BLOB_BYTES = 131_072;

/** Most payload bytes one blob carries under the version-0 encoding, in bytes ((4·31 + 3)·1024 − 4). */
export const BLOB_MAX_PAYLOAD_BYTES = 130_044;

/** Size of the manifest payload header (version word and size word), in bytes. */
export const MANIFEST_HEADER_BYTES = 64;

/** Largest blob-slice offset that still leaves room for a manifest header, in bytes. */
export const MANIFEST_MAX_OFFSET_BYTES = BLOB_BYTES - MANIFEST_HEADER_BYTES;

/**
 * Cap on the inflated (decompressed) size of one manifest, in bytes. A zlib stream that inflates past
 * it is treated as undecodable and yields the default manifest (lesson S-8, p2p.md §20 item 18).
 * A legitimate manifest is at most 192 blocks of at most 45M gas of transactions; 32 MiB leaves a wide
 * margin over anything that fits in a proposal's blobs while bounding memory per source.
 */
export const MANIFEST_MAX_INFLATED_BYTES = 32 * 1024 * 1024;

/** Gas reserved for the anchor transaction on top of the manifest's gas limit, in gas. */
export const ANCHOR_GAS_LIMIT = 1_000_000n;

/** Base fee of the first block after a genesis parent, in wei. */
export const SHASTA_INITIAL_BASE_FEE = 25_000_000n;

/** Lower clamp of the EIP-4396 base fee, in wei. */
export const MIN_BASE_FEE = 5_000_000n;

/** Upper clamp of the EIP-4396 base fee, in wei. */
export const MAX_BASE_FEE = 1_000_000_000n;

/** Version byte written into the first byte of a Taiko payload id. */
export const PAYLOAD_ID_VERSION = 2;

/** Size of a block's extraData: basefeeSharingPctg and a 6-byte proposal id, in bytes. */
export const EXTRA_DATA_BYTES = 7;

/** Largest proposal id (`uint48`). */
export const MAX_PROPOSAL_ID = (1n << 48n) - 1n;

/** Largest unsigned 64-bit value, the range of block numbers, timestamps, gas and nonces. */
export const MAX_UINT64 = (1n << 64n) - 1n;

/** The account that signs every anchor transaction. */
export const GOLDEN_TOUCH_ADDRESS: Address = "0x0000777735367b36bC9B61C50022d9D0700dB4Ec";

/** The golden-touch private key. It is public by design: anchor transactions are signed by protocol. */
export const GOLDEN_TOUCH_PRIVATE_KEY: Hex =
  "0x92954368afd3caa1f3ce3ead0069c1af414054aefe1ef9aeacc1bf426222ce38";

/** `keccak256(rlp([]))`, the ommers hash of every Shasta block. */
export const EMPTY_UNCLE_HASH: Hash = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

/** Root of an empty Merkle-Patricia trie (empty withdrawals or transactions). */
export const EMPTY_TRIE_ROOT: Hash = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

/** The 32-byte zero hash. */
export const ZERO_HASH: Hash = "0x0000000000000000000000000000000000000000000000000000000000000000";

/** Taiko internal devnet chain id. */
export const TAIKO_DEVNET_CHAIN_ID = 167_001n;

/** Taiko Hoodi testnet chain id. */
export const TAIKO_HOODI_CHAIN_ID = 167_013n;

/** Taiko mainnet chain id. */
export const TAIKO_MAINNET_CHAIN_ID = 167_000n;
