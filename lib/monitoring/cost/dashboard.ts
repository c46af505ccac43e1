import { Panel } from '../dashboard';
import { DashboardDefinition } from '../dashboards';

/** The Prometheus form of a Kubernetes label key in `kube_namespace_labels` (`gitops.platform/team` -> `label_gitops_platform_team`). */
export function namespaceLabelMetricName(key: string): string {
  return `label_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Hourly cost of each container's CPU and memory allocation, from OpenCost's
 * exporter metrics (`container_cpu_allocation`, `container_memory_allocation_bytes`)
 * priced by its node's hourly rates.
 */
export function containerHourlyCost(): string {
  return (
    '(container_cpu_allocation * on (node) group_left () node_cpu_hourly_cost)' +
    ' or on (namespace, pod, container) ' +
    '(container_memory_allocation_bytes / 1073741824 * on (node) group_left () node_ram_hourly_cost)'
  );
}

/** Hourly cost per namespace (CPU plus memory). */
export function namespaceHourlyCost(): string {
  return (
    'sum by (namespace) (container_cpu_allocation * on (node) group_left () node_cpu_hourly_cost)' +
    ' + on (namespace) ' +
    'sum by (namespace) (container_memory_allocation_bytes / 1073741824 * on (node) group_left () node_ram_hourly_cost)'
  );
}

/** Hourly cost per team: the namespace costs joined with the team label of each namespace. */
export function teamHourlyCost(teamLabel: string): string {
  const label = namespaceLabelMetricName(teamLabel);
  return `sum by (${label}) ((${namespaceHourlyCost()}) * on (namespace) group_left (${label}) max by (namespace, ${label}) (kube_namespace_labels{${label}!=""}))`;
}

/** The cost dashboard: cluster cost, cost by team (the team label) and by namespace. */
export function costDashboard(teamLabel: string): DashboardDefinition {
  const label = namespaceLabelMetricName(teamLabel);
  return {
    uid: 'gitops-cost-allocation',
    title: 'Cost Allocation',
    description: `OpenCost: the cluster's hourly cost and its allocation to teams (namespace label ${teamLabel}) and namespaces.`,
    tags: ['gitops', 'cost', 'opencost'],
    refresh: '5m',
    timeFrom: 'now-7d',
    panels: [
      Panel.stat({ title: 'Cluster Cost per Hour', unit: 'currencyUSD', queries: [{ expr: 'sum(node_total_hourly_cost)' }] }),
      Panel.stat({ title: 'Cluster Cost per Month (projected)', unit: 'currencyUSD', queries: [{ expr: 'sum(node_total_hourly_cost) * 730' }] }),
      Panel.stat({
        title: 'Unallocated Share',
        unit: 'percentunit',
        queries: [{ expr: `1 - sum(${teamHourlyCost(teamLabel)}) / sum(node_total_hourly_cost)` }],
      }),
      Panel.timeSeries({ title: 'Cost per Hour by Team', unit: 'currencyUSD', queries: [{ expr: teamHourlyCost(teamLabel), legendFormat: `{{ ${label} }}` }] }),
      Panel.timeSeries({ title: 'Cost per Hour by Namespace', unit: 'currencyUSD', queries: [{ expr: `topk(10, ${namespaceHourlyCost()})`, legendFormat: '{{ namespace }}' }] }),
      Panel.table({ title: 'Monthly Cost by Team (projected)', unit: 'currencyUSD', queries: [{ expr: `${teamHourlyCost(teamLabel)} * 730` }] }),
    ],
  };
}
