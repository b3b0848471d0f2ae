#!/usr/bin/env python3
"""Writes the seed inputs of tests/fuzz/corpus/<target>/seed-*.

    tests/fuzz/make-seeds.py        (from anywhere; rewrites the seeds)

Seeds come from samples/ and from the shapes the golden tests write, cut
down to a few KB each, so that the fuzzers start from real exports and the
replay tests stay fast. The output is deterministic (fixed times and
owners in archives, gzip without a time stamp): run it again and git shows
no change. Inputs the fuzzers found (crash-*) are committed by hand beside
the seeds and are never written or removed here.
"""
import bz2, ctypes, ctypes.util, gzip, io, json, lzma, os, sys, tarfile, zipfile

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
corpus = os.path.join(top, 'tests', 'fuzz', 'corpus')
samples = os.path.join(top, 'samples')


def sample(*parts):
    with open(os.path.join(samples, *parts), 'rb') as f:
        return f.read()


def head_lines(data, n):
    return b''.join(data.splitlines(keepends=True)[:n])


seeds = {t: {} for t in ('json', 'jsonl', 'csv', 'sqldump', 'names', 'profile', 'mapping', 'archive', 'view')}

# ---- JSON documents -------------------------------------------------------
J = seeds['json']
J['generic-profile'] = sample('generic', 'account', 'profile.json')
J['generic-inbox'] = sample('generic', 'messages', 'inbox.json')
J['response'] = sample('coursera-2015.response.json')
J['array-broken-element'] = (b'[\n {"id": 1, "timestamp": 1420070400, "what": "login"},\n'
                             b' {"id": 2, "timestamp": , "what": "broken"},\n'
                             b' {"id": 3, "timestamp": "2015-01-01T01:00:00Z"}\n]\n')
J['twitter-js'] = (b'\xef\xbb\xbfwindow.YTD.tweets.part0 = [ {"tweet": {"id_str": "1180000000000000001",'
                   b' "full_text": "caf\\u00e9 \\u003d ok", "big": 123456789012345678901234567890}} ]')
J['latin1'] = b'{"name": "Ren\xe9e", "city": "Z\xfcrich"}\n'
J['truncated'] = b'[{"id": "a"}, {"id": "b", "text": "cut here'
J['nested-300'] = b'[' + b'[' * 300 + b']' * 300 + b', {"id": "after"}]'
J['not-json'] = b'\x89PNG\r\n\x1a\n'
J['empty'] = b''
J['object-groups'] = (b'{"posts": [{"a": 1}, {"a": 2}], "profile": {"name": "N"}, "a/b~": [],'
                      b' "tags": ["x", 2], "n": 5, "more": [ {"b": 3}], "n": 6}')
J['scalars-and-reals'] = (b'[0.1, 1e300, -0.0, 2.0, 5e-324, 1.7976931348623157e308, -9223372036854775808,'
                          b' 18446744073709551616, "\\ud83d\\ude00", "\\u0000x", "\\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t",'
                          b' true, false, null, {}, []]')
J['keys'] = (b'[{"id": "k1", "_id": 7, "time": "2015-03-02T10:00:00Z", "a\\u0041": 1,'
             b' "": "empty key", "\xc3\xa9": {"z": [1, {"y": null}]}}]')
J['top-scalar'] = b'  "just a string"  \n'

# ---- JSON Lines -----------------------------------------------------------
L = seeds['jsonl']
L['generic-posts'] = sample('generic', 'posts', 'posts.jsonl')
L['clickstream'] = head_lines(sample('coursera-2015', 'compilers-003',
                                     'compilers-003_clickstream_export.jsonl'), 8)
L['crlf-blank-bad'] = b'{"id": "l1", "time": "2015-02-01T00:00:00Z"}\r\n\r\n{oops}\r\n{"id": "l3"}\r\n'
L['cr-only'] = b'{"a": 1}\r{"a": 2}\r\r[3]\r'
L['mixed'] = (b'1\n"two"\n[3, 4.5]\n{"id": 123456789012345678901234567890}\n'
              b'{"n": "Fran\xe7ois"}\n   \n{"unterminated": "\n{"x": {"y": {"z": []}}}')

# ---- CSV and TSV ----------------------------------------------------------
C = seeds['csv']
C['generic-logins'] = sample('generic', 'activity', 'logins.csv')
C['typing-samples'] = sample('coursera-2015', 'identity', 'typing_samples.csv')
C['cr-headerless'] = (b'12/03/16 14:05,2016-03-12 14:05:09|120d65|180u65,192.0.2.7\r'
                      b'12/03/16 14:07,2016-03-12 14:07:41|95d72|150u72,NULL\r')
C['tsv'] = b'course\tgrade\tdate\nmassive-001\t85.5\t2014-06-30\nmodel-002\t\t2014-09-01\n'
C['ragged-latin1'] = b'id,name,note\n1,Ann,ok\n2,Bob\n3,Cy,x,extra\n4,"D\xe9sir\xe9e","multi\nline"\n'
C['preamble'] = (b'Report generated on 2020-01-01, by X\nNotes:\n\n'
                 b'date;amount;who\n2020-01-01;12,50;A\n2020-01-02;-3;B\n')
C['quotes'] = (b'\xef\xbb\xbf"a","b ""quoted""",c\n"x"y,"z\r\nw",\n"open quote,never closed\n1,2,3\n')
C['escapes'] = b'path|note\nC:\\\\dir|a \\| pipe\n\\N|x\\"y\n'
C['dup-header'] = b'id,id,,name,id~2\n1,2,3,4,5\n6,7,8,9,10,11\n'
C['pipes-numbers'] = b'1|2|3\n4|5|6\n7|8\n'


def fnv(data):
    """fuzz_hash() of common.c: what the targets derive their options from."""
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def with_hash(base, want):
    """base with a numbered last row that makes want(hash) true."""
    for k in range(100000):
        data = base + b'%d,x,"q\nq"\n' % k
        if want(fnv(data)):
            return data
    raise SystemExit('no suffix found')


# read repeated past the 64 KiB layout sample (fuzz_csv.c), with the
# default options, and with the escape, a fixed header and a row bound
C['long-default'] = with_hash(b'id,name,note\n1,Ann,"a, b"\n2,B\xe9a,\n',
                              lambda h: (h >> 12) % 32 == 0 and not h & 1)
C['long-options'] = with_hash(b'Report\nid|name|note\n1|Ann|a\\|b\n',
                              lambda h: (h >> 12) % 32 == 0 and h & 1 and (h >> 7) % 4 == 0)

# ---- mysqldump ------------------------------------------------------------
S = seeds['sqldump']
S['hash-mapping'] = sample('coursera-2015', 'compilers-003', 'compilers-003_hash_mapping.sql')
S['forum'] = sample('coursera-2015', 'compilers-003', 'compilers-003_anonymized_forum.sql')
S['general'] = sample('coursera-2015', 'datasci-002', 'datasci-002_anonymized_general.sql')
S['literals'] = (b"INSERT INTO `t` (`a`,`b`,`c`,`d`,`e`) VALUES "
                 b"(NULL,-12,85.50,'it''s \\\\ \\n \\0 \\Z \\% \\_',_binary 'bin\\0'),"
                 b"(0x4869,X'00ff',b'101',_utf8mb4'caf\xc3\xa9',1e3),"
                 b"(007,18446744073709551616,\"dq \"\" \\\"\",'',NOW());\n")
S['comments-delimiter'] = (b"-- MySQL dump 10.13\n# hash comment\n/* c comment */\n"
                           b"/*!40101 SET NAMES utf8 */;\nDELIMITER ;;\n"
                           b"CREATE PROCEDURE p() BEGIN SELECT 1; END ;;\nDELIMITER ;\n"
                           b"LOCK TABLES `x` WRITE;\nINSERT IGNORE INTO db.x VALUES (1),(2);\n"
                           b"REPLACE INTO `x` VALUES (3);\nUNLOCK TABLES;\n")
S['create-and-mismatch'] = (b"CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `n\xe9` varchar(9),\n"
                            b"  PRIMARY KEY (`id`),\n  KEY `k` (`n\xe9`)\n) ENGINE=InnoDB;\n"
                            b"INSERT INTO `t` VALUES (1,'a'),(2),(3,'b','extra');\n"
                            b"INSERT INTO `u` VALUES (1,'no create');\n")
S['truncated'] = b"-- MySQL dump 10.13\nINSERT INTO `t` VALUES (1,'a'),(2,'b"
S['crlf'] = b"INSERT INTO `t` VALUES\r\n(1,'x\r\ny'),\r\n(2,'z');\r\n-- Dump completed\r\n"

# ---- names ----------------------------------------------------------------
N = seeds['names']
for key, raw in [
        ('plain', b'hello.txt'), ('utf8', 'caf\u00e9 \u65e5\u672c.json'.encode()),
        ('traversal', b'../../etc/passwd'), ('absolute', b'/etc//./shadow'),
        ('latin1', b'caf\xe9.txt'), ('escape', b'a\x1b[31mred.txt'),
        ('bidi', 'invoice\u202etxt.exe'.encode()), ('percent', b'100%41.txt %4 %zz %'),
        ('dot', b'.'), ('dotdot', b'..'), ('empty', b''), ('nul', b'a\x00b'),
        ('long', b'x' * 300 + b'.json'), ('long-utf8', '\u00e9'.encode() * 140 + b'.txt'),
        ('long-escapes', b'\x01' * 100 + b'.jpeg'), ('c1-del', b'x\xc2\x85y\x7f'),
        ('overlong-surrogate', b'\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf0\x9f\x98\x80'),
        ('slashes', b'///'), ('trailing', b'dir/name/'),
]:
    N[key] = raw

# ---- profiles -------------------------------------------------------------
P = seeds['profile']
P['generic'] = open(os.path.join(top, 'fs', 'profiles', 'generic.json'), 'rb').read()
P['coursera-spark'] = open(os.path.join(top, 'fs', 'profiles', 'coursera-spark.json'), 'rb').read()
P['syntax-error'] = b'{\n  "profile": "broken",\n  "tables": [ {"files": "*.json",} ]\n}\n'
P['small-mapping'] = json.dumps({
    'profile': 'small', 'raw': 'raw', 'records': 'data/records',
    'formats': {'sql': ['*.sql'], 'jsonl': ['*.jsonl'], 'csv': ['*.csv']},
    'tables': [{'files': '**/{course}_hash_mapping.sql'},
               {'files': '**/{course}_clickstream_export.jsonl', 'table': 'clicks'},
               {'files': 'identity/*.csv', 'table': 'typing', 'columns': ['when', 'keys']}],
    'schema': {'hash_mapping': ['_course', 'user_id', 'session_user_id'], 'clicks': ['key']},
    'subject': {'query': 'SELECT _course AS course, user_id FROM hash_mapping',
                'describe': "SELECT course || ': ' || user_id FROM subject"},
    'setup': ['CREATE TEMP VIEW v AS SELECT key, count(*) AS n FROM clicks GROUP BY key'],
    'nodes': [{'path': 'courses/{course}/{{me}}.txt', 'query': 'SELECT * FROM subject',
               'header': 'user', 'row': '{user_id} {course}', 'mtime': 'user_id'},
              {'path': 'clicks/{key}/../n', 'query': 'SELECT key, n FROM v', 'row': '{n}',
               'also_expected': [{'what': 'the IP', 'column': 'ip'}, {'what': 'the agent'}],
               'also_expected_law': 'GDPR Art. 15(1)'},
              {'path': 'fixed.txt', 'text': ['a fixed file', 'of two lines']}],
    'expect': [{'id': 'x', 'title': 'X', 'at': 'courses', 'expected': 'x', 'law': ['L'],
                'ask': 'Send x.', 'present': 'SELECT 1 FROM hash_mapping',
                'instead_query': 'SELECT key FROM clicks'},
               {'id': 'y', 'title': 'Y', 'at': 'clicks/{key}', 'for_each': 'SELECT key FROM clicks',
                'expected': 'y', 'law': ['L1', 'L2'], 'ask': 'Send y.', 'why': 'because'}],
}, indent=1).encode()
P['bad-types'] = b'{"profile": 1, "formats": {"yaml": ["*.yml"]}, "tables": {}}'
P['bad-pattern'] = b'{"tables": [{"files": "a{"}, {"files": "{}"}, {"files": "{a-b}"}]}'

# ---- data for the Coursera profile's tables ------------------------------
M = seeds['mapping']
for course in ('compilers-003', 'massiveteach-001'):
    for part in ('anonymized_forum', 'anonymized_general', 'hash_mapping'):
        M['%s-%s' % (course, part)] = sample('coursera-2015', course, '%s_%s.sql' % (course, part))
M['clickstream'] = L['clickstream']
M['typing-samples'] = C['typing-samples']


# ---- archives -------------------------------------------------------------
T = seeds['archive']
GENERIC = []
for root, dirs, files in os.walk(os.path.join(samples, 'generic')):
    dirs.sort()
    for name in sorted(files):
        path = os.path.join(root, name)
        GENERIC.append((os.path.relpath(path, os.path.join(samples, 'generic')),
                        open(path, 'rb').read()))
WHEN = (2015, 3, 2, 10, 0, 0)


def zip_of(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', method) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=WHEN), data, compress_type=method)
    return buf.getvalue()


def tar_of(members, fmt=tarfile.PAX_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=fmt) as t:
        for m in members:
            name, data = m[0], m[1]
            ti = tarfile.TarInfo(name)
            ti.mtime = 1425290400
            ti.uname = ti.gname = 'sarfs'
            if len(m) > 2:
                ti.type, ti.linkname = m[2], m[3]
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


T['generic-zip'] = zip_of(GENERIC)
T['generic-zip-stored'] = zip_of(GENERIC[:3], zipfile.ZIP_STORED)
T['generic-tar'] = tar_of(GENERIC[:3])
T['generic-tar-gz'] = gzip.compress(tar_of(GENERIC), mtime=0)
T['tar-bz2'] = bz2.compress(tar_of(GENERIC[:2]))
T['tar-xz'] = lzma.compress(tar_of(GENERIC[:2]))
T['zip-traversal'] = zip_of([('../../etc/passwd', b'root:x:0:0\n'), ('/etc/shadow', b'nope\n'),
                             ('a/../../b.txt', b'b\n'), ('ok/./fine.txt', b'fine\n'), ('..', b'dots\n')],
                            zipfile.ZIP_STORED)
T['zip-bomb'] = zip_of([('small.txt', b'fine\n'), ('zeros.bin', b'\0' * (4 << 20))])
parts = zip_of([('part%d.txt' % i, b'content of part %d\n' % i * 20) for i in range(1, 6)],
               zipfile.ZIP_STORED)
offs = [i for i in range(len(parts)) if parts.startswith(b'PK\x03\x04', i)]
T['zip-truncated'] = parts[:offs[3] + 60]
damaged = bytearray(zip_of([(n, ('[{"id": "%s", "text": "%s"}]\n' % (n, 'lorem ipsum ' * 50)).encode())
                            for n in ('a.json', 'b.json', 'c.json')]))
start = damaged.find(b'b.json') + len(b'b.json')
for i in range(start + 20, start + 40):
    damaged[i] ^= 0x5A
T['zip-corrupt'] = bytes(damaged)
# a name that is not UTF-8 and lacks the UTF-8 flag: read as CP437
cp = bytearray(zip_of([('caf_.txt', b'cp437\n')], zipfile.ZIP_STORED))
for i in range(len(cp) - 7):
    if cp[i:i + 8] == b'caf_.txt':
        cp[i + 3] = 0x82
T['zip-cp437'] = bytes(cp)
T['tar-links'] = tar_of([('data/real.txt', b'the real bytes\n'),
                         ('data/passwd', b'', tarfile.SYMTYPE, '/etc/passwd'),
                         ('data/escape', b'', tarfile.LNKTYPE, '../../etc/hostname'),
                         ('data/same.txt', b'', tarfile.LNKTYPE, 'data/real.txt'),
                         ('dev/null', b'', tarfile.CHRTYPE, ''),
                         ('dir', b'', tarfile.DIRTYPE, '')])
T['tar-names'] = tar_of([('long/' + 'x' * 300 + '.json', b'[]'),
                         (os.fsdecode(b'bad/caf\xe9.txt'), b'latin-1 name\n'),
                         ('ctrl/a\x1b[31mred.txt', b'escape\n'), ('pct/100%41.txt', b'percent\n'),
                         ('dup/same.txt', b'second\n'), ('dup/same.txt', b'first\n')],
                        tarfile.GNU_FORMAT)
T['tar-deep'] = tar_of([('/'.join(['d'] * 200) + '/bottom.txt', b'bottom\n')])


def libarchive_of(members, fmt, filt=None, options=()):
    """An archive written by libarchive itself (through ctypes): the
    formats Python cannot write, 7z and zstd. Entries carry no times."""
    la = ctypes.CDLL(ctypes.util.find_library('archive'))
    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    la.archive_write_new.restype = vp
    la.archive_entry_new.restype = vp
    for f in (fmt, filt, 'archive_write_close', 'archive_write_free'):
        if f:
            getattr(la, f).argtypes = [vp]
    la.archive_write_set_option.argtypes = [vp, cp, cp, cp]
    la.archive_write_open_memory.argtypes = [vp, vp, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]
    la.archive_entry_set_pathname.argtypes = [vp, cp]
    la.archive_entry_set_size.argtypes = [vp, ctypes.c_int64]
    la.archive_entry_set_filetype.argtypes = [vp, ctypes.c_uint]
    la.archive_entry_set_perm.argtypes = [vp, ctypes.c_uint]
    la.archive_write_header.argtypes = [vp, vp]
    la.archive_write_data.argtypes = [vp, cp, ctypes.c_size_t]
    la.archive_entry_free.argtypes = [vp]
    buf, used = ctypes.create_string_buffer(1 << 20), ctypes.c_size_t(0)
    a = la.archive_write_new()
    getattr(la, fmt)(a)
    if filt:
        getattr(la, filt)(a)
    for module, key, value in options:
        la.archive_write_set_option(a, module, key, value)
    la.archive_write_open_memory(a, buf, len(buf), ctypes.byref(used))
    for name, data in members:
        e = la.archive_entry_new()
        la.archive_entry_set_pathname(e, name.encode())
        la.archive_entry_set_size(e, len(data))
        la.archive_entry_set_filetype(e, 0o100000)
        la.archive_entry_set_perm(e, 0o644)
        la.archive_write_header(a, e)
        la.archive_write_data(a, data, len(data))
        la.archive_entry_free(e)
    la.archive_write_close(a)
    la.archive_write_free(a)
    return buf.raw[:used.value]


for method in (b'lzma2', b'ppmd', b'bzip2', b'copy'):
    T['7z-' + method.decode()] = libarchive_of(GENERIC[:2], 'archive_write_set_format_7zip',
                                               options=[(b'7zip', b'compression', method)])
T['tar-zst'] = libarchive_of(GENERIC[:2], 'archive_write_set_format_pax_restricted',
                             'archive_write_add_filter_zstd')
T['single-file'] = b'[{"id": "only", "created_at": "2016-02-01T12:00:00Z"}]\n'
T['empty'] = b''

# ---- views ----------------------------------------------------------------
V = seeds['view']
V['lawyer'] = sample('views', 'lawyer.view')
V['all-rules'] = (b'{"view": "all", "title": "every kind of rule", "include": ["raw", "posts/**/*.txt"],\n'
                  b' "exclude": ["*.jpg", "a/**/b"], "binary": "keep", "original_hashes": false,\n'
                  b' "redact": [{"rule": "who", "values": ["Ana Lima", "2210", "caf\\u00e9"]},\n'
                  b'  {"rule": "mail", "pattern": "email", "keep": ["bo@x.ch"]},\n'
                  b'  {"rule": "ip4", "pattern": "ipv4"}, {"rule": "ip6", "pattern": "ipv6"},\n'
                  b'  {"rule": "people", "fields": ["author", "name", "user_id"]},\n'
                  b'  {"rule": "hex", "regex": "\\\\b[0-9a-f]{40}\\\\b"}]}\n')
V['overlap'] = (b'{"view": "overlap", "redact": [{"rule": "a", "values": ["Ana", "Ana Lima", "Lima"]},'
                b' {"rule": "b", "values": ["Ana Lima"]}, {"rule": "c", "values": ["ima", "a L"]}]}')
V['placeholder-word'] = b'{"view": "word", "redact": [{"rule": "c", "values": ["redacted"]}]}'
V['exclude-all'] = b'{"view": "nothing", "exclude": ["*"]}'
V['bad-glob'] = b'{"view": "bad", "include": ["raw/[a-"]}'
V['bad-regex'] = b'{"view": "bad", "redact": [{"rule": "r", "regex": "(a|b"}]}'
V['syntax-error'] = b'{\n  "view": "broken",\n  "redact": [ {"rule": "x",} ]\n}\n'
V['unknown-field'] = b'{"view": "f", "redact": [{"rule": "f", "fields": ["no_such_field"]}]}'

# ---- write ----------------------------------------------------------------
for target, items in seeds.items():
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith('seed-'):
            os.unlink(os.path.join(d, f))
    for key, data in items.items():
        with open(os.path.join(d, 'seed-' + key), 'wb') as f:
            f.write(data)
print('wrote', sum(len(v) for v in seeds.values()), 'seeds', file=sys.stderr)
