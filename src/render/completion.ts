import type { Shell } from './formats.js';

/** What the shell needs to know of the command line: commands, their options, and which take a value. */
export interface CommandSpec {
  name: string;
  options: { flags: string[]; value: boolean; choices?: readonly string[] }[];
  /** The command's argument: a paper id (complete ids), a file (complete files), free text, or one of a list. */
  argument: 'id' | 'file' | 'text' | 'none' | { choices: readonly string[] };
  /** The argument may be given more than once (`refresh <id>...`). */
  many?: boolean;
}

/*
 * Paper ids come from `papers list`, which is only as trustworthy as the corpus and its cache (a shared
 * PAPERS_CACHE_DIR, a hand-edited file). So each script reads them as data, a line a word, never through
 * anything that expands them (bash's compgen -W runs $(...) in its word list), and keeps only words that
 * can be ids (the rule in src/corpus/store.ts): bash would insert anything else unquoted. A --corpus on the
 * line goes to `papers list` as one --corpus=FILE argument; PAPERS_CORPUS reaches it through the environment.
 */
const isId = (v: string) => `[[ ${v} == [a-z0-9]* && ${v} != *[^a-z0-9-]* ]]`;

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
          ? '_papers_ids "$cur" "$corpus"'
          : kind === 'file'
            ? '_papers_files "$cur"'
            : typeof kind === 'object'
              ? `COMPREPLY=($(compgen -W "${kind.choices.join(' ')}" -- "$cur"))`
              : 'COMPREPLY=()';
      return `    ${spec.name}) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flagsOf(spec).join(' ')}" -- "$cur")); else ${argument}; fi ;;`;
    })
    .join('\n');
  const takesValue = [...new Set([global, ...commands].flatMap(valueFlags))].join('|');
  return `# papers completion for bash. Install: papers completion bash > ~/.local/share/bash-completion/completions/papers
# Paper ids are read line by line and matched with [[ ]]: never through compgen -W, which would run $(...) in them.
_papers_ids() {
  local cur=$1 id rest
  local -a args=(list --format tsv)
  [[ -n $2 ]] && args=("--corpus=$2" "\${args[@]}")
  COMPREPLY=()
  while IFS=$'\\t' read -r id rest; do
    ${isId('$id')} && [[ $id == "$cur"* ]] && COMPREPLY+=("$id")
  done < <(command papers "\${args[@]}" 2>/dev/null)
}
_papers_files() {
  local file
  COMPREPLY=()
  # Quoted by readline when inserted: a file name is text, not shell.
  compopt -o filenames 2>/dev/null
  while IFS= read -r file; do COMPREPLY+=("$file"); done < <(compgen -f -- "$1")
}
# A word as typed, unquoted without evaluating it: '...', "...", backslashes, and with $2 a leading ~/ (not after --corpus=).
_papers_unquote() {
  local word=$1
  case $word in
    \\'*\\' | \\"*\\") REPLY=\${word:1:\${#word}-2} ;;
    "~/"*) IFS= read REPLY <<<"\${word:2}"; [[ -n $2 ]] && REPLY=$HOME/$REPLY || REPLY="~/$REPLY" ;;
    *) IFS= read REPLY <<<"$word" ;;
  esac
}
_papers() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" corpus="" word i
  # COMP_WORDBREAKS splits --option=value into --option, = and value.
  if [[ $cur == = ]]; then cur=""; elif [[ $prev == = ]]; then prev="\${COMP_WORDS[COMP_CWORD-2]}"; fi
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      --corpus=*) _papers_unquote "\${word#--corpus=}"; corpus=$REPLY ;;
      ${[...valueFlags(global)].join('|')})
        [[ "\${COMP_WORDS[i+1]}" == = ]] && ((i++))
        if ((++i < COMP_CWORD)) && [[ $word == --corpus ]]; then _papers_unquote "\${COMP_WORDS[i]}" home; corpus=$REPLY; fi ;;
      -*) ;;
      *) [[ -z "$cmd" ]] && cmd="$word" ;;
    esac
  done
  case "$cmd:$prev" in
${choiceCases}
  esac
  case "$prev" in
    --corpus|-o|--output) _papers_files "$cur"; return ;;
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
  // --flag=: the value may follow in the same word after = or in the next word, as the program accepts.
  const option = (o: CommandSpec['options'][number]) =>
    o.flags
      .map(
        (flag) =>
          `'${flag}${o.value && flag.startsWith('--') ? '=' : ''}[]${o.value ? `:value:${o.choices ? `(${o.choices.join(' ')})` : flag === '--corpus' || flag === '-o' || flag === '--output' ? '_files' : ' '}` : ''}'`,
      )
      .join(' ');
  const argument = (spec: CommandSpec) =>
    spec.argument === 'id'
      ? `'${spec.many ? '*' : '1'}:paper id:_papers_ids'`
      : spec.argument === 'file'
        ? "'1:file:_files'"
        : typeof spec.argument === 'object'
          ? `'1:${spec.name}:(${spec.argument.choices.join(' ')})'`
          : spec.argument === 'text'
            ? "'*:query: '"
            : '';
  // The global options count after the command too (`papers show --corpus x.yaml <TAB>`), as the program takes
  // them there: without them, the command's _arguments would take x.yaml for the paper id and offer nothing.
  const withGlobal = (spec: CommandSpec) => [...spec.options, ...global.options.filter((o) => !o.flags.some((f) => flagsOf(spec).includes(f)))];
  const cases = commands.map((spec) => `    ${spec.name}) _arguments ${withGlobal(spec).map(option).join(' ')} ${argument(spec)} ;;`).join('\n');
  return `#compdef papers
# papers completion for zsh. Install: papers completion zsh > "\${fpath[1]}/_papers" (then restart zsh)
# Paper ids: one word per line of \`papers list\`, in an array handed to compadd; nothing in them is evaluated.
_papers_ids() {
  local line id
  local -a ids args
  [[ -n $_papers_corpus ]] && args=("--corpus=$_papers_corpus")
  for line in \${(f)"$(command papers $args list --format tsv 2>/dev/null)"}; do
    id=\${line%%$'\\t'*}
    ${isId('$id')} && ids+=("$id")
  done
  compadd "$@" -a ids
}
_papers() {
  local line state word i _papers_corpus
  # A --corpus before the cursor, as typed: (Q) removes its quotes without expanding anything, and a
  # leading ~/ is the home directory (not after --corpus=, where the shell leaves it too).
  for ((i = 2; i < CURRENT; i++)); do
    word=$words[i]
    case $word in
      --corpus)
        ((++i < CURRENT)) || break
        word=$words[i]
        if [[ $word == '~/'* ]]; then _papers_corpus=$HOME/\${(Q)\${word#'~/'}}; else _papers_corpus=\${(Q)word}; fi
        ;;
      --corpus=*) _papers_corpus=\${(Q)\${word#--corpus=}} ;;
    esac
  done
  # -A '-*': options after the command are the command's to parse (global ones included), not taken here.
  _arguments -C -A '-*' ${global.options.map(option).join(' ')} '1:command:(${commands.map((c) => c.name).join(' ')})' '*::arg:->args'
  case $state in
    args)
      case $line[1] in
${cases}
      esac
      ;;
  esac
}
# Installed in $fpath, this file is the function itself and runs on the first TAB; sourced, it registers it.
if [[ $funcstack[1] == _papers ]]; then _papers "$@"; else compdef _papers papers; fi
`;
}

function fish(global: CommandSpec, commands: CommandSpec[]): string {
  const lines = [
    '# papers completion for fish. Install: papers completion fish > ~/.config/fish/completions/papers.fish',
    '# Paper ids: the first field of each line of `papers list`, kept only if it can be an id; output, never evaluated.',
    'function __papers_ids',
    '    command -q papers; or return',
    '    set -l corpus',
    '    set -l next 0',
    '    for token in (commandline -opc)',
    '        if test $next = 1',
    '            set corpus $token',
    "            string match -q -- '~/*' $token; and set corpus $HOME/(string sub -s 3 -- $token)",
    '            set next 0',
    '        else if test "$token" = --corpus',
    '            set next 1',
    "        else if string match -q -- '--corpus=*' $token",
    '            set corpus (string sub -s 10 -- $token)',
    '        end',
    '    end',
    '    set -l args',
    '    test -n "$corpus"; and set args --corpus=$corpus',
    "    command papers $args list --format tsv 2>/dev/null | string replace -r '\\t.*' '' | string match -r '^[a-z0-9][a-z0-9-]*$'",
    'end',
    'complete -c papers -f',
  ];
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
    if (spec.argument === 'id') lines.push(`complete -c papers ${when}-a "(__papers_ids)"`);
    if (spec.argument === 'file') lines.push(`complete -c papers ${when}-F`);
    if (typeof spec.argument === 'object') lines.push(`complete -c papers ${when}-a "${spec.argument.choices.join(' ')}"`);
  }
  return `${lines.join('\n')}\n`;
}
