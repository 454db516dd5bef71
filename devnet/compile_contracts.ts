/**
 * Compiles the devnet's Solidity stand-ins (`devnet/contracts/*.sol`) with npm `solc` (soljson, pure
 * JavaScript, no download) once per process.
 *
 * @module
 */
import solc from "solc";
import type { Abi, Hex } from "viem";

/** The contracts in `devnet/contracts/`, by contract name (each file holds the contract of its name). */
export type StandInName = "ShastaInboxStandIn" | "LookaheadStoreStandIn" | "PreconfWhitelistStandIn";

/** ABI and creation bytecode of one contract. */
export interface CompiledContract {
  readonly abi: Abi;
  readonly bytecode: Hex;
}

const STAND_IN_NAMES: readonly StandInName[] = [
  "ShastaInboxStandIn",
  "LookaheadStoreStandIn",
  "PreconfWhitelistStandIn",
];

/** The EVM version the stand-ins target: Cancun brings `blobhash`, and anvil's default fork is newer. */
export const STAND_IN_EVM_VERSION = "cancun";

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

let compiled: Record<StandInName, CompiledContract> | null = null;

/**
 * Compiles every stand-in on the first call and returns the cached result afterwards.
 *
 * @returns ABI and bytecode per contract name.
 * @throws Error naming the compiler's messages when a source does not compile.
 */
export function compileStandIns(): Record<StandInName, CompiledContract> {
  if (compiled !== null) return compiled;
  const sources: Record<string, { content: string }> = {};
  for (const name of STAND_IN_NAMES) {
    sources[`${name}.sol`] = {
      content: Deno.readTextFileSync(new URL(`./contracts/${name}.sol`, import.meta.url)),
    };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: {
      evmVersion: STAND_IN_EVM_VERSION,
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const failures = (output.errors ?? []).filter((error) => error.severity === "error");
  if (failures.length > 0) {
    throw new Error(
      `Cannot compile the devnet contracts: solc reported ${failures.length} error(s), fix devnet/contracts/:\n${
        failures.map((error) => error.formattedMessage).join("\n")
      }`,
    );
  }
  const result = {} as Record<StandInName, CompiledContract>;
  for (const name of STAND_IN_NAMES) {
    const contract = output.contracts?.[`${name}.sol`]?.[name];
    if (contract === undefined) {
      throw new Error(`Cannot compile the devnet contracts: solc produced no output for "${name}"`);
    }
    result[name] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  }
  compiled = result;
  return result;
}
