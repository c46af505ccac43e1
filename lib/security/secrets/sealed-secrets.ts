import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CHARTS } from '../../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../../platform/controller-install';
import { ConfigError } from '../../platform/errors';
import { SealedSecret as SealedSecretResource } from '../../imports/sealed-secrets';
import { checkProps } from '../../platform/config-boundary/props';

/** Options for {@link SealedSecretsInstall}. */
export interface SealedSecretsInstallProps extends ControllerInstallProps {
  /** Namespace of the controller. @default 'sealed-secrets' */
  readonly namespace?: string;
}

/**
 * Installs the Sealed Secrets controller with the pinned `sealed-secrets`
 * chart (controller 0.36.6). The controller is named `sealed-secrets-controller`
 * (kubeseal's default name); seal with
 * `kubeseal --controller-namespace sealed-secrets --controller-name sealed-secrets-controller`.
 * Its container is hardened to the restricted Pod Security profile.
 */
export class SealedSecretsInstall extends ControllerInstall {
  /** The controller's name (for `kubeseal --controller-name`). */
  public readonly controllerName = 'sealed-secrets-controller';

  constructor(scope: Construct, id: string, props: SealedSecretsInstallProps = {}) {
    // The key holder: one instance by design (the HA table).
    super(scope, id, props, { chart: CHARTS.sealedSecrets, defaultNamespace: 'sealed-secrets', releaseName: 'sealed-secrets', role: 'singleton' });
    this.installChart({
      values: {
        fullnameOverride: this.controllerName,
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        podSecurityContext: { enabled: true, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: {
          enabled: true,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          runAsUser: 1001,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
      facts: {
        serviceAccounts: [this.controllerName],
        crdKinds: ['bitnami.com/SealedSecret'],
        services: [{ name: this.controllerName, podLabels: { 'app.kubernetes.io/name': this.controllerName }, ports: [{ name: 'http', port: 8080 }] }],
      },
    });
  }
}

/** How widely a sealed value may be unsealed (kubeseal `--scope`). */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

/** Options for {@link SealedSecret}. */
export interface SealedSecretProps {
  /** The name of the SealedSecret and of the Secret it unseals to. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /**
   * Values already encrypted by `kubeseal` for this cluster's controller (base64
   * ciphertext), by Secret key. Plaintext is refused.
   */
  readonly encryptedData: Readonly<Record<string, string>>;
  /**
   * The Secret type.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * The sealing scope the values were sealed with.
   * @default 'strict'
   */
  readonly scope?: SealingScope;
  /**
   * Labels of the unsealed Secret (Argo CD secret types, ...).
   * @default {}
   */
  readonly secretLabels?: Readonly<Record<string, string>>;
}

/** RSA key sizes of the controller's sealing key, in bytes of ciphertext (2048, 3072, 4096 bits). */
const RSA_CIPHERTEXT_LENGTHS = [256, 384, 512];
const GCM_TAG_LENGTH = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Returns why `value` is not a kubeseal ciphertext, or undefined when it is.
 * A sealed value is standard base64 of: a 2-byte big-endian length of the
 * RSA-OAEP-encrypted session key (256, 384 or 512 bytes), that ciphertext,
 * then the AES-GCM ciphertext of the value with its 16-byte tag.
 */
export function sealedValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'it is empty';
  if (value.length % 4 !== 0 || !BASE64.test(value)) return 'it is not base64 ciphertext (plaintext?)';
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 2) return 'it is too short to be sealed';
  const rsaLength = bytes.readUInt16BE(0);
  if (!RSA_CIPHERTEXT_LENGTHS.includes(rsaLength) || bytes.length < 2 + rsaLength + GCM_TAG_LENGTH) {
    return 'it does not have the kubeseal ciphertext layout (base64-encoded plaintext?)';
  }
  return undefined;
}

/**
 * A SealedSecret: values encrypted with `kubeseal` for this cluster, safe to
 * commit; the controller unseals them into a Secret of the same name. Only
 * ciphertext is accepted: a value that is not kubeseal's base64 layout (plain
 * text, or plain text in base64 as in a Secret's `data`) is refused with a
 * {@link ConfigError}, and the message never repeats the value.
 */
export class SealedSecret extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The name of the Secret the controller writes. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    checkProps(this, 'SealedSecretProps', props);
    const keys = Object.keys(props.encryptedData ?? {});
    if (keys.length === 0) {
      throw new ConfigError(this.node.path, 'encryptedData', props.encryptedData, 'Give at least one value sealed with kubeseal.');
    }
    for (const key of keys) {
      const problem = sealedValueProblem(props.encryptedData[key]);
      if (problem) {
        throw new ConfigError(
          this.node.path,
          `encryptedData.${key}`,
          '(value withheld)',
          `It is not a sealed value: ${problem}. Seal it first: kubectl create secret generic ${props.name} --from-literal=${key}=... --dry-run=client -o yaml | kubeseal --format yaml, and pass the encryptedData it prints. Never put plaintext here.`,
        );
      }
    }
    const scopeAnnotations: Record<string, string> =
      props.scope === 'namespace-wide'
        ? { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }
        : props.scope === 'cluster-wide'
          ? { 'sealedsecrets.bitnami.com/cluster-wide': 'true' }
          : {};
    this.secretName = props.name;
    this.resource = new SealedSecretResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(Object.keys(scopeAnnotations).length > 0 ? { annotations: scopeAnnotations } : {}),
      },
      spec: {
        encryptedData: { ...props.encryptedData },
        template: {
          type: props.type ?? 'Opaque',
          metadata: {
            name: props.name,
            namespace: props.namespace,
            ...(props.secretLabels ? { labels: { ...props.secretLabels } } : {}),
            ...(Object.keys(scopeAnnotations).length > 0 ? { annotations: scopeAnnotations } : {}),
          },
        },
      },
    });
  }
}
