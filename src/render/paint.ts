/** The colours of papers' output, by meaning: one place decides what an id or a match looks like. */
export interface Paint {
  id(text: string): string;
  match(text: string): string;
  heading(text: string): string;
  dim(text: string): string;
  bar(text: string): string;
}

const same = (text: string) => text;
const PLAIN: Paint = { id: same, match: same, heading: same, dim: same, bar: same };

/** Colours when the output wants them; plain output never loads chalk. */
export async function loadPaint(color: boolean): Promise<Paint> {
  if (!color) return PLAIN;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return { id: chalk.cyan, match: chalk.bold.yellow, heading: chalk.bold, dim: chalk.dim, bar: chalk.cyan };
}
