import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Says which tests will be skipped for want of a program (bibtex, zsh, fish), and how to install it.
    globalSetup: ['tests/programs.ts'],
  },
});
