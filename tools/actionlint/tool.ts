/**
 * actionlint, the GitHub Actions workflow linter (MIT), pinned to one release.
 * The tests build it from the Go module proxy into the tool cache
 * (`tools/go-install.ts`) and lint every workflow template with it.
 * Bump: `go list -m -versions github.com/rhysd/actionlint`, then change the version here.
 */
import type { GoTool } from '../go-install';

export const ACTIONLINT: GoTool = {
  name: 'actionlint',
  package: 'github.com/rhysd/actionlint/cmd/actionlint',
  version: 'v1.7.12',
};
