import { describe, expect, it } from 'vitest';
import { GradeRuleSchema } from '../../../../shared/techpack';
import { nextId, splitList } from './ids';

describe('nextId', () => {
  it('skips ids already taken, so a removed row never hands its id (and its preflight link) to a new one', () => {
    expect(nextId('cw', [])).toBe('cw-1');
    expect(nextId('cw', ['cw-2'])).toBe('cw-3');
    expect(nextId('note', ['note-3', 'note-1'])).toBe('note-4');
  });
});

describe('splitList', () => {
  it('splits sizes and increments on commas and trims each piece', () => {
    expect(splitList('S, M ,L')).toEqual(['S', 'M', 'L']);
    expect(splitList('1.5')).toEqual(['1.5']);
  });
  it('keeps an empty piece so the schema refuses it instead of the editor dropping it unseen', () => {
    const increments = splitList('1,,2');
    expect(increments).toEqual(['1', '', '2']);
    const parsed = GradeRuleSchema.safeParse({ code: 'CH', unit: 'cm', increments });
    expect(parsed.success).toBe(false);
  });
});
