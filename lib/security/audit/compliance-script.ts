/**
 * The compliance reporter: a Python 3 script (standard library only) shipped
 * in a ConfigMap and run by {@link ComplianceReportJob} on the official Python
 * image. It reads the cluster through the Kubernetes API with the job's
 * service account (read-only) and Prometheus over HTTP, prints one JSON
 * report and exits 0 when the cluster is compliant, 1 when it is not (the Job
 * fails, so kube-state-metrics' `kube_job_status_failed` and the
 * `KubeJobFailed` alert carry the result), 2 when it cannot read what it needs.
 *
 * Checks:
 * - Gatekeeper: every constraint (all kinds of `constraints.gatekeeper.sh`)
 *   and its audit's `status.totalViolations`;
 * - Pod Security: every namespace (but `kube-*`) enforces at least its
 *   expected level (`POD_SECURITY_DEFAULT`, `POD_SECURITY_EXCEPTIONS`);
 * - Argo CD: every Application of `ARGOCD_NAMESPACE` is Synced and Healthy;
 * - Prometheus: no alert matching `PROMETHEUS_ALERTS` fires.
 *
 * Settings come from the environment: `GITOPS_ENVIRONMENT`, `PROMETHEUS_URL`,
 * `PROMETHEUS_ALERTS`, `ARGOCD_NAMESPACE`, `POD_SECURITY_DEFAULT`,
 * `POD_SECURITY_EXCEPTIONS` (JSON), `REPORT_RECIPIENTS`; the API server is the
 * in-cluster one (`KUBERNETES_SERVICE_HOST`, the mounted token and CA), or
 * `KUBERNETES_API_URL` with `SERVICE_ACCOUNT_DIR` for a test.
 */
export const COMPLIANCE_REPORT_SCRIPT = `#!/usr/bin/env python3
"""GitOps compliance report: Gatekeeper audit, Pod Security labels, Argo CD sync, firing alerts."""
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

LEVELS = {"privileged": 0, "baseline": 1, "restricted": 2}
CONSTRAINTS = "/apis/constraints.gatekeeper.sh/v1beta1"


class Unreadable(Exception):
    pass


def api_client():
    account = os.environ.get("SERVICE_ACCOUNT_DIR", "/var/run/secrets/kubernetes.io/serviceaccount")
    with open(os.path.join(account, "token"), encoding="utf-8") as f:
        token = f.read().strip()
    base = os.environ.get("KUBERNETES_API_URL")
    context = None
    if not base:
        host = os.environ["KUBERNETES_SERVICE_HOST"]
        port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
        base = "https://%s:%s" % ("[%s]" % host if ":" in host else host, port)
        context = ssl.create_default_context(cafile=os.path.join(account, "ca.crt"))

    def get(path):
        request = urllib.request.Request(base.rstrip("/") + path, headers={"Authorization": "Bearer " + token, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30, context=context) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise Unreadable("GET %s: HTTP %d" % (path, error.code))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise Unreadable("GET %s: %s" % (path, error))

    return get


def gatekeeper(get):
    discovery = get(CONSTRAINTS)
    kinds = sorted(r["name"] for r in (discovery or {}).get("resources", []) if "/" not in r["name"])
    constraints, findings = 0, []
    for plural in kinds:
        for item in (get("%s/%s" % (CONSTRAINTS, plural)) or {}).get("items", []):
            constraints += 1
            violations = item.get("status", {}).get("totalViolations", 0)
            if violations:
                findings.append({
                    "constraint": "%s/%s" % (item.get("kind", plural), item["metadata"]["name"]),
                    "enforcementAction": item.get("spec", {}).get("enforcementAction", "deny"),
                    "totalViolations": violations,
                })
    return {"installed": discovery is not None, "constraints": constraints, "findings": findings}


def pod_security(get, default, exceptions):
    namespaces = [n for n in get("/api/v1/namespaces")["items"] if not n["metadata"]["name"].startswith("kube-")]
    findings = []
    for n in namespaces:
        name = n["metadata"]["name"]
        enforced = (n["metadata"].get("labels") or {}).get("pod-security.kubernetes.io/enforce")
        expected = exceptions.get(name, default)
        if enforced not in LEVELS or LEVELS[enforced] < LEVELS[expected]:
            findings.append({"namespace": name, "enforce": enforced, "expected": expected})
    return {"namespaces": len(namespaces), "findings": findings}


def argocd(get, namespace):
    listed = get("/apis/argoproj.io/v1alpha1/namespaces/%s/applications" % namespace)
    items = (listed or {}).get("items", [])
    findings = []
    for app in items:
        status = app.get("status", {})
        sync = status.get("sync", {}).get("status", "Unknown")
        health = status.get("health", {}).get("status", "Unknown")
        if sync != "Synced" or health != "Healthy":
            findings.append({"application": "%s/%s" % (namespace, app["metadata"]["name"]), "sync": sync, "health": health})
    return {"installed": listed is not None, "applications": len(items), "findings": findings}


def alerts(prometheus, query):
    url = "%s/api/v1/query?%s" % (prometheus.rstrip("/"), urllib.parse.urlencode({"query": query}))
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            answer = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Unreadable("Prometheus %s: %s" % (prometheus, error))
    if answer.get("status") != "success":
        raise Unreadable("Prometheus %s: %s" % (prometheus, answer.get("error", answer.get("status"))))
    findings = sorted(
        ({"alert": r["metric"].get("alertname", ""), "namespace": r["metric"].get("namespace", ""), "severity": r["metric"].get("severity", "")} for r in answer["data"]["result"]),
        key=lambda a: (a["alert"], a["namespace"]),
    )
    return {"query": query, "findings": findings}


def main():
    env = os.environ
    default = env.get("POD_SECURITY_DEFAULT", "restricted")
    exceptions = json.loads(env.get("POD_SECURITY_EXCEPTIONS", "{}"))
    report = {
        "environment": env.get("GITOPS_ENVIRONMENT", ""),
        "recipients": [r for r in env.get("REPORT_RECIPIENTS", "").split(",") if r],
    }
    try:
        get = api_client()
        checks = {
            "gatekeeper": gatekeeper(get),
            "podSecurity": pod_security(get, default, exceptions),
            "argocd": argocd(get, env.get("ARGOCD_NAMESPACE", "argocd")),
            "alerts": alerts(env["PROMETHEUS_URL"], env.get("PROMETHEUS_ALERTS", 'ALERTS{alertstate="firing",severity="critical"}')),
        }
    except (Unreadable, KeyError, OSError) as error:
        report["error"] = str(error)
        print(json.dumps(report, sort_keys=True))
        return 2
    report["checks"] = checks
    report["findings"] = sum(len(c["findings"]) for c in checks.values())
    report["compliant"] = report["findings"] == 0
    print(json.dumps(report, sort_keys=True))
    return 0 if report["compliant"] else 1


if __name__ == "__main__":
    sys.exit(main())
`;
