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
 * Runs an app's entry function (build the stacks, synthesize, print). A bad
 * configuration ({@link ConfigError}) or a policy violation under `deny`
 * ({@link PolicyViolationError}) is printed once, as its message alone with
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
    if (error instanceof ConfigError || error instanceof PolicyViolationError) {
      io.error(error.message);
      io.setExitCode(1);
      return false;
    }
    throw error;
  }
}
