import os from 'node:os';

/** What a result was measured on: numbers from two machines are not comparable. */
export const machineInfo = () => {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
    node: process.version,
  };
};
