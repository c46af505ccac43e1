import { App } from 'cdktf';
import { ENVIRONMENTS } from './environments';
import { validateEnvironments } from './stacks/validate-environment';
import { GitOpsStack } from './stacks/gitops-stack';
import { runApp } from './stacks/run-app';
import { printSummary } from './stacks/summary';

// One stack per environment: `cdktf synth` writes cdktf.out/stacks/<env>/ and
// the GitOps tree under dist/<env>/. A configuration error is printed once,
// without a stack trace, and the exit code is 1.
runApp(() => {
  const app = new App({ stackTraces: false });
  const stacks = validateEnvironments(ENVIRONMENTS).map(
    (environment) => new GitOpsStack(app, environment.name, { environment }),
  );
  app.synth();
  printSummary(app.outdir, stacks);
});
