import { EnvironmentConfig } from '../stacks/environment';
import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';

export { dev, prod, staging };

/** The shipped environments, in promotion order. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [dev, staging, prod];
