#!/usr/bin/env python3
"""Pack a folder as a zip or tar with a chosen member order, for the tests.

    pack.py zip|tar|tgz ORDER SRC_DIR OUT

ORDER is 'sorted', 'reversed' or 'shuffled' (a fixed seed): the tree sarfs
shows must not depend on it. Member times are set to fixed values that
differ between formats, and zip times are DOS local times, so any leak of
archive metadata or of TZ into the tree shows up in a diff.
"""
import os
import random
import sys
import tarfile
import time
import zipfile


def members(src):
    out = []
    for root, dirs, files in os.walk(src):
        for name in dirs + files:
            full = os.path.join(root, name)
            out.append((os.path.relpath(full, src), full))
    return out


def main():
    kind, order, src, out = sys.argv[1:5]
    items = sorted(members(src), key=lambda m: os.fsencode(m[0]))
    if order == 'reversed':
        items.reverse()
    elif order == 'shuffled':
        random.Random(20151101).shuffle(items)
    if kind == 'zip':
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
            for rel, full in items:
                try:
                    rel.encode('utf-8')
                except UnicodeEncodeError:
                    # a zip name that is not UTF-8 means CP437 (APPNOTE
                    # 4.4.4), not raw bytes: it cannot be the same name
                    continue
                info = zipfile.ZipInfo(rel + ('/' if os.path.isdir(full) else ''),
                                       date_time=(2020, 6, 1, 12, 0, 0))
                if os.path.isdir(full):
                    z.writestr(info, b'')
                else:
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with open(full, 'rb') as f:
                        z.writestr(info, f.read())
    else:
        mode = 'w:gz' if kind == 'tgz' else 'w'
        with tarfile.open(out, mode, format=tarfile.PAX_FORMAT) as t:
            for rel, full in items:
                ti = t.gettarinfo(full, arcname=rel)
                ti.mtime = 946684800 + len(rel)
                ti.uid = ti.gid = 0
                ti.uname = ti.gname = 'root'
                if ti.isfile():
                    with open(full, 'rb') as f:
                        t.addfile(ti, f)
                else:
                    t.addfile(ti)


if __name__ == '__main__':
    main()
