/** One entry of the diagnostics catalogue: shown by `dmsplan explain CODE` and in docs/diagnostics.md. */
export interface CodeInfo {
  readonly code: string;
  /** A short title, e.g. "unknown source endpoint". */
  readonly title: string;
  /** What it means, why it matters and how to fix it, with an example where it helps. Markdown. */
  readonly explanation: string;
}
