import { ConfigError } from '../platform/errors';

// Name checks shared by the notification files (not part of the public API).

const KEY = /^[-._a-zA-Z0-9]+$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a key of the notifications Secret. */
export function checkSecretKey(field: string, key: string): string {
  if (!KEY.test(key)) {
    throw new ConfigError('NotificationService', field, key, 'Use a Secret key (letters, digits, ".", "_" and "-").');
  }
  return key;
}

/** Checks a service, template, trigger or subscription name. */
export function checkNotificationName(field: string, name: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ConfigError('Notifications', field, name, 'Use a lowercase name such as "on-sync-failed" or "slack".');
  }
  return name;
}
