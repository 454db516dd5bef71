/**
 * What the report says about the machine: CPUs, memory, Deno and V8 versions, load.
 *
 * @module
 */
import { cpus, loadavg, totalmem } from "node:os";
import type { MachineInfo } from "./report.ts";

/**
 * Reads the machine description.
 *
 * @returns CPUs, model, memory, versions, OS and the 1-minute load average.
 */
export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    cpus: navigator.hardwareConcurrency,
    cpuModel: list[0]?.model.trim() || "unknown",
    memoryMiB: Math.round(totalmem() / (1024 * 1024)),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    loadAverage: loadavg().map((x) => x.toFixed(2)).join(" / "),
  };
}
