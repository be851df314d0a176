import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parser for whole numbers with a lower bound, with the exact
 * message users see: "Expected an integer from 1 and up, got 0".
 */
export function integer(min: number): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
      throw new InvalidArgumentError(`Expected an integer from ${min} and up, got ${JSON.stringify(value)}.`);
    }
    return number;
  };
}

/** Commander argument parser for regular expressions, reporting the syntax error. */
export function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (error) {
    throw new InvalidArgumentError(`Not a valid regular expression: ${(error as Error).message}`);
  }
}
