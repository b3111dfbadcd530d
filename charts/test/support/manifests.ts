/** The parts of Kubernetes and Dapr objects the chart tests read. */

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  spec?: unknown;
  scopes?: string[];
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

export interface HttpProbe {
  httpGet?: { path: string; port: string | number };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  securityContext?: SecurityContext;
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  emptyDir?: { sizeLimit?: string };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  nodeName?: string;
  volumes?: Volume[];
  imagePullSecrets?: { name: string }[];
}

export interface Deployment extends Manifest {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: Metadata; spec: PodSpec };
  };
}

export interface Pod extends Manifest {
  spec: PodSpec;
}

export interface Service extends Manifest {
  spec: { selector: Record<string, string>; ports: { name?: string; port: number; targetPort?: string | number }[] };
}

export interface Ingress extends Manifest {
  spec: {
    rules: { host?: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
  };
}

export interface NetworkPolicyPort {
  protocol?: string;
  port?: string | number;
}

export interface NetworkPolicy extends Manifest {
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    ingress?: { from?: unknown[]; ports?: NetworkPolicyPort[] }[];
  };
}

export interface HorizontalPodAutoscaler extends Manifest {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas?: number; maxReplicas: number };
}

export interface PodDisruptionBudget extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    minAvailable?: number | string;
    maxUnavailable?: number | string;
  };
}

export interface ComponentMetadataEntry {
  name: string;
  value?: unknown;
  secretKeyRef?: { name: string; key: string };
}

export interface DaprComponent extends Manifest {
  spec: { type: string; version: string; metadata: ComponentMetadataEntry[] };
}

export interface DaprSubscription extends Manifest {
  spec: {
    pubsubname: string;
    topic: string;
    routes: { default?: string };
    deadLetterTopic?: string;
    metadata?: Record<string, string>;
  };
}

export interface AccessPolicy {
  appId: string;
  defaultAction?: string;
  namespace?: string;
  trustDomain?: string;
  operations?: { name: string; httpVerb: string[]; action: string }[];
}

export interface DaprConfiguration extends Manifest {
  spec: {
    tracing?: { samplingRate: string };
    accessControl?: { defaultAction: string; trustDomain?: string; policies?: AccessPolicy[] };
    api?: { allowed?: { name: string; version: string; protocol?: string }[] };
  };
}

export interface PolicyRefs {
  timeout?: string;
  retry?: string;
  circuitBreaker?: string;
}

export interface DaprResiliency extends Manifest {
  spec: {
    policies: {
      timeouts?: Record<string, string>;
      retries?: Record<string, unknown>;
      circuitBreakers?: Record<string, { trip?: string }>;
    };
    targets: {
      apps?: Record<string, PolicyRefs>;
      components?: Record<string, { inbound?: PolicyRefs; outbound?: PolicyRefs }>;
    };
  };
}

export const ofKind = <T extends Manifest>(objects: Manifest[], kind: string): T[] =>
  objects.filter((object) => object.kind === kind) as T[];

export const named = <T extends Manifest>(objects: T[], name: string): T => {
  const found = objects.find((object) => object.metadata.name === name);
  if (!found)
    throw new Error(`no object named ${name} among ${objects.map((object) => object.metadata.name).join(', ')}`);
  return found;
};

export const appIdOf = (deployment: Deployment): string =>
  deployment.spec.template.metadata.annotations?.['dapr.io/app-id'] ?? '';

/** True when every label of the selector is on the labels. */
export const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

export const metadataEntry = (component: DaprComponent, name: string): ComponentMetadataEntry | undefined =>
  component.spec.metadata.find((entry) => entry.name === name);

export const metadataValue = (component: DaprComponent, name: string): unknown => metadataEntry(component, name)?.value;

/** Parses Dapr's "app=topic1,topic2;app2=" topic scoping into app -> topics. */
export const parseTopicScopes = (raw: unknown): Map<string, string[]> =>
  new Map(
    String(raw ?? '')
      .split(';')
      .filter(Boolean)
      .map((entry) => {
        const [app, topics = ''] = entry.split('=');
        return [app, topics.split(',').filter(Boolean)];
      }),
  );
