// The public API of Disaster recovery (Velero): named exports only; everything else in this folder is internal.
// The API report (api/gitops-platform-cdktf.api.md) shows every change to this surface in review.
export { BackupCredentials, VELERO_CREDENTIALS_KEY, VELERO_CREDENTIALS_SECRET } from './credentials';
export { BACKUP_STORAGE_LOCATION, DEFAULT_AWS_PLUGIN_IMAGE, VELERO_SERVICE_ACCOUNT, VeleroInstall } from './install';
export type { BackupAccessMode, VeleroInstallProps } from './install';
export { defaultSchedules, Recovery, RESTORE_FILE } from './recovery';
export type { RecoveryProps } from './recovery';
export { RESTORE_EXCLUDED_RESOURCES, restoreFrom, SEALING_KEY_LABEL } from './restore';
export type { RestoreOptions, ScheduleReference } from './restore';
export { BackupSchedule, isCron, isDuration } from './schedule';
export type { BackupScheduleProps } from './schedule';
export type { BackupScheduleSettings, BackupStorageSettings, RecoverySettings, StandbySettings } from './settings';
