import type { Context } from '../app/context.js';
import { renderCompletion, type CommandSpec } from '../render/completion.js';
import type { Shell } from '../render/formats.js';

export async function completion(context: Context, shell: Shell, global: CommandSpec, commands: CommandSpec[]): Promise<void> {
  context.io.stdout.write(renderCompletion(shell, global, commands));
}
