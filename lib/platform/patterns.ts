/**
 * Patterns the modules share for validating names and durations, so every
 * module accepts and rejects exactly the same values.
 */

/** A lowercase RFC 1035 label (namespaces, Services, most object names): at most 63 characters. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A Go duration as Kubernetes controllers read it (`5s`, `1m30s`, `1.5h`). */
export const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
