/** Names and identities between the store (ECS names, `cluster/name` keys) and Kubernetes. */
import { expect } from 'chai';
import {
  dnsName,
  identityOfKey,
  identityOfMirror,
  identityOfUserCr,
  isDnsSubdomain,
  isMirror,
  isQualifiedKey,
  labelValue,
  mirrorName,
  qualifiedMirrorName,
} from '../../../controllers/bridge/names.js';

const cr = (name: string, spec: any = {}, annotations?: Record<string, string>, labels?: Record<string, string>) => ({
  metadata: { name, ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) },
  spec,
});

describe('bridge names', () => {
  it('keeps valid Kubernetes names and maps the others one-to-one with a hash', () => {
    expect(dnsName('web')).to.equal('web');
    expect(dnsName('a.b-c')).to.equal('a.b-c');
    const upper = dnsName('My_App');
    expect(upper).to.match(/^my-app-[0-9a-f]{6}$/);
    expect(isDnsSubdomain(upper)).to.equal(true);
    expect(dnsName('my-app')).to.not.equal(upper);
    expect(dnsName('My_App')).to.equal(upper); // deterministic
    for (const s of ['_x_', '---', 'A'.repeat(300), 'a..b', ':']) expect(isDnsSubdomain(dnsName(s)), s).to.equal(true);
    expect(dnsName('A'.repeat(300)).length).to.be.at.most(253);
  });

  it('names revision mirrors family.N', () => {
    expect(mirrorName(identityOfKey('TaskDefinitionRevision', 'web:3'))).to.equal('web.3');
    expect(mirrorName(identityOfKey('TaskDefinitionRevision', 'Web_App:12'))).to.match(/^web-app-[0-9a-f]{6}\.12$/);
    expect(mirrorName(identityOfKey('Task', 'prod/0a1b2c'))).to.equal('0a1b2c');
    expect(qualifiedMirrorName(identityOfKey('ContainerInstance', 'prod/i-a'))).to.equal('prod.i-a');
    expect(qualifiedMirrorName(identityOfKey('Cluster', 'prod'))).to.equal('prod');
  });

  it('derives the store identity of a user CR from metadata.name and spec.cluster', () => {
    expect(identityOfUserCr('Service', cr('web', { cluster: 'prod' }))).to.deep.equal({ kind: 'Service', name: 'web', cluster: 'prod', key: 'prod/web' });
    expect(identityOfUserCr('Service', cr('web', { cluster: 'arn:aws:ecs:us-east-1:1:cluster/prod' })).key).to.equal('prod/web');
    expect(identityOfUserCr('Service', cr('web', {})).key).to.equal('default/web');
    expect(identityOfUserCr('Cluster', cr('prod', {}))).to.deep.equal({ kind: 'Cluster', name: 'prod', cluster: '', key: 'prod' });
    // ECS names Kubernetes cannot hold: the annotation wins.
    expect(identityOfUserCr('TaskDefinition', cr('my-app', {}, { 'ecsplane.io/name': 'My_App' })).key).to.equal('My_App');
  });

  it('reads a mirror identity from its annotations and tells mirrors from user CRs', () => {
    const m = cr('0a1b', {}, { 'ecsplane.io/name': '0a1b', 'ecsplane.io/cluster': 'prod' }, { 'app.kubernetes.io/managed-by': 'ecsplane-bridge' });
    expect(isMirror(m)).to.equal(true);
    expect(identityOfMirror('Task', m)?.key).to.equal('prod/0a1b');
    expect(isMirror(cr('web'))).to.equal(false);
    expect(identityOfMirror('Task', cr('x'))).to.equal(undefined);
  });

  it('makes label values valid or drops them', () => {
    expect(labelValue('prod')).to.equal('prod');
    expect(labelValue('')).to.equal('');
    const long = labelValue('x'.repeat(100))!;
    expect(long.length).to.be.at.most(63);
    expect(labelValue('a b/c')).to.match(/^a-b-c-[0-9a-f]{6}$/);
    expect(isQualifiedKey('ecsplane.io/family')).to.equal(true);
    expect(isQualifiedKey('sim.ecsplane.io/start-delay')).to.equal(true);
    expect(isQualifiedKey('Bad Key')).to.equal(false);
    expect(isQualifiedKey('UPPER.io/x')).to.equal(false);
  });
});
