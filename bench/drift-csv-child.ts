/**
 * Child process of the drift side-by-side benchmark: runs `vigie drift --reference R --current C --json` in this
 * process (the real command, stdout discarded) and writes its wall time, CPU time and peak RSS as JSON to fd 3.
 */
import { writeSync } from 'node:fs';
import { main } from '../cli/main.ts';

const [reference, current] = process.argv.slice(2);
const started = performance.now();
const code = await main(['drift', '--reference', reference!, '--current', current!, '--json']);
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
writeSync(
  3,
  `${JSON.stringify({
    code,
    seconds,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    peakRssMb: Math.round(usage.maxRSS / 1024),
  })}\n`,
);
