#!/usr/bin/env python3
"""Checks the reference CSV files in this folder: python3 data/reference/validate-reference.py

Exit code 0 and "N passed, 0 failed" when every check holds; non-zero otherwise.
"""
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEADERS = {
    'countries.csv': ['alpha3', 'alpha2', 'numeric', 'name', 'officialName', 'historical', 'validFrom', 'validTo'],
    'commodities.csv': ['code', 'level', 'parent', 'description'],
    'codelists.csv': ['list', 'code', 'label', 'description', 'parent', 'quad', 'intensity', 'cameo'],
}
passed, failures = 0, []


def check(ok, message):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(message)


def load(name):
    raw = open(os.path.join(HERE, name), 'rb').read()
    check(not raw.startswith(b'\xef\xbb\xbf'), f'{name}: has a BOM')
    check(b'\r' not in raw, f'{name}: has CR characters (line endings must be LF)')
    check(raw.endswith(b'\n'), f'{name}: does not end with a newline')
    text = raw.decode('utf-8')  # raises if not UTF-8
    reader = csv.reader(io.StringIO(text, newline=''), strict=True)
    rows = list(reader)
    check(rows[0] == HEADERS[name], f'{name}: header {rows[0]} != {HEADERS[name]}')
    width = len(HEADERS[name])
    bad = [i for i, r in enumerate(rows, 1) if len(r) != width]
    check(not bad, f'{name}: rows with wrong column count: {bad[:5]}')
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def unique(rows, key, name, skip_empty=False):
    seen, dups = set(), []
    for r in rows:
        k = key(r)
        if skip_empty and not k:
            continue
        if k in seen:
            dups.append(k)
        seen.add(k)
    check(not dups, f'{name}: duplicate keys {dups[:5]}')


# countries ------------------------------------------------------------------------
countries = load('countries.csv')
unique(countries, lambda r: r['alpha3'], 'countries alpha3')
unique(countries, lambda r: r['alpha2'], 'countries alpha2', skip_empty=True)
unique(countries, lambda r: r['numeric'], 'countries numeric')
current = [r for r in countries if r['historical'] == 'false' and r['alpha3'] != 'WLD']
check(len(current) == 249, f'countries: {len(current)} current ISO 3166-1 rows, expected 249')
check(all(re.fullmatch(r'[A-Z]{3}', r['alpha3']) for r in countries), 'countries: bad alpha3')
check(all(re.fullmatch(r'[A-Z]{2}|', r['alpha2']) for r in countries), 'countries: bad alpha2')
check(all(re.fullmatch(r'\d{3}', r['numeric']) for r in countries), 'countries: numeric not 3 digits')
check(all(r['historical'] in ('true', 'false') for r in countries), 'countries: historical not true/false')
check(all(r['name'] and r['officialName'] for r in countries), 'countries: empty name')
date = re.compile(r'\d{4}(-\d{2}-\d{2})?|')
check(all(date.fullmatch(r['validFrom']) and date.fullmatch(r['validTo']) for r in countries), 'countries: bad date')
check(all(r['validFrom'] == r['validTo'] == '' for r in countries if r['historical'] == 'false'),
      'countries: dates on a current row')
for a3 in ('SUN', 'YUG', 'CSK', 'DDR', 'SCG', 'ANT'):
    check(any(r['alpha3'] == a3 and r['historical'] == 'true' for r in countries), f'countries: {a3} missing')
check(countries[-1]['alpha3'] == 'WLD' and countries[-1]['numeric'] == '000' and countries[-1]['alpha2'] == '',
      'countries: WLD must be the last row with numeric 000 and no alpha2')

# commodities ----------------------------------------------------------------------
commodities = load('commodities.csv')
unique(commodities, lambda r: r['code'], 'commodities code')
codes = {r['code'] for r in commodities}
check(all(r['parent'] in codes for r in commodities if r['parent']), 'commodities: parent missing')
check(all(r['level'] in ('total', 'chapter', 'heading', 'subheading') for r in commodities), 'commodities: bad level')
digits = {'chapter': 2, 'heading': 4, 'subheading': 6}
check(all(r['level'] == 'total' or (re.fullmatch(r'\d+', r['code']) and len(r['code']) == digits[r['level']]
                                    and r['code'].startswith(r['parent'] if r['parent'] != 'TOTAL' else ''))
          for r in commodities), 'commodities: code does not match level/parent')
check({f'{n:02d}' for n in range(1, 98)} <= codes, 'commodities: a chapter 01..97 is missing')
check(all(r['description'] for r in commodities), 'commodities: empty description')
for h in ('2709', '2710', '2711', '1001', '1003', '8802', '8806', '9301', '8526', '8803', '8805', '9305', '9306',
          '8710', '2701', '2716'):
    check(h in codes, f'commodities: heading {h} missing')

# codelists ------------------------------------------------------------------------
codelists = load('codelists.csv')
unique(codelists, lambda r: (r['list'], r['parent'], r['code']), 'codelists (list,parent,code)')
types = {r['code'] for r in codelists if r['list'] == 'eventType'}
check(len(types) == 16, f'codelists: {len(types)} eventTypes, expected 16')
check(all(r['parent'] in types for r in codelists if r['list'] == 'eventMode'), 'codelists: eventMode parent not an eventType')
check(all(r['label'] and r['description'] for r in codelists), 'codelists: empty label or description')
num = re.compile(r'-?\d+(\.\d+)?|')
check(all(num.fullmatch(r['intensity']) for r in codelists), 'codelists: bad intensity')
check(all(r['quad'] in '1234' and len(r['quad']) == 1 and re.fullmatch(r'\d{2}', r['cameo']) and r['intensity']
          for r in codelists if r['list'] == 'eventType'), 'codelists: eventType needs quad, intensity, cameo')
check(all(not (r['quad'] or r['cameo']) for r in codelists if r['list'] != 'eventType'),
      'codelists: quad/cameo outside eventType')
check(all(not r['intensity'] for r in codelists if r['list'] not in ('eventType', 'eventMode')),
      'codelists: intensity outside eventType/eventMode')

print('\n'.join(f'FAIL: {m}' for m in failures))
print(f'{passed} passed, {len(failures)} failed')
sys.exit(1 if failures else 0)
