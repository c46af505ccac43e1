import { App } from 'cdktf';
import { GitOpsStack, runApp } from 'gitops-platform-cdktf';
import { qa } from './qa';
import { PaymentsStack } from './team-stack';

// (a) the whole platform for a custom environment, with some modules off;
// (b) a team's own TerraformStack with only the constructs it uses.
runApp(() => {
  const app = new App();
  new GitOpsStack(app, 'qa', { environment: qa });
  new PaymentsStack(app, 'payments', {
    environment: { ...qa, name: 'payments', modules: [], gitops: { ...qa.gitops, path: 'teams/payments' } },
  });
  app.synth();
});
