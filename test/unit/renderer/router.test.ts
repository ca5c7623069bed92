import { describe, expect, it } from 'vitest';
import { buildHash, navigate, parseHash, useRoute } from '../../../renderer/src/lib/router.js';

describe('hash router', () => {
  it('parses routes with params and query', () => {
    expect(parseHash('#/runs/12')).toEqual({ name: 'run', params: { id: '12' }, query: {} });
    expect(parseHash('#/runs/12/inspect?by=entropy&key=a%2Fb.png')).toEqual({ name: 'inspect', params: { id: '12' }, query: { by: 'entropy', key: 'a/b.png' } });
    expect(parseHash('#/compare?ids=1,2,3')).toEqual({ name: 'compare', params: {}, query: { ids: '1,2,3' } });
    expect(parseHash('#/classify/4')).toEqual({ name: 'classification', params: { id: '4' }, query: {} });
    expect(parseHash('#/experiments')).toEqual({ name: 'experiments', params: {}, query: {} });
    expect(parseHash('#/experiments/6')).toEqual({ name: 'experiment', params: { id: '6' }, query: {} });
    expect(buildHash('experiment', { id: 6 })).toBe('#/experiments/6');
  });

  it('sends empty and unknown hashes home', () => {
    expect(parseHash('').name).toBe('datasets');
    expect(parseHash('#/nowhere/at/all').name).toBe('datasets');
  });

  it('builds hashes that parse back to the same route', () => {
    const hash = buildHash('inspect', { id: 3 }, { key: 'T72/x y.jpeg', by: 'wOff', empty: '' });
    expect(hash).toBe('#/runs/3/inspect?key=T72%2Fx+y.jpeg&by=wOff');
    expect(parseHash(hash)).toEqual({ name: 'inspect', params: { id: '3' }, query: { key: 'T72/x y.jpeg', by: 'wOff' } });
  });

  it('says which parameter is missing', () => {
    expect(() => buildHash('run')).toThrow('Route run needs the parameter "id".');
  });

  it('navigate updates the reactive route outside a browser', () => {
    const route = useRoute();
    navigate('dataset', { id: 5 });
    expect(route.value).toEqual({ name: 'dataset', params: { id: '5' }, query: {} });
  });
});
