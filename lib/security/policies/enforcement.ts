import { ENFORCEMENT_MODES, EnforcementMode } from '../../platform/environment';
import { ConfigError } from '../../platform/errors';

/** The Gatekeeper `spec.enforcementAction` of a constraint. */
export type GatekeeperEnforcementAction = 'warn' | 'dryrun' | 'deny';

/**
 * How a policy is enforced, at both enforcement points:
 *
 * | mode     | Gatekeeper `enforcementAction`            | synth time (`cdktf synth`)                          |
 * | -------- | ----------------------------------------- | --------------------------------------------------- |
 * | `deny`   | `deny`: admission is refused              | a violation fails synthesis                         |
 * | `warn`   | `warn`: admitted, the client sees a warning | reported (cdktf warning + `policies/POLICY-REPORT.md`) |
 * | `dryrun` | `dryrun`: admitted, only the audit records it | reported, like `warn`                            |
 */
export class PolicyEnforcement {
  /** Refuse violating objects. */
  public static readonly DENY = new PolicyEnforcement('deny');
  /** Admit violating objects with a warning. */
  public static readonly WARN = new PolicyEnforcement('warn');
  /** Admit violating objects; only the audit records them. */
  public static readonly DRY_RUN = new PolicyEnforcement('dryrun');

  /**
   * The enforcement of a mode name (`EnvironmentConfig.policyEnforcement`).
   * Throws a {@link ConfigError} naming `where` and `field` for an unknown mode.
   */
  public static of(mode: string, where = 'PolicyEnforcement', field = 'policyEnforcement'): PolicyEnforcement {
    switch (mode) {
      case 'deny':
        return PolicyEnforcement.DENY;
      case 'warn':
        return PolicyEnforcement.WARN;
      case 'dryrun':
        return PolicyEnforcement.DRY_RUN;
      default:
        throw new ConfigError(where, field, mode, `Use one of ${ENFORCEMENT_MODES.join(', ')}.`);
    }
  }

  private constructor(
    /** The mode name. */
    public readonly mode: EnforcementMode,
  ) {}

  /** The constraint's `spec.enforcementAction`. */
  public get gatekeeperAction(): GatekeeperEnforcementAction {
    return this.mode;
  }

  /** Whether a violation found at synth time fails synthesis. */
  public get failsSynth(): boolean {
    return this.mode === 'deny';
  }

  /** What synthesis does with a violation: `fail` or `report`. */
  public get synthBehaviour(): 'fail' | 'report' {
    return this.failsSynth ? 'fail' : 'report';
  }

  /** Strictness rank: dryrun < warn < deny. */
  public get rank(): number {
    return this.mode === 'deny' ? 2 : this.mode === 'warn' ? 1 : 0;
  }
}
