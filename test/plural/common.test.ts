import { checkGitRef, checkNamespace, checkObjectName, checkRef, checkRepoPath, DEFAULT_PLURAL_NAMESPACE, NamespacedRef, ref } from '../../src/plural/common';

describe('Plural common helpers', () => {
  test('GIVEN the default namespace WHEN read THEN it is "infra", where plural up puts its objects', () => {
    expect(DEFAULT_PLURAL_NAMESPACE).toBe('infra');
  });

  test('GIVEN a ref without namespace WHEN resolved THEN the namespace defaults to "infra"', () => {
    expect(ref({ name: 'fleet-repo' })).toEqual({ name: 'fleet-repo', namespace: 'infra' });
  });

  test('GIVEN a ref with a namespace WHEN resolved THEN that namespace is kept', () => {
    expect(ref({ name: 'fleet-repo', namespace: 'plural' })).toEqual({ name: 'fleet-repo', namespace: 'plural' });
  });

  test('GIVEN a ref WHEN resolved THEN a new object is returned and the input is untouched', () => {
    const input = { name: 'a' };
    const out = ref(input);
    expect(out).not.toBe(input);
    expect(input).toEqual({ name: 'a' });
  });

  test.each([
    'a',
    'cilium',
    'cilium-1-18',
    'a.b.c',
    '0abc',
    'a'.repeat(253),
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
  ])('GIVEN the subdomain name %p WHEN checked THEN it is accepted', (name) => {
    expect(() => checkObjectName('thing', name)).not.toThrow();
  });

  test.each([
    ['', 'thing: metadata name is missing'],
    ['a'.repeat(254), `thing: name "${'a'.repeat(254)}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)`],
    ['Cilium', 'thing: name "Cilium" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['-a', 'thing: name "-a" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['a-', 'thing: name "a-" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['a..b', 'thing: name "a..b" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['.a', 'thing: name ".a" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['a.', 'thing: name "a." must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['a_b', 'thing: name "a_b" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['a b', 'thing: name "a b" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)'],
  ])('GIVEN the subdomain name %p WHEN checked THEN it is refused', (name, message) => {
    expect(() => checkObjectName('thing', name)).toThrow(message);
  });

  test('GIVEN a name that is not a string WHEN checked THEN it is reported missing', () => {
    expect(() => checkObjectName('thing', undefined as unknown as string)).toThrow('thing: metadata name is missing');
    expect(() => checkObjectName('thing', 7 as unknown as string, true)).toThrow('thing: metadata name is missing');
  });

  test.each(['a', 'kube-system', 'a'.repeat(63), '0'])('GIVEN the label name %p WHEN checked as a label THEN it is accepted', (name) => {
    expect(() => checkObjectName('thing', name, true)).not.toThrow();
  });

  test.each([
    ['', 'thing: metadata name is missing'],
    ['a'.repeat(64), `thing: name "${'a'.repeat(64)}" is 64 characters long; at most 63 are allowed`],
    ['a.b', 'thing: name "a.b" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    ['Kube', 'thing: name "Kube" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    ['-a', 'thing: name "-a" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
  ])('GIVEN the label name %p WHEN checked as a label THEN it is refused', (name, message) => {
    expect(() => checkObjectName('thing', name, true)).toThrow(message);
  });

  test.each(['values', 'clusters/dev/values.yaml', './values', 'a..b/c', '.hidden/x', 'a/b/'])(
    'GIVEN the repository path %p WHEN checked THEN it is accepted', (path) => {
      expect(() => checkRepoPath('thing', 'folder', path)).not.toThrow();
    });

  test.each([
    ['', 'thing: folder must not be empty'],
    ['/etc', 'thing: folder "/etc" must be a path relative to the repository root, without ".."'],
    ['..', 'thing: folder ".." must be a path relative to the repository root, without ".."'],
    ['../x', 'thing: folder "../x" must be a path relative to the repository root, without ".."'],
    ['a/../b', 'thing: folder "a/../b" must be a path relative to the repository root, without ".."'],
    ['a/..', 'thing: folder "a/.." must be a path relative to the repository root, without ".."'],
  ])('GIVEN the repository path %p WHEN checked THEN it is refused', (path, message) => {
    expect(() => checkRepoPath('thing', 'folder', path)).toThrow(message);
  });

  test('GIVEN a path that is not a string WHEN checked THEN it is reported empty', () => {
    expect(() => checkRepoPath('thing', 'folder', undefined as unknown as string)).toThrow('thing: folder must not be empty');
  });

  test.each(['infra', 'kube-system', 'a'.repeat(63), '0'])('GIVEN the namespace %p WHEN checked THEN it is accepted', (ns) => {
    expect(() => checkNamespace('thing', 'namespace', ns)).not.toThrow();
  });

  test.each([
    ['', 'thing: namespace must not be empty'],
    [undefined, 'thing: namespace must not be empty'],
    ['a'.repeat(64), `thing: namespace "${'a'.repeat(64)}" is 64 characters long; at most 63 are allowed`],
    ['a.b', 'thing: namespace "a.b" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
    ['Infra', 'thing: namespace "Infra" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
  ])('GIVEN the namespace %p WHEN checked THEN it is refused', (ns, message) => {
    expect(() => checkNamespace('thing', 'namespace', ns as string)).toThrow(message);
  });

  test.each([
    { name: 'fleet-repo' },
    { name: 'fleet.repo', namespace: 'infra' },
    { name: 'a'.repeat(253), namespace: 'a'.repeat(63) },
  ])('GIVEN the ref %p WHEN checked THEN it is accepted', (r) => {
    expect(() => checkRef('thing', 'repository', r)).not.toThrow();
  });

  const SUBDOMAIN = 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)';
  test.each([
    [undefined, 'thing: repository is required'],
    [{}, 'thing: repository.name must not be empty'],
    [{ name: '' }, 'thing: repository.name must not be empty'],
    [{ name: 'Repo' }, `thing: repository.name "Repo" ${SUBDOMAIN}`],
    [{ name: 'a_b' }, `thing: repository.name "a_b" ${SUBDOMAIN}`],
    [{ name: 'a'.repeat(254) }, `thing: repository.name "${'a'.repeat(254)}" ${SUBDOMAIN}`],
    [{ name: 'r', namespace: '' }, 'thing: repository.namespace must not be empty'],
    [{ name: 'r', namespace: 'a.b' },
      'thing: repository.namespace "a.b" must consist of lowercase letters, digits and "-", and start and end with a letter or digit'],
  ])('GIVEN the ref %p WHEN checked THEN it is refused', (r, message) => {
    expect(() => checkRef('thing', 'repository', r as unknown as NamespacedRef)).toThrow(message);
  });

  test.each([undefined, 'main', 'v1.2.3', 'refs/heads/release', '0123abcd'])('GIVEN the git ref %p WHEN checked THEN it is accepted', (r) => {
    expect(() => checkGitRef('thing', r)).not.toThrow();
  });

  test.each(['', '   '])('GIVEN the git ref %p WHEN checked THEN it is refused', (r) => {
    expect(() => checkGitRef('thing', r)).toThrow('thing: git ref must not be empty');
  });
});
