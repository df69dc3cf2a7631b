import {
  COMMAND_LINE_ONLY,
  environmentVariable,
  longFlag,
  OPTION_LIST,
} from '../../platform/config/options.js';
import { closestName } from './closest-name.js';

/**
 * A warning for each `PARLEY_*` variable that sets nothing: a typo (`PARLEY_PROT`) or an option
 * only the command line takes (`PARLEY_CONFIG`). The server still starts; these only say why
 * the setting made no difference.
 */
export function environmentWarnings(variables: NodeJS.ProcessEnv): string[] {
  const known = OPTION_LIST.map(environmentVariable);
  const flagOnly = new Map(
    Object.values(COMMAND_LINE_ONLY).map((flag) => [environmentVariable(flag), longFlag(flag)]),
  );
  const warnings: string[] = [];
  for (const name of Object.keys(variables)
    .filter((n) => n.startsWith('PARLEY_') && !known.includes(n))
    .sort()) {
    const flag = flagOnly.get(name);
    if (flag !== undefined) {
      warnings.push(`${name} is ignored: ${flag} is read from the command line only`);
      continue;
    }
    const meant = closestName(name, known);
    const hint = meant === undefined ? '' : ` (did you mean ${meant}?)`;
    warnings.push(`${name} is ignored: no option has that name${hint}`);
  }
  return warnings;
}
