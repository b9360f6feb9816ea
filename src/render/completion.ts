import type { Shell } from './formats.js';

/** What the shell needs to know of the command line: commands, their options, and which take a value. */
export interface CommandSpec {
  name: string;
  options: { flags: string[]; value: boolean; choices?: readonly string[] }[];
  /** The command's argument: a paper id (complete ids), a file (complete files), free text, or one of a list. */
  argument: 'id' | 'file' | 'text' | 'none' | { choices: readonly string[] };
}

const IDS = 'command papers list --format tsv 2>/dev/null | cut -f1';

/** A completion script for `shell`, from the program's commands and options. */
export function renderCompletion(shell: Shell, global: CommandSpec, commands: CommandSpec[]): string {
  return shell === 'bash' ? bash(global, commands) : shell === 'zsh' ? zsh(global, commands) : fish(global, commands);
}

const flagsOf = (spec: CommandSpec) => spec.options.flatMap((o) => o.flags);
const valueFlags = (spec: CommandSpec) => spec.options.filter((o) => o.value).flatMap((o) => o.flags);

function bash(global: CommandSpec, commands: CommandSpec[]): string {
  const choiceCases = [global, ...commands]
    .flatMap((spec) =>
      spec.options
        .filter((o) => o.choices)
        .map(
          (o) => `    ${o.flags.map((f) => `${spec.name || '*'}:${f}`).join('|')}) COMPREPLY=($(compgen -W "${o.choices!.join(' ')}" -- "$cur")); return ;;`,
        ),
    )
    .join('\n');
  const commandCases = commands
    .map((spec) => {
      const { argument: kind } = spec;
      const argument =
        kind === 'id'
          ? `COMPREPLY=($(compgen -W "$(${IDS})" -- "$cur"))`
          : kind === 'file'
            ? 'COMPREPLY=($(compgen -f -- "$cur"))'
            : typeof kind === 'object'
              ? `COMPREPLY=($(compgen -W "${kind.choices.join(' ')}" -- "$cur"))`
              : 'COMPREPLY=()';
      return `    ${spec.name}) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flagsOf(spec).join(' ')}" -- "$cur")); else ${argument}; fi ;;`;
    })
    .join('\n');
  const takesValue = [...new Set([global, ...commands].flatMap(valueFlags))].join('|');
  return `# papers completion for bash. Install: papers completion bash > ~/.local/share/bash-completion/completions/papers
_papers() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${[...valueFlags(global)].join('|')}) ((i++)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd:$prev" in
${choiceCases}
  esac
  case "$prev" in
    --corpus|-o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${takesValue}) COMPREPLY=(); return ;;
  esac
  if [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(' ')} ${flagsOf(global).join(' ')}" -- "$cur"))
    return
  fi
  case "$cmd" in
${commandCases}
  esac
}
complete -o default -F _papers papers
`;
}

function zsh(global: CommandSpec, commands: CommandSpec[]): string {
  const option = (o: CommandSpec['options'][number]) =>
    o.flags
      .map(
        (flag) =>
          `'${flag}[]${o.value ? `:value:${o.choices ? `(${o.choices.join(' ')})` : flag === '--corpus' || flag === '-o' || flag === '--output' ? '_files' : ' '}` : ''}'`,
      )
      .join(' ');
  const argument = (spec: CommandSpec) =>
    spec.argument === 'id'
      ? `'1:paper id:{compadd -- \${(f)"$(${IDS})"}}'`
      : spec.argument === 'file'
        ? "'1:file:_files'"
        : typeof spec.argument === 'object'
          ? `'1:${spec.name}:(${spec.argument.choices.join(' ')})'`
          : spec.argument === 'text'
            ? "'*:query: '"
            : '';
  const cases = commands.map((spec) => `    ${spec.name}) _arguments ${spec.options.map(option).join(' ')} ${argument(spec)} ;;`).join('\n');
  return `#compdef papers
# papers completion for zsh. Install: papers completion zsh > "\${fpath[1]}/_papers" (then restart zsh)
_papers() {
  local line state
  _arguments -C ${global.options.map(option).join(' ')} '1:command:(${commands.map((c) => c.name).join(' ')})' '*::arg:->args'
  case $state in
    args)
      case $line[1] in
${cases}
      esac
      ;;
  esac
}
compdef _papers papers
`;
}

function fish(global: CommandSpec, commands: CommandSpec[]): string {
  const lines = ['# papers completion for fish. Install: papers completion fish > ~/.config/fish/completions/papers.fish', 'complete -c papers -f'];
  const names = commands.map((c) => c.name).join(' ');
  for (const spec of commands) lines.push(`complete -c papers -n "not __fish_seen_subcommand_from ${names}" -a ${spec.name}`);
  const optionLine = (condition: string, o: CommandSpec['options'][number]) => {
    const parts = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`));
    const value = o.value ? (o.choices ? ` -x -a "${o.choices.join(' ')}"` : ' -r') : '';
    return `complete -c papers ${condition}${parts.join(' ')}${value}`;
  };
  for (const o of global.options) lines.push(optionLine('', o));
  for (const spec of commands) {
    const when = `-n "__fish_seen_subcommand_from ${spec.name}" `;
    for (const o of spec.options) lines.push(optionLine(when, o));
    if (spec.argument === 'id') lines.push(`complete -c papers ${when}-a "(${IDS})"`);
    if (spec.argument === 'file') lines.push(`complete -c papers ${when}-F`);
    if (typeof spec.argument === 'object') lines.push(`complete -c papers ${when}-a "${spec.argument.choices.join(' ')}"`);
  }
  return `${lines.join('\n')}\n`;
}
