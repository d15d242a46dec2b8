/** Every migration, oldest first. Add new ones at the end; never edit or reorder applied ones. */
import { CreateAccessRoles1795478400000 } from './1795478400000-CreateAccessRoles';
import { CreateTenants1795478400001 } from './1795478400001-CreateTenants';
import { CreateInventorySyncRuns1795478400002 } from './1795478400002-CreateInventorySyncRuns';
import { CreateInventoryItems1795478400003 } from './1795478400003-CreateInventoryItems';
import { CreateLiveRunsMonitor1795478400004 } from './1795478400004-CreateLiveRunsMonitor';
import { GuardSnapshotTables1795478400005 } from './1795478400005-GuardSnapshotTables';
import { AddSyncRunWarningCodes1795478400006 } from './1795478400006-AddSyncRunWarningCodes';
import { AddSyncRunTypeOutcomes1795478400007 } from './1795478400007-AddSyncRunTypeOutcomes';
import { CreateInventoryAssignments1795478400008 } from './1795478400008-CreateInventoryAssignments';
import { CreateSlotWaiters1795478400009 } from './1795478400009-CreateSlotWaiters';
import { CreateGraphTenantPacing1795478400010 } from './1795478400010-CreateGraphTenantPacing';

export const MIGRATIONS = [
  CreateAccessRoles1795478400000,
  CreateTenants1795478400001,
  CreateInventorySyncRuns1795478400002,
  CreateInventoryItems1795478400003,
  CreateLiveRunsMonitor1795478400004,
  GuardSnapshotTables1795478400005,
  AddSyncRunWarningCodes1795478400006,
  AddSyncRunTypeOutcomes1795478400007,
  CreateInventoryAssignments1795478400008,
  CreateSlotWaiters1795478400009,
  CreateGraphTenantPacing1795478400010,
];
