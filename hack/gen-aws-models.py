#!/usr/bin/env python3
"""Generate the AWS API front end's service models from botocore (controllers/aws reads them).

    pip install botocore==1.43.11
    python3 hack/gen-aws-models.py          # writes api/aws-models/<service>.json
    python3 hack/gen-aws-models.py --check  # exits 1 if the committed files are stale

Each file keeps what the server needs to check input and shape output, nothing else (no documentation):
the protocol metadata, every operation (input/output shape names) and the shapes reachable from them
(type, members -> shape, required, enum, min/max, list member, map key/value). Tests and CI read the
committed JSON: they never need Python. Same botocore as hack/gen-schemas.py (one source of truth).
"""
import argparse
import gzip
import json
import os
import sys

import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'api', 'aws-models')
DATA = os.path.join(os.path.dirname(botocore.__file__), 'data')
BOTOCORE_VERSION = '1.43.11'
# service -> (botocore path, the operations served; None = all). Subsets keep the files small.
SERVICES = {
    'ecs': ('ecs/2014-11-13', None),
    'application-autoscaling': ('application-autoscaling/2016-02-06', [
        'RegisterScalableTarget', 'DescribeScalableTargets', 'DeregisterScalableTarget',
        'PutScalingPolicy', 'DescribeScalingPolicies', 'DeleteScalingPolicy',
        'PutScheduledAction', 'DescribeScheduledActions', 'DeleteScheduledAction', 'DescribeScalingActivities']),
    'autoscaling': ('autoscaling/2011-01-01', [
        'CreateAutoScalingGroup', 'DescribeAutoScalingGroups', 'UpdateAutoScalingGroup', 'DeleteAutoScalingGroup',
        'SetDesiredCapacity', 'DescribeAutoScalingInstances', 'SetInstanceProtection']),
    'elbv2': ('elbv2/2015-12-01', [
        'CreateTargetGroup', 'DescribeTargetGroups', 'DeleteTargetGroup',
        'ModifyTargetGroupAttributes', 'DescribeTargetGroupAttributes', 'DescribeTargetHealth']),
    'cloudwatch': ('cloudwatch/2010-08-01', ['PutMetricData', 'PutMetricAlarm', 'DescribeAlarms', 'DeleteAlarms', 'SetAlarmState']),
    'sqs': ('sqs/2012-11-05', [
        'CreateQueue', 'GetQueueUrl', 'GetQueueAttributes', 'SendMessage', 'SendMessageBatch', 'DeleteQueue', 'ListQueues']),
    'events': ('events/2015-10-07', [
        'PutRule', 'PutTargets', 'DescribeRule', 'ListRules', 'ListTargetsByRule', 'DeleteRule', 'RemoveTargets',
        'PutEvents']),
    'scheduler': ('scheduler/2021-06-30', ['CreateSchedule', 'GetSchedule', 'DeleteSchedule', 'ListSchedules']),
}
META_KEYS = ('apiVersion', 'jsonVersion', 'protocol', 'protocols', 'targetPrefix', 'signingName', 'serviceId',
             'endpointPrefix', 'xmlNamespace', 'awsQueryCompatible')
SHAPE_KEYS = ('type', 'required', 'enum', 'min', 'max', 'timestampFormat', 'exception')
# Query (XML) services also need the wire error code of each exception (`{"code", "httpStatusCode"}`).
QUERY_SHAPE_KEYS = SHAPE_KEYS + ('error', 'flattened')


def load(path):
    full = os.path.join(DATA, path, 'service-2.json')
    if os.path.exists(full + '.gz'):
        with gzip.open(full + '.gz') as f:
            return json.load(f)
    with open(full) as f:
        return json.load(f)


def compact(model, served=None):
    shapes = model['shapes']
    keys = QUERY_SHAPE_KEYS if 'query' in model['metadata'].get('protocols', [model['metadata']['protocol']]) else SHAPE_KEYS
    out_shapes = {}

    def visit(name):
        if name in out_shapes:
            return
        s = shapes[name]
        o = {k: s[k] for k in keys if k in s}
        out_shapes[name] = o
        if s['type'] == 'structure':
            o['members'] = {m: v['shape'] for m, v in s.get('members', {}).items()}
            for v in o['members'].values():
                visit(v)
        elif s['type'] == 'list':
            o['member'] = s['member']['shape']
            visit(o['member'])
        elif s['type'] == 'map':
            o['key'] = s['key']['shape']
            o['value'] = s['value']['shape']
            visit(o['key'])
            visit(o['value'])

    ops = {}
    for name, op in sorted(model['operations'].items()):
        if served is not None and name not in served:
            continue
        entry = {}
        for io in ('input', 'output'):
            if io in op:
                entry[io] = op[io]['shape']
                visit(op[io]['shape'])
        entry['errors'] = [e['shape'] for e in op.get('errors', [])]
        for e in entry['errors']:
            visit(e)
        ops[name] = entry
    return {
        'generatedFrom': f'botocore {botocore.__version__}',
        'metadata': {k: model['metadata'][k] for k in META_KEYS if k in model['metadata']},
        'operations': ops,
        'shapes': dict(sorted(out_shapes.items())),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--check', action='store_true')
    args = ap.parse_args()
    if botocore.__version__ != BOTOCORE_VERSION:
        sys.exit(f'botocore {botocore.__version__} installed; the models are generated from {BOTOCORE_VERSION}')
    os.makedirs(OUT_DIR, exist_ok=True)
    stale = []
    for svc, (path, served) in SERVICES.items():
        text = json.dumps(compact(load(path), served), indent=1, sort_keys=False) + '\n'
        out = os.path.join(OUT_DIR, f'{svc}.json')
        if args.check:
            if not os.path.exists(out) or open(out).read() != text:
                stale.append(out)
            continue
        with open(out, 'w') as f:
            f.write(text)
    if stale:
        sys.exit('stale (run python3 hack/gen-aws-models.py): ' + ', '.join(stale))


if __name__ == '__main__':
    main()
