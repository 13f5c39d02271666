/** pass/fail of one correctness check; `n/a` where it does not apply, with the reason in `notes`. */
export type Check = 'pass' | 'fail' | 'n/a';
