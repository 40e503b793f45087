// Issue 18, item 6: the preprocessing exposes its intermediate images, from the one pipeline.
import { describe, expect, it } from 'vitest';
import { DIGIT_BOX, preprocessDigit, preprocessSteps } from '../../src/shared/images/preprocess';
import { BLACK, canvas, fillRect, WHITE } from '../preprocess/images';

describe('preprocessing steps', () => {
  it('dark ink on white paper: grey as it looked, inverted, cropped to the ink, 20 px, centred in 28×28', () => {
    const image = canvas(100, 80, WHITE);
    fillRect(image, 30, 10, 12, 50, BLACK);
    const steps = preprocessSteps(image);
    expect(steps.inverted).toBe(true);
    expect(steps.grey).toMatchObject({ width: 100, height: 80 });
    expect(steps.grey.data[0]).toBeCloseTo(1, 5); // white paper stays white in the greyscale step
    expect(steps.grey.data[20 * 100 + 35]).toBeCloseTo(0, 5);
    expect(steps.ink.data[0]).toBe(0); // after inversion, paper is 0
    expect(steps.ink.data[20 * 100 + 35]).toBe(1);
    expect(steps.cropped).toMatchObject({ width: 12, height: 50 });
    expect(steps.cropped.data.every((v) => v === 1)).toBe(true);
    expect(Math.max(steps.scaled.width, steps.scaled.height)).toBe(DIGIT_BOX);
    expect(steps.pixels).toHaveLength(784);
    expect(Array.from(steps.pixels)).toEqual(Array.from(preprocessDigit(image)));
  });

  it('light ink on dark paper is not inverted', () => {
    const image = canvas(40, 40, BLACK);
    fillRect(image, 10, 5, 6, 30, WHITE);
    const steps = preprocessSteps(image);
    expect(steps.inverted).toBe(false);
    expect(steps.cropped).toMatchObject({ width: 6, height: 30 });
  });
});
