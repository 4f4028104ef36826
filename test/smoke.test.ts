import { Testing } from 'cdk8s';
test('cdk8s loads', () => { expect(Testing.app()).toBeDefined(); });
