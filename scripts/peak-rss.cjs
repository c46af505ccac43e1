// Preloaded by the benchmark through NODE_OPTIONS: when the process exits,
// append its peak resident set size (KiB) to the file named by PEAK_RSS_FILE.
const fs = require('fs');
process.on('exit', () => {
  const file = process.env.PEAK_RSS_FILE;
  if (file) fs.appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});
