// Pins the Helm CLI used to lint and render the generated bootstrap chart.
module gitops-platform/tools/helm

go 1.25

require helm.sh/helm/v4 v4.1.0
