import { run } from './cli.js';
import { processIo } from './base/terminal.js';

void run(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
