import { ManifestObject } from '../../gitops-tree';
import { compareNames } from '../../compare';
import { parsePromQL } from '../../promql-parse';
import { DeployViolation } from '../facts';
import { DeployedObject, Inventory, isObject, refOf } from '../inventory';
import { podTemplateOf } from '../pod-security';
import { KnownPods, KnownService, knownWorkloads, SelectorIndex, selectorMatches } from './network';

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Metrics Prometheus produces itself, with no scrape target. */
const BUILTIN_METRICS = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added', 'ALERTS', 'ALERTS_FOR_STATE']);

/** The metric names a PromQL expression selects (`{{ }}` template arguments stand for any value). */
export function metricNames(expr: string): string[] {
  return [...parsePromQL(expr.replace(/\{\{[^}]*\}\}/g, 'x')).metricNames];
}

/**
 * Rule `metrics.source`: every metric an AnalysisTemplate or a
 * PrometheusRule (SLOs, alerts) reads has a scrape source: a recording rule,
 * a known exporter of the charts (kube-state-metrics, node-exporter, the
 * controllers' own metrics), or, for the workloads' own metrics, a
 * ServiceMonitor/PodMonitor selecting the workloads that use the template.
 */
export function metricsViolations(inv: Inventory): DeployViolation[] {
  const out: DeployViolation[] = [];
  const { services, pods, servicesByLabels, podsByLabels } = knownWorkloads(inv);
  const recorded = new Set<string>();
  const monitors: ManifestObject[] = [];
  for (const d of inv.objects) {
    const o = d.object as ManifestObject & Json;
    if (o.kind === 'PrometheusRule') {
      for (const g of arr(isObject(o.spec) ? o.spec.groups : undefined)) for (const r of arr(g.rules)) if (typeof r.record === 'string') recorded.add(r.record);
    }
    if (o.apiVersion.startsWith('monitoring.coreos.com/') && (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) monitors.push(o);
  }
  const monitorSelects = (m: ManifestObject, ns: string, test: (spec: Json) => boolean): boolean => {
    const spec = ((m as Json).spec ?? {}) as Json;
    const nsSel = isObject(spec.namespaceSelector) ? spec.namespaceSelector : {};
    const inNs = nsSel.any === true || (Array.isArray(nsSel.matchNames) ? nsSel.matchNames.includes(ns) : ns === m.metadata.namespace);
    return inNs && test(spec);
  };
  const specOf = (m: ManifestObject): Json => ((m as Json).spec ?? {}) as Json;
  const serviceMonitors = monitors.filter((m) => m.kind === 'ServiceMonitor');
  const podMonitors = monitors.filter((m) => m.kind === 'PodMonitor');
  // What the tree's monitors select, each monitor looked up once in a label index.
  const monitoredServices = new Set<KnownService>();
  for (const m of serviceMonitors) {
    for (const s of servicesByLabels.candidates(specOf(m).selector)) {
      if (monitorSelects(m, s.namespace, (spec) => selectorMatches(spec.selector, s.labels))) monitoredServices.add(s);
    }
  }
  const monitoredPods = new Set<KnownPods>();
  for (const m of podMonitors) {
    for (const p of podsByLabels.candidates(specOf(m).selector)) {
      if (monitorSelects(m, p.namespace, (spec) => selectorMatches(spec.selector, p.labels))) monitoredPods.add(p);
    }
  }
  // Exporters whose metrics reach Prometheus: scraped by the chart itself, or by a monitor of the tree.
  const exporters = [
    ...services.filter((s) => s.monitoredByChart || s.scrapes || monitoredServices.has(s)).flatMap((s) => s.metrics),
    ...pods.filter((p) => p.metrics.length > 0 && monitoredPods.has(p)).flatMap((p) => p.metrics),
  ];
  const known = (metric: string): boolean =>
    BUILTIN_METRICS.has(metric) || recorded.has(metric) || exporters.some((prefix) => metric.startsWith(prefix));

  const podMonitorsBySelector = new SelectorIndex(podMonitors, (m) => specOf(m).selector);
  // Services in front of known pods that a ServiceMonitor selects, by the pods they select.
  const monitoredFronts = new SelectorIndex(
    services.filter((s) => s.podLabels && monitoredServices.has(s)),
    (s) => ({ matchLabels: s.podLabels }),
  );
  /** Whether a monitor scrapes pods with these labels in this namespace (directly, or through a Service). */
  const scraped = (ns: string, labels: Readonly<Record<string, string>>): boolean =>
    podMonitorsBySelector.selecting(labels).some((m) => monitorSelects(m, ns, () => true)) ||
    monitoredFronts.selecting(labels).some((s) => s.namespace === ns);
  const workloadMonitored = pods.filter((p) => !p.ref.startsWith('chart ')).some((p) => scraped(p.namespace, p.labels));

  // The Rollouts that name each template (a `templateName` anywhere in their spec).
  const rolloutsByTemplate = new Map<string, DeployedObject[]>();
  for (const u of inv.objects) {
    if (u.object.kind !== 'Rollout') continue;
    for (const name of templateNames((u.object as Json).spec)) {
      const list = rolloutsByTemplate.get(name);
      if (list) list.push(u);
      else rolloutsByTemplate.set(name, [u]);
    }
  }
  // The same queries recur in every service's templates.
  const namesOf = new Map<string, string[]>();
  const metricsOf = (expr: string): string[] => {
    let names = namesOf.get(expr);
    if (!names) namesOf.set(expr, (names = metricNames(expr)));
    return names;
  };

  for (const d of inv.objects) {
    const o = d.object as ManifestObject & Json;
    const spec = isObject(o.spec) ? o.spec : {};
    if (o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate') {
      const users = rolloutsByTemplate.get(o.metadata.name ?? '') ?? [];
      for (const m of arr(spec.metrics)) {
        const prom = isObject(m.provider) && isObject(m.provider.prometheus) ? m.provider.prometheus : undefined;
        if (!prom || typeof prom.query !== 'string') continue;
        for (const metric of metricsOf(prom.query)) {
          if (known(metric)) continue;
          const unscraped = users.filter((u) => {
            const pod = podTemplateOf(u.object as ManifestObject & { spec?: unknown });
            return !pod || !scraped(u.object.metadata.namespace ?? '', (pod.metadata?.labels ?? {}) as Record<string, string>);
          });
          if (users.length > 0 && unscraped.length === 0) continue;
          out.push({
            rule: 'metrics.source',
            object: refOf(o),
            source: d.source,
            message: `metric ${String(m.name)} reads "${metric}", which nothing scrapes${users.length > 0 ? ` from ${unscraped.map((u) => refOf(u.object)).join(', ')}` : ' (no Rollout uses the template)'}; the query returns no data and the analysis fails`,
            fix: 'Add a ServiceMonitor or PodMonitor that selects the workload\'s metrics port, or query a metric an exporter provides',
          });
        }
      }
    }
    if (o.kind === 'PrometheusRule') {
      const missing = new Map<string, string[]>();
      for (const g of arr(spec.groups)) {
        for (const r of arr(g.rules)) {
          if (typeof r.expr !== 'string') continue;
          const name = String(r.record ?? r.alert ?? '');
          for (const metric of metricsOf(r.expr)) {
            if (known(metric) || workloadMonitored) continue;
            missing.set(metric, [...(missing.get(metric) ?? []), name]);
          }
        }
      }
      for (const [metric, rules] of [...missing.entries()].sort(([a], [b]) => compareNames(a, b))) {
        out.push({
          rule: 'metrics.source',
          object: refOf(o),
          source: d.source,
          message: `rules ${[...new Set(rules)].slice(0, 3).join(', ')}${rules.length > 3 ? ', ...' : ''} read "${metric}", which no exporter, recording rule or workload monitor provides`,
          fix: 'Scrape the workloads that export it (ServiceMonitor/PodMonitor), or declare the exporter in the chart facts of the install that provides it',
        });
      }
    }
  }
  return out;
}

/** The values of every `templateName` field in a Rollout spec, each once. */
function templateNames(spec: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) {
        const x = v[keys[i]];
        if (keys[i] === 'templateName' && typeof x === 'string') out.add(x);
        else walk(x);
      }
    }
  };
  walk(spec);
  return out;
}
