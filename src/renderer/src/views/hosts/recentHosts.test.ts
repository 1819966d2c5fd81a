import { describe, expect, it } from 'vitest';
import { parseRecent, withRecent, withRenamed } from './recentHosts';

describe('recent hosts', () => {
  it('puts the opened host first, once, and keeps at most five', () => {
    let list: string[] = [];
    for (const name of ['a', 'b', 'c', 'b', 'd', 'e', 'f']) list = withRecent(list, name);
    expect(list).toEqual(['f', 'e', 'd', 'b', 'c']);
  });

  it('follows renames and removals', () => {
    expect(withRenamed(['a', 'b', 'c'], 'b', 'x')).toEqual(['a', 'x', 'c']);
    expect(withRenamed(['a', 'b', 'c'], 'b', 'a')).toEqual(['a', 'c']);
    expect(withRenamed(['a', 'b'], 'a', null)).toEqual(['b']);
  });

  it('reads only a list of names from storage', () => {
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent('["a", 3, "b"]')).toEqual(['a', 'b']);
  });
});
