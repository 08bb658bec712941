import type { Command } from '../command.ts';
import { applyCommand } from './apply.ts';
import { atCommand } from './at.ts';
import { deleteCommand } from './delete.ts';
import { diffCommand } from './diff.ts';
import { exportCommand } from './export.ts';
import { getCommand } from './get.ts';
import { historyCommand } from './history.ts';
import { importCommand } from './import.ts';
import { listCommand } from './list.ts';
import { revertCommand } from './revert.ts';
import { schemaCommand } from './schema.ts';
import { setCommand } from './set.ts';
import { verifyCommand } from './verify.ts';
import { watchCommand } from './watch.ts';

/** Every command, in the order the help lists them. */
export const commands: readonly Command[] = [
  getCommand,
  setCommand,
  deleteCommand,
  listCommand,
  historyCommand,
  atCommand,
  revertCommand,
  diffCommand,
  watchCommand,
  exportCommand,
  importCommand,
  applyCommand,
  verifyCommand,
  schemaCommand,
];
