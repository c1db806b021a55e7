import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryMb: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** 1/5/15-minute load averages and free memory now: how busy the machine was around a figure. */
export function loadNow(): { load1: number; load5: number; load15: number; freeMemoryMb: number } {
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  return {
    load1: Math.round(load1 * 100) / 100,
    load5: Math.round(load5 * 100) / 100,
    load15: Math.round(load15 * 100) / 100,
    freeMemoryMb: Math.round(freemem() / 1024 / 1024),
  };
}
