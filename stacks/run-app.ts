import { ConfigError, PolicyViolationError } from '../lib/platform/errors';

/** Where {@link runApp} reports an error and sets the exit code (the process by default). */
export interface AppEntryIo {
  /** Writes one message. */
  readonly error: (message: string) => void;
  /** Sets the process's exit code. */
  readonly setExitCode: (code: number) => void;
}

const PROCESS_IO: AppEntryIo = {
  error: (message) => process.stderr.write(`${message}\n`),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * The construct validations (`node.addValidation`) of cdk8s and cdktf collect
 * the platform's own checks into one error with this first line.
 */
const VALIDATION_FAILED = 'Validation failed with the following errors:';

function isUserError(error: unknown): error is Error {
  if (error instanceof ConfigError || error instanceof PolicyViolationError) return true;
  return error instanceof Error && error.message.startsWith(VALIDATION_FAILED);
}

/**
 * Runs an app's entry function (build the stacks, synthesize, print). A bad
 * configuration ({@link ConfigError}) or a policy violation under `deny`
 * ({@link PolicyViolationError}), or failed construct validations, are printed once, as its message alone with
 * no stack trace, and the exit code is set to 1 so `cdktf synth` and CI fail.
 * Any other error is a defect and is rethrown with its trace.
 *
 * @returns whether `main` completed
 */
export function runApp(main: () => void, io: AppEntryIo = PROCESS_IO): boolean {
  try {
    main();
    return true;
  } catch (error) {
    if (isUserError(error)) {
      io.error(error.message);
      io.setExitCode(1);
      return false;
    }
    throw error;
  }
}
