// Preloaded by the benchmark through NODE_OPTIONS: when the process exits,
// append its peak resident set size (KiB) and the CPU time it used (user +
// system, microseconds) to the file named by PEAK_RSS_FILE.
const fs = require('fs');
process.on('exit', () => {
  const file = process.env.PEAK_RSS_FILE;
  if (!file) return;
  const usage = process.resourceUsage();
  fs.appendFileSync(file, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
