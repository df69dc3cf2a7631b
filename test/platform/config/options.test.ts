import { expect } from 'chai';
import { Option } from 'commander';
import {
  COMMAND_LINE_ONLY,
  configKey,
  environmentVariable,
  longFlag,
  OPTION_LIST,
} from '../../../platform/config/options.js';
import { DEFAULT_CONFIG } from '../../../platform/config/parley-config.js';

describe('The option table (platform/config/options)', () => {
  it('names variables PARLEY_ and the long flag in capitals, and keys the long flag in camelCase', () => {
    const dataDir = { flags: '--data-dir <dir>' };
    expect(longFlag({ flags: '-p, --port <port>' })).to.equal('--port');
    expect(environmentVariable(dataDir)).to.equal('PARLEY_DATA_DIR');
    expect(configKey(dataDir)).to.equal('dataDir');
  });

  it("keys each option in the config file by commander's own name for it", () => {
    for (const option of OPTION_LIST) {
      expect(configKey(option), option.flags).to.equal(new Option(option.flags).attributeName());
    }
  });

  it('gives no two options the same flag, variable or config key', () => {
    const flags = [...OPTION_LIST, ...Object.values(COMMAND_LINE_ONLY)].flatMap((option) =>
      option.flags.split(/[ ,]+/).filter((word) => word.startsWith('-')),
    );
    expect(new Set(flags).size).to.equal(flags.length);
    expect(new Set(OPTION_LIST.map(environmentVariable)).size).to.equal(OPTION_LIST.length);
    expect(new Set(OPTION_LIST.map(configKey)).size).to.equal(OPTION_LIST.length);
  });

  it('shows each default as a value its option reads back to the same default', () => {
    for (const option of OPTION_LIST.filter((o) => o.default !== undefined)) {
      const shown = option.value.show(option.default);
      const typed = shown.startsWith('"') ? (JSON.parse(shown) as string) : shown; // quotes are for show
      expect(option.value.parse(typed), option.flags).to.deep.equal(option.default);
    }
  });

  it('lets a switch, and only a switch, take an optional on|off', () => {
    for (const option of OPTION_LIST) {
      expect(option.flags.endsWith(' [on|off]'), option.flags).to.equal(option.value.isSwitch);
    }
  });

  it('makes the default configuration from each option’s default', () => {
    for (const option of OPTION_LIST) {
      expect(DEFAULT_CONFIG[option.field], option.field).to.equal(option.default);
    }
    expect(Object.keys(DEFAULT_CONFIG)).to.deep.equal(OPTION_LIST.map((option) => option.field));
  });
});
