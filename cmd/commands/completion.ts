/**
 * `checkup completion bash|zsh`: a completion script built from the command line's own definition,
 * so a new command or flag completes without anyone editing the script.
 */
import { UsageError } from "../../lib/errors.js";

/** The little of commander's Command that the script needs. */
interface CommandShape {
  name(): string;
  readonly commands: readonly CommandShape[];
  readonly options: readonly { long?: string; short?: string; hidden?: boolean }[];
}

const flagsOf = (c: CommandShape) =>
  c.options.filter((o) => !o.hidden).flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f).concat("--help");

export function completionScript(shell: string, program: CommandShape): string {
  if (shell !== "bash" && shell !== "zsh") throw new UsageError(`no completion for shell "${shell}": use bash or zsh`);
  const cases = program.commands.map((c) => `    ${c.name()}) words="${flagsOf(c).join(" ")}" ;;`).join("\n");
  const bash = `_checkup() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -c|--config) ((i++)) ;; -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$cmd" in
    "") words="${program.commands.map((c) => c.name()).join(" ")} ${flagsOf(program).join(" ")}" ;;
${cases}
  esac
  if [ "\${COMP_WORDS[COMP_CWORD-1]}" = "-c" ] || [ "\${COMP_WORDS[COMP_CWORD-1]}" = "--config" ]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
}
complete -F _checkup checkup
`;
  // zsh runs the same function through its bash-completion layer.
  return shell === "bash" ? bash : `autoload -U +X bashcompinit && bashcompinit\n${bash}`;
}

export function completion(shell: string, program: CommandShape): void {
  process.stdout.write(completionScript(shell, program));
}
