/**
 * EventBridge pattern matching, table-tested against the examples of the EventBridge user guide
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html and
 * eb-event-patterns.html): each row is a pattern, an event and whether it matches.
 */
import { expect } from 'chai';
import { EventPatternError, matchesPattern, parseEventPattern } from '../../../api/event-pattern.js';

/** The guide's example event (an EC2 state change) with the fields its operator examples filter on. */
const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    'event-type': 'ERROR',
    'file-type': 'photo.png',
    location: 'us-east-1',
    'filename': 'image.jpg',
    'numbers': [1, 2, 3],
    'eventVersion': null,
  },
};

const S3_EVENT = {
  version: '0',
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'uploads' }, object: { key: 'incoming/2026/report.csv', size: 1024 }, reason: 'PutObject' },
};

const cases: [string, object, object, boolean][] = [
  ['exact source', { source: ['aws.ec2'] }, EC2_EVENT, true],
  ['exact source, other service', { source: ['aws.s3'] }, EC2_EVENT, false],
  ['any of several values', { detail: { state: ['pending', 'terminated'] } }, EC2_EVENT, true],
  ['nested field mismatch', { detail: { state: ['running'] } }, EC2_EVENT, false],
  ['every field must match', { source: ['aws.ec2'], 'detail-type': ['Other'] }, EC2_EVENT, false],
  ['null matches null', { detail: { eventVersion: [null] } }, EC2_EVENT, true],
  ['null does not match a missing field', { detail: { missing: [null] } }, EC2_EVENT, false],
  ['number literal', { detail: { 'c-count': [5] } }, EC2_EVENT, true],
  ['string does not match number', { detail: { 'c-count': ['5'] } }, EC2_EVENT, false],
  ['array field: any element', { detail: { numbers: [3] } }, EC2_EVENT, true],
  ['resources array', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, EC2_EVENT, true],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, EC2_EVENT, true],
  ['prefix mismatch', { time: [{ prefix: '2018' }] }, EC2_EVENT, false],
  ['prefix ignoring case', { detail: { state: [{ prefix: { 'equals-ignore-case': 'TERM' } }] } }, EC2_EVENT, true],
  ['suffix', { detail: { 'file-type': [{ suffix: '.png' }] } }, EC2_EVENT, true],
  ['suffix mismatch', { detail: { 'file-type': [{ suffix: '.gif' }] } }, EC2_EVENT, false],
  ['suffix ignoring case', { detail: { 'file-type': [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }, EC2_EVENT, true],
  ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, EC2_EVENT, true],
  ['anything-but list hit', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, EC2_EVENT, false],
  ['anything-but number', { detail: { 'c-count': [{ 'anything-but': 0 }] } }, EC2_EVENT, true],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, EC2_EVENT, true],
  ['anything-but prefix hit', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, EC2_EVENT, false],
  ['anything-but suffix', { detail: { 'file-type': [{ 'anything-but': { suffix: '.txt' } }] } }, EC2_EVENT, true],
  ['anything-but ignoring case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'TERMINATED'] } }] } }, EC2_EVENT, false],
  ['anything-but wildcard', { detail: { 'file-type': [{ 'anything-but': { wildcard: '*.txt' } }] } }, EC2_EVENT, true],
  ['anything-but needs the field', { detail: { absent: [{ 'anything-but': 'x' }] } }, EC2_EVENT, false],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, EC2_EVENT, true],
  ['numeric range miss', { detail: { 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, EC2_EVENT, true],
  ['numeric =', { detail: { 'c-count': [{ numeric: ['=', 6] }] } }, EC2_EVENT, false],
  ['numeric on a string', { detail: { state: [{ numeric: ['>', 0] }] } }, EC2_EVENT, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, EC2_EVENT, true],
  ['exists false on present field', { detail: { state: [{ exists: false }] } }, EC2_EVENT, false],
  ['exists false on absent field', { detail: { 'no-such-field': [{ exists: false }] } }, EC2_EVENT, true],
  ['exists true on absent field', { detail: { 'no-such-field': [{ exists: true }] } }, EC2_EVENT, false],
  ['cidr IPv4', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, EC2_EVENT, true],
  ['cidr IPv4 miss', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, EC2_EVENT, false],
  ['cidr IPv6', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:0db8:1234::1' }, true],
  ['cidr IPv6 miss', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, false],
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, EC2_EVENT, true],
  ['wildcard', { detail: { location: [{ wildcard: 'us-*-1' }] } }, EC2_EVENT, true],
  ['wildcard miss', { detail: { location: [{ wildcard: 'eu-*' }] } }, EC2_EVENT, false],
  ['wildcard escaped star', { f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' }, true],
  ['wildcard escaped star is literal', { f: [{ wildcard: 'a\\*b' }] }, { f: 'axxb' }, false],
  ['$or of fields', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, EC2_EVENT, true],
  ['$or none', { $or: [{ source: ['aws.s3'] }, { 'detail-type': ['x'] }] }, EC2_EVENT, false],
  ['$or at the top with other fields', { source: ['aws.ec2'], $or: [{ region: ['us-west-1'] }, { account: ['1'] }] }, EC2_EVENT, true],
  ['several filters on one field: any', { detail: { state: [{ prefix: 'x' }, 'terminated'] } }, EC2_EVENT, true],
  ['S3 object created by prefix', { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['uploads'] }, object: { key: [{ prefix: 'incoming/' }] } } }, S3_EVENT, true],
  ['S3 other bucket', { source: ['aws.s3'], detail: { bucket: { name: ['other'] } } }, S3_EVENT, false],
  ['object size range', { detail: { object: { size: [{ numeric: ['>=', 1024, '<', 2048] }] } } }, S3_EVENT, true],
];

describe('EventBridge event patterns (documented examples)', () => {
  for (const [name, pattern, event, want] of cases) {
    it(`${name} → ${want ? 'match' : 'no match'}`, () => {
      expect(matchesPattern(parseEventPattern(JSON.stringify(pattern)), event)).to.equal(want);
    });
  }
});

const invalid: [string, string, RegExp][] = [
  ['not JSON', '{source', /not valid JSON/],
  ['not an object', '["aws.s3"]', /not an object/],
  ['a bare string value', '{"source":"aws.s3"}', /must be an object or an array/],
  ['empty array', '{"source":[]}', /Empty arrays/],
  ['unknown operator', '{"source":[{"startsWith":"aws"}]}', /Unrecognized match type startsWith/],
  ['two operators in one', '{"source":[{"prefix":"a","suffix":"b"}]}', /Only one key/],
  ['numeric with a string', '{"n":[{"numeric":[">","5"]}]}', /must be numeric/],
  ['numeric bad operator', '{"n":[{"numeric":["!=",5]}]}', /Unrecognized numeric range operator/],
  ['numeric reversed range', '{"n":[{"numeric":["<",5,">",1]}]}', /Bad numeric range/],
  ['exists not boolean', '{"n":[{"exists":"yes"}]}', /either true or false/],
  ['cidr not an address', '{"ip":[{"cidr":"10.0.0/8"}]}', /Nonstandard IP address/],
  ['$or with one branch', '{"$or":[{"a":["b"]}]}', /at least two/],
  ['wildcard with consecutive stars', '{"f":[{"wildcard":"a**"}]}', /Consecutive wildcard/],
  ['anything-but with an object list', '{"f":[{"anything-but":[{"a":1}]}]}', /only strings, numbers and null/],
];

describe('EventBridge event patterns: InvalidEventPatternException', () => {
  for (const [name, text, reason] of invalid) {
    it(name, () => {
      let err: unknown;
      try {
        parseEventPattern(text);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(EventPatternError);
      expect((err as EventPatternError).type).to.equal('InvalidEventPatternException');
      expect((err as Error).message).to.match(/^Event pattern is not valid\. Reason: /).and.to.match(reason);
    });
  }
});

describe('EventBridge event patterns: wildcard edge cases', () => {
  const wc = (p: string, v: string) => matchesPattern(parseEventPattern(JSON.stringify({ f: [{ wildcard: p }] })), { f: v });
  const rows: [string, string, boolean][] = [
    ['*', '', true],
    ['a*', 'a', true],
    ['*a', 'ba', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['*.png', 'dir/x.png', true],
    ['dir/*/x', 'dir/a/b/x', true],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
  ];
  for (const [p, v, want] of rows) it(`${p} vs ${JSON.stringify(v)} → ${want}`, () => expect(wc(p, v)).to.equal(want));
  it('many stars against a long value that does not match: answered (a backtracking RegExp would not return)', () => {
    const pattern = Array.from({ length: 200 }, () => 'a').join('*') + 'b';
    expect(wc(pattern, 'a'.repeat(5000))).to.equal(false);
  });
});
