import { spawnSync } from 'node:child_process';

// The real programs some tests run, which npm cannot install. A test that needs a missing one is skipped, and
// this global setup says so before the run, a line a program, so that a green run never hides what it left out.

const runs = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;

const PROGRAMS = [
  {
    name: 'bibtex',
    present: () => runs('bibtex', ['--version']),
    skips: 'the tests that check the BibTeX export with the real bibtex (tests/bibtex.test.ts)',
    install: 'apt-get install --no-install-recommends texlive-binaries texlive-base',
  },
  {
    name: 'zsh',
    present: () => runs('zsh', ['-f', '-c', 'zmodload zsh/zpty zsh/zselect']),
    skips: 'the zsh completion tests (tests/completion.test.ts)',
    install: 'apt-get install zsh',
  },
  {
    name: 'fish',
    present: () => runs('fish', ['--no-config', '-c', 'true']),
    skips: 'the fish completion tests (tests/completion.test.ts)',
    install: 'apt-get install fish',
  },
];

export default function reportMissingPrograms(): void {
  for (const program of PROGRAMS) {
    if (!program.present()) process.stderr.write(`SKIPPING ${program.skips}: ${program.name} is not installed; install it with \`${program.install}\`\n`);
  }
}
