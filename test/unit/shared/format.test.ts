import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNumber, formatSeconds } from '@shared/format';

describe('number and time formatting (CLI and UI)', () => {
  it('shows four significant digits, exponents for tiny or huge magnitudes, and nothing as an em dash', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(12.3456)).toBe('12.35');
    expect(formatNumber(1234.56)).toBe('1,235');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1.5e-5)).toBe('1.500e-5');
    expect(formatNumber(2.5e7 + 0.25)).toBe('2.500e+7');
    expect(formatNumber(960130)).toBe('960,130'); // counts (parameters, events) print whole
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(undefined)).toBe('—');
  });

  it('writes durations in the unit a person reads', () => {
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(3.456)).toBe('3.46 s');
    expect(formatSeconds(42)).toBe('42.0 s');
    expect(formatSeconds(125)).toBe('2 min 05 s');
    expect(formatSeconds(7260)).toBe('2 h 01 min');
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T00:01:30Z')).toBe('1 min 30 s');
    expect(formatDuration(null, null)).toBe('—');
    expect(formatDuration('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:02Z'))).toBe('2.00 s');
  });

  it('uses binary units for sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(20 * 1024 ** 2)).toBe('20 MiB');
  });
});
