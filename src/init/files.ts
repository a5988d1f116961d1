/** What `--profile auto` leaves in a run's reports folder (docs/profiles.md, "Inferring a profile"). */
export const INFERRED_PROFILE_FILE = 'profile.inferred.json';
/** The per-step lines of `vpc-verify init`: how each step was found and how sure it is. */
export const INIT_LOG_FILE = 'init.txt';
/** The `--profile` value that means: infer the profile first. */
export const AUTO = 'auto';
