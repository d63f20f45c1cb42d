import { describe, expect, it } from 'vitest';
import {
  duplicateName,
  evText,
  expandPattern,
  fileStem,
  patternProblem,
} from '../../../../src/shared/api/file-pattern.js';

describe('file-name patterns', () => {
  it('expands tokens and appends the extension', () => {
    expect(
      expandPattern('{name}_ev{ev}', { name: 'IMG_1', ev: '+2.00', index: 3, count: 7 }, 'tif'),
    ).toBe('IMG_1_ev+2.00.tif');
    // {index} is zero-padded to the width of the count
    expect(expandPattern('{index}-{name}', { name: 'a', index: 3, count: 12 }, 'jpg')).toBe(
      '03-a.jpg',
    );
    expect(expandPattern('{index}', { name: 'a', index: 7, count: 7 }, 'png')).toBe('7.png');
  });

  it('formats EVs as bracketeer bracket names frames', () => {
    expect([evText(2), evText(-0.5), evText(0), evText(1.25)]).toEqual([
      '+2.00',
      '-0.50',
      '+0.00',
      '+1.25',
    ]);
  });

  it('refuses separators, .., unknown tokens, unbalanced braces, hidden and empty names', () => {
    expect(patternProblem('{name}')).toBeNull();
    expect(patternProblem('a/{name}')).toMatch(/path separator/);
    expect(patternProblem('a\\{name}')).toMatch(/path separator/);
    expect(patternProblem('{name}..x')).toMatch(/'\.\.'/);
    expect(patternProblem('{nme}')).toMatch(/unknown token \{nme\}/);
    expect(patternProblem('{ev}', ['name', 'index'])).toMatch(/unknown token \{ev\}/);
    expect(patternProblem('{name')).toMatch(/unbalanced/);
    expect(patternProblem('x}')).toMatch(/unbalanced/);
    expect(patternProblem('.{name}')).toMatch(/hidden/);
    expect(patternProblem('  ')).toMatch(/empty/);
    expect(patternProblem('a:b')).toMatch(/must not contain/);
    expect(patternProblem('x'.repeat(201))).toMatch(/longer/);
  });

  it('finds names shared by two outputs, ignoring case', () => {
    expect(duplicateName(['a.jpg', 'b.jpg'])).toBeNull();
    expect(duplicateName(['a.jpg', 'A.JPG'])).toBe('A.JPG');
  });

  it('takes the stem of POSIX and Windows paths', () => {
    expect(fileStem('/x/y/photo.final.jpg')).toBe('photo.final');
    expect(fileStem('C:\\p\\IMG_2.JPG')).toBe('IMG_2');
    expect(fileStem('/x/.hidden')).toBe('.hidden');
  });
});
