#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the row schemas of docs/api/openapi.yaml say exactly what the
collection descriptors say (src/core/okno-collection.c, printed by
`okno-central --dump-collections`): the same fields in the same order, all
required, with the same types, nullability, choice lists and length limits.

Usage: check-openapi.py OPENAPI_YAML OKNO_CENTRAL
Exits 1 and names every disagreement; before that it checks that it would
notice a broken document, so a check that cannot fail does not pass.
"""

import copy
import json
import subprocess
import sys

import yaml

# okno_field_check's limit for text fields whose descriptor names none.
DEFAULT_MAX_TEXT = 4096

SCALARS = {
    'uuid': {'type': 'string', 'format': 'uuid'},
    'date': {'type': 'string', 'format': 'date'},
    'timestamp': {'type': 'string', 'format': 'date-time'},
    'integer': {'type': 'integer', 'format': 'int64'},
    'number': {'type': 'number', 'format': 'double'},
    'boolean': {'type': 'boolean'},
}


def expected_property(field):
    kind = field['type']
    if kind in SCALARS:
        prop = dict(SCALARS[kind])
    elif kind == 'text':
        prop = {'type': 'string', 'maxLength': field['max_length'] or DEFAULT_MAX_TEXT}
    elif kind == 'choice':
        # An OpenAPI 3.0 enum must list null itself for a nullable choice.
        prop = {'type': 'string',
                'enum': field['choices'] + ([None] if field['nullable'] else [])}
    else:
        raise ValueError('unknown field type %r' % kind)
    if field['nullable']:
        prop['nullable'] = True
    return prop


def check_row_schema(name, collection, schema, problems):
    fields = collection['fields']
    names = [f['name'] for f in fields]
    where = 'schema %s (%s)' % (name, collection['name'])
    if schema.get('type') != 'object':
        problems.append('%s: type is not object' % where)
    if schema.get('additionalProperties') is not False:
        problems.append('%s: additionalProperties must be false' % where)
    if schema.get('required') != names:
        problems.append('%s: required is %r, the fields are %r'
                        % (where, schema.get('required'), names))
    props = schema.get('properties') or {}
    if list(props) != names:
        problems.append('%s: properties are %r, the fields are %r' % (where, list(props), names))
    for field in fields:
        got = props.get(field['name'])
        if got is None:
            continue
        got = {k: v for k, v in got.items() if k != 'description'}
        want = expected_property(field)
        if got != want:
            problems.append('%s.%s: the document says %r, the descriptor means %r'
                            % (where, field['name'], got, want))


def check(document, collections):
    problems = []
    schemas = document.get('components', {}).get('schemas', {})
    by_collection = {}
    for name, schema in schemas.items():
        owner = schema.get('x-okno-collection')
        if owner is not None:
            if owner in by_collection:
                problems.append('two schemas for %s: %s and %s'
                                % (owner, by_collection[owner], name))
            by_collection[owner] = name

    order = [c['name'] for c in collections]
    if schemas.get('CollectionName', {}).get('enum') != order:
        problems.append('CollectionName lists %r, the collections are %r'
                        % (schemas.get('CollectionName', {}).get('enum'), order))
    for collection in collections:
        name = by_collection.get(collection['name'])
        if name is None:
            problems.append('no schema has x-okno-collection: %s' % collection['name'])
            continue
        check_row_schema(name, collection, schemas[name], problems)
    for owner in by_collection:
        if owner not in order:
            problems.append('schema %s is for an unknown collection %s'
                            % (by_collection[owner], owner))

    page_items = (schemas.get('SnapshotPage', {}).get('properties', {})
                  .get('items', {}).get('items', {}))
    refs = [r.get('$ref') for r in page_items.get('oneOf', [])]
    wanted = ['#/components/schemas/%s' % by_collection[c] for c in order if c in by_collection]
    if refs != wanted:
        problems.append('SnapshotPage items oneOf is %r, expected %r' % (refs, wanted))
    return problems


def self_test(document, collections):
    """Breaks a copy of the document in ways a careless edit would."""
    schemas = document['components']['schemas']
    account = next(n for n, s in schemas.items() if s.get('x-okno-collection') == 'accounts')
    breakages = [
        lambda s: s[account]['properties'].pop('email'),
        lambda s: s[account]['properties']['balance_kop'].update(type='number'),
        lambda s: s[account]['properties']['inn'].pop('nullable'),
        lambda s: s[account]['properties']['kind']['enum'].pop(),
        lambda s: s[account].update(required=s[account]['required'][:-1]),
    ]
    for i, breakage in enumerate(breakages):
        broken = copy.deepcopy(document)
        breakage(broken['components']['schemas'])
        if not check(broken, collections):
            return 'breakage %d went unnoticed' % i
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding='utf-8') as f:
        document = yaml.safe_load(f)
    dump = subprocess.run([sys.argv[2], '--dump-collections'], check=True,
                          capture_output=True, text=True)
    collections = json.loads(dump.stdout)

    failure = self_test(document, collections)
    if failure:
        print('check-openapi: the check itself is broken: %s' % failure, file=sys.stderr)
        return 1
    problems = check(document, collections)
    for problem in problems:
        print('check-openapi: %s' % problem, file=sys.stderr)
    if problems:
        return 1
    print('check-openapi: %d row schemas agree with the descriptors' % len(collections))
    return 0


if __name__ == '__main__':
    sys.exit(main())
