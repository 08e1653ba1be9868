/**
 * A problem with what the user gave us or with the machine (a missing file, a garbled kubeconfig, no
 * Docker, an image that cannot be had offline). The CLI prints it as one line with what to do, exits 2,
 * and never shows a stack trace: the user needs the fix, not our call chain.
 */
export class UsageError extends Error {
  readonly hint: string;

  constructor(problem: string, hint: string) {
    super(problem);
    this.name = "UsageError";
    this.hint = hint;
  }

  /** The single line the CLI prints. */
  line(): string {
    return `error: ${this.message}; ${this.hint}`;
  }
}
