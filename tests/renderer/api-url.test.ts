import { describe, expect, it } from 'vitest';
import { urlProblem } from '../../renderer/src/api-url.ts';

describe('API URL field', () => {
  it('accepts http and https URLs', () => {
    expect(urlProblem('http://127.0.0.1:8080')).toBeNull();
    expect(urlProblem(' https://scoring.example.com ')).toBeNull();
  });

  it('says in words what is wrong instead of dropping the URL', () => {
    expect(urlProblem('localhost:8080')).toMatch(/is not an http:\/\/ or https:\/\/ address/);
    expect(urlProblem('127.0.0.1:8080')).toMatch(/"127.0.0.1:8080" is not a URL: write it in full with http:\/\//);
    expect(urlProblem('')).toMatch(/Give the URL of the scoring API/);
  });
});
