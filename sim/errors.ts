// One error type for everything a user can get wrong: configs, model files, assembly, CLI flags.
// Each carries a stable code (tests assert codes, not wording) and a one-line message that names
// the file, field or line. The CLI prints `rramsim: <message>` and exits non-zero; no stack trace.

export type ErrorCode =
  | "CONFIG_READ" // the file cannot be read
  | "CONFIG_SYNTAX" // YAML/JSON does not parse
  | "CONFIG_UNKNOWN_KEY" // a key the schema does not know
  | "CONFIG_MISSING" // a required field is absent
  | "CONFIG_TYPE" // wrong type (string for a number, ...)
  | "CONFIG_RANGE" // a number outside its allowed range
  | "CONFIG_UNIT" // a quantity string whose unit is unknown or of the wrong dimension
  | "CONFIG_VALUE" // any other invalid value (bad enum member, ...)
  | "OVERRIDE_PATH" // --set PATH matches no field, or several
  | "CLI_ARGUMENT" // a bad command-line flag value
  | "INPUT_FILE" // a malformed data file (weights, inputs, model, program, trace)
  | "OUTPUT_FILE" // an output file or folder that cannot be written
  | "SIM_STATE" // the simulation was asked for something impossible in its state
  | (string & {});

export class RramsimError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "RramsimError";
    this.code = code;
  }
}

export function isRramsimError(e: unknown): e is RramsimError {
  return e instanceof RramsimError;
}
