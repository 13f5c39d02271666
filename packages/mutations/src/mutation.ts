import type { DialectName } from '@lifetimes/core';

/** One exact replacement. `find` must occur exactly once in the file, or the mutation refuses to apply. */
export interface Edit {
  readonly find: string;
  readonly replace: string;
}

/** The vitest cases that must fail while the mutation is applied. */
export interface Suite {
  /** Workspace folder the test file belongs to, from the repository root. */
  readonly workspace: string;
  /** Test file, from the workspace folder. */
  readonly file: string;
  /** Contract case ids or test titles; each is matched as a literal part of the test name. */
  readonly cases: readonly string[];
  /**
   * The drivers to run on: both where the bug shows differently on each;
   * none for a suite that uses no database (its cases are not per driver).
   */
  readonly drivers: readonly DialectName[];
}

/**
 * A realistic lifetime bug as a small, named, reversible patch to one file.
 * It names the public issue or documented behaviour it reproduces, so a
 * learner can read why it matters beyond this project.
 */
export interface Mutation {
  /** Kebab-case, unique: what `--only` takes. */
  readonly name: string;
  /** The one file it patches, from the repository root. */
  readonly file: string;
  readonly edits: readonly Edit[];
  readonly suite: Suite;
  /** Public issue or documentation this bug reproduces. */
  readonly reference: string;
  /** One line: what goes wrong. */
  readonly explanation: string;
}
