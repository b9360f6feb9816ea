import { run } from './cli.js';
import { processIo } from './terminal.js';

void run(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
