import { EnvironmentConfig } from '../stacks/environment';
import { dev } from './dev';
import { dr } from './dr';
import { prod } from './prod';
import { staging } from './staging';

export { dev, dr, prod, staging };

/** The shipped environments, in promotion order, then production's standby. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [dev, staging, prod, dr];
