import { expect } from 'chai';
import { EcsError, ErrorType } from '../../../api/errors.js';
import { compileCql, MAX_CQL_LENGTH } from '../../../controllers/placement/index.js';

describe('placement/cql parser', () => {
  describe('accepts every subject, operator and combinator', () => {
    const valid: Array<[string, boolean]> = [
      // [expression, dynamic]
      ['attribute:ecs.instance-type == t2.micro', false],
      ['attribute:ecs.instance-type equals t2.micro', false],
      ['attribute:ecs.instance-type EQUALS t2.micro', false],
      ['attribute:ecs.instance-type != t2.micro', false],
      ['attribute:ecs.instance-type not_equals t2.micro', false],
      ['attribute:ecs.instance-type =~ t2.*', false],
      ['attribute:ecs.instance-type matches t2.*', false],
      ['attribute:ecs.instance-type !~ t2.*', false],
      ['attribute:ecs.instance-type not_matches t2.*', false],
      ['attribute:ecs.instance-type == t2.*', false],
      ['attribute:stack exists', false],
      ['attribute:stack !exists', false],
      ['attribute:stack ! exists', false],
      ['attribute:stack not_exists', false],
      ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', false],
      ['attribute:ecs.availability-zone in [us-east-1a]', false],
      ['attribute:ecs.availability-zone !in [us-east-1a, us-east-1b]', false],
      ['attribute:ecs.availability-zone not_in [us-east-1a,us-east-1b]', false],
      ["attribute:ecs.availability-zone in ['us-east-1a', \"us-east-1b\"]", false],
      ['attribute:size > 5', false],
      ['attribute:size >= 5', false],
      ['attribute:size < 5', false],
      ['attribute:size <= 5', false],
      ['agentConnected == true', false],
      ['agentConnected != false', false],
      ['agentConnected in [true, false]', false],
      ['agentConnected exists', false],
      ['agentVersion >= 1.20.0', false],
      ['agentVersion != 1.5.0', false],
      ['agentVersion =~ 1\\.8.*', false],
      ["ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", false],
      ['ec2InstanceId == i-abcd1234', false],
      ['registeredAt < 2018-01-01', false],
      ['registeredAt >= 2018-01-01T12:30:00Z', false],
      ['registeredAt > 2018-01-01T12:30:00.123+02:00', false],
      ['registeredAt == 2018-01-01', false],
      ['registeredAt in [2018-01-01, 2019-01-01]', false],
      ['registeredAt < 1514764800000', false],
      ['runningTasksCount == 0', true],
      ['runningTasksCount > 1', true],
      ['runningTasksCount in [0, 1]', true],
      ['task:group == service:production', true],
      ['task:group != service:production', true],
      ['task:group in [service:a, family:b]', true],
      ['task:group =~ service:.*', true],
      ['task:group exists', true],
      ['not(task:group == database)', true],
      ['!(attribute:a exists)', false],
      ['!attribute:a exists', false],
      ['not attribute:a exists', false],
      ['attribute:a exists && attribute:b exists', false],
      ['attribute:a exists and attribute:b exists', false],
      ['attribute:a exists AND attribute:b exists', false],
      ['attribute:a exists || attribute:b exists', false],
      ['attribute:a exists or attribute:b exists', false],
      ['attribute:a exists or (attribute:b exists and runningTasksCount == 0)', true],
      ['((attribute:a exists))', false],
      ['attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d', false],
      ["attribute:name == 'two words'", false],
      ['attribute:name == "it\\"s"', false],
      ['attribute:a==b&&attribute:c!=d||!attribute:e exists', false],
      ['  attribute:a   exists  ', false],
    ];
    for (const [expr, dynamic] of valid) {
      it(`compiles ${expr}`, () => {
        const c = compileCql(expr);
        expect(c.expression).to.equal(expr);
        expect(c.dynamic).to.equal(dynamic);
      });
    }

    it(`accepts exactly ${MAX_CQL_LENGTH} characters`, () => {
      const base = 'attribute:a exists';
      const expr = base + ' '.repeat(MAX_CQL_LENGTH - base.length);
      expect(expr.length).to.equal(MAX_CQL_LENGTH);
      expect(() => compileCql(expr)).not.to.throw();
    });
  });

  describe('rejects malformed expressions with a clear message', () => {
    const invalid: Array<[string, string | RegExp]> = [
      ['', 'expression is empty'],
      ['   ', 'expression is empty'],
      ['x'.repeat(2001), 'expression is 2001 characters long; the maximum is 2000'],
      ['attribute:x', "unexpected end of expression at position 11; expected an operator (==, !=, >, >=, <, <=, exists, !exists, in, !in, =~ or !~) after 'attribute:x'"],
      ['attribute:x ==', "unexpected end of expression at position 14; expected a value after '=='"],
      ['attribute:x == and', "unexpected keyword 'and' at position 15; expected a value after '=='"],
      ['attribute:x == )', "unexpected token ')' at position 15; expected a value"],
      ['attribute:x foo bar', "unexpected token 'foo' at position 12; expected an operator"],
      ['attribute:x !foo', "unexpected token '!' at position 12; expected an operator"],
      ['(attribute:x exists', "unexpected end of expression at position 19; expected ')' to close the '(' at position 0"],
      ['(attribute:x exists attribute:y exists)', "unexpected token 'attribute:y' at position 20; expected ')' to close the '(' at position 0"],
      ['attribute:x exists)', "unexpected token ')' at position 18; there is no matching '('"],
      ['attribute:x == a && )', "unexpected token ')' at position 20; expected a subject"],
      ['()', "unexpected token ')' at position 1; expected a subject"],
      ['foo == bar', "unknown subject 'foo' at position 0; expected a subject (attribute:<name>, agentConnected"],
      ['ecs.instance-type == t2.micro', "attribute names need the 'attribute:' prefix, e.g. attribute:ecs.instance-type"],
      ['attribute: == x', "missing attribute name after 'attribute:' at position 0"],
      ['attribute:x == a b', "unexpected token 'b' at position 17; expected 'and', 'or' or the end of the expression"],
      ['attribute:x = a', "unexpected character '=' at position 12; expected '==' or '=~'"],
      ['attribute:x exists & attribute:y exists', "unexpected character '&' at position 19; expected '&&'"],
      ['attribute:x exists | attribute:y exists', "unexpected character '|' at position 19; expected '||'"],
      ['attribute:x ~ a', "unexpected character '~' at position 12"],
      ['attribute:x in a', "unexpected token 'a' at position 15; expected '[' to start the list after 'in'"],
      ['attribute:x !in a', "expected '[' to start the list after '!in'"],
      ['attribute:x in [a b]', "unexpected token 'b' at position 18; expected ',' or ']' to close the list opened at position 15"],
      ['attribute:x in [a,', "unexpected end of expression at position 18; expected a value after ','"],
      ['attribute:x in [a', "unexpected end of expression at position 17; expected ',' or ']'"],
      ['attribute:x in []', "unexpected token ']' at position 16; expected a value after '['"],
      ['attribute:x =~ "("', "invalid regular expression '(' at position 15: Unterminated group"],
      ['attribute:x matches "[a-"', "invalid regular expression '[a-' at position 20"],
      ["attribute:x == 'abc", 'unterminated string starting at position 15'],
      ['and', "unexpected keyword 'and' at position 0; expected a subject"],
      ['attribute:x exists and or', "unexpected keyword 'or' at position 23; expected a subject"],
      ['attribute:x exists &&', 'unexpected end of expression at position 21; expected a subject'],
      ['!', 'unexpected end of expression at position 1; expected a subject'],
      ['not', 'unexpected end of expression at position 3; expected a subject'],
      ['== a', "unexpected token '==' at position 0; expected a subject"],
      ['[a]', "unexpected token '[' at position 0; expected a subject"],
      ["'attribute:x' exists", "unexpected token ''attribute:x'' at position 0; expected a subject"],
      ['runningTasksCount > abc', "invalid value 'abc' at position 20; expected a number for runningTasksCount"],
      ['runningTasksCount in [1, x]', "invalid value 'x' at position 25; expected a number"],
      ['registeredAt < yesterday', "invalid date 'yesterday' at position 15; expected a date such as 2018-01-01"],
      ['registeredAt < 2018-13-45', "invalid date '2018-13-45'"],
      ['agentConnected == maybe', "invalid value 'maybe' at position 18; expected true or false for agentConnected"],
      ['agentConnected > true', "operator '>' at position 15 cannot be used with subject 'agentConnected'"],
      ['agentConnected =~ tr.*', "operator '=~' at position 15 cannot be used with subject 'agentConnected'"],
      ['task:group > a', "operator '>' at position 11 cannot be used with subject 'task:group'"],
      ['task:group <= a', "operator '<=' at position 11 cannot be used"],
    ];
    for (const [expr, message] of invalid) {
      it(`rejects ${JSON.stringify(expr.length > 60 ? expr.slice(0, 20) + '…' : expr)}`, () => {
        let err: unknown;
        try {
          compileCql(expr);
        } catch (e) {
          err = e;
        }
        expect(err, 'should throw').to.be.instanceOf(EcsError);
        const e = err as EcsError;
        expect(e.type).to.equal(ErrorType.InvalidParameter);
        expect(e.field).to.equal('expression');
        if (typeof message === 'string') expect(e.bareMessage).to.contain(message);
        else expect(e.bareMessage).to.match(message);
      });
    }

    it('serialises as an ECS InvalidParameterException', () => {
      try {
        compileCql('attribute:x ==');
        expect.fail('should throw');
      } catch (e) {
        expect((e as EcsError).toJSON()).to.deep.equal({
          __type: 'InvalidParameterException',
          message: "unexpected end of expression at position 14; expected a value after '=='",
          field: 'expression',
        });
      }
    });
  });
});
