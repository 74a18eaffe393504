import { add, convert, formatLength, neg, parseDecimal, rational, type LengthUnit, type Rational } from './measure';
import type { GradeRule } from './schema';

export interface GradeInput {
  value: string;
  unit: LengthUnit;
  sizes: readonly string[];
  baseSize: string;
  rule: GradeRule | null;
  /** The unit the table prints in. */
  tableUnit: LengthUnit;
}

/**
 * The graded values of one point of measure, exact, one per size: the base value at the base size,
 * and for each size away from it the increments between neighbouring sizes added (upwards) or taken
 * off (downwards). Throws RangeError with a message for a rule that does not fit the size range.
 */
export function gradeValues(input: GradeInput): Rational[] {
  const { sizes, baseSize, rule, tableUnit } = input;
  const base = sizes.indexOf(baseSize);
  if (base < 0) throw new RangeError(`The base size ${baseSize} is not in the size range ${sizes.join(', ')}.`);
  const steps = sizes.length - 1;
  let increments: Rational[] = [];
  if (rule) {
    if (rule.increments.length !== 1 && rule.increments.length !== steps)
      throw new RangeError(
        `Grade rule ${rule.code} has ${rule.increments.length} increments; the size range needs 1 or ${steps}.`,
      );
    const each = rule.increments.map((i) => convert(parseDecimal(i), rule.unit, tableUnit));
    increments = Array.from({ length: steps }, (_, k) => each[each.length === 1 ? 0 : k]!);
  } else increments = Array.from({ length: steps }, () => rational(0n));
  const values: Rational[] = new Array<Rational>(sizes.length);
  values[base] = convert(parseDecimal(input.value), input.unit, tableUnit);
  for (let i = base + 1; i < sizes.length; i++) values[i] = add(values[i - 1]!, increments[i - 1]!);
  for (let i = base - 1; i >= 0; i--) values[i] = add(values[i + 1]!, neg(increments[i]!));
  return values;
}

export function formatGraded(input: GradeInput): string[] {
  return gradeValues(input).map((v) => formatLength(v, input.tableUnit));
}

export function formatTolerance(tolerance: string, unit: LengthUnit, tableUnit: LengthUnit): string {
  return `±${formatLength(convert(parseDecimal(tolerance), unit, tableUnit), tableUnit)}`;
}
