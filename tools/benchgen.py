#!/usr/bin/env python3
"""Deterministic synthetic exports for tools/bench.sh.

    benchgen.py [--small] [--later] FORMAT N OUT

FORMAT is jsonl, json (one top-level array), csv, or sql (a Spark-style
mysqldump: one table, multi-row INSERTs of 1,000 rows). N records of about
2 KB each (so 100,000 records make about 200 MB of rendered files, like the
100,000-file tree the owner's measurements use), with ids, Unix times,
plain-text paragraphs and, in one record in a hundred, the word NEEDLE.
The same FORMAT and N always give the same bytes. --small makes records of
about 200 bytes (a short text), to measure records per second. --later
makes the same export asked for again later (for tools/bench-diff.sh): one
record in a thousand gone, one in a thousand with a changed text and vote
count, and a thousandth as many new records at the end.
"""
import json
import random
import sys

WORDS = ("the course peer grading forum week lecture quiz answer question student "
         "instructor deadline assignment review rubric score median thread post reply "
         "moderation report spam approved deleted locked hidden reason time actor method "
         "export data subject access request controller processor recipient purpose "
         "retention source profiling decision transfer safeguard consultation log").split()


def records(n, small=False):
    r = random.Random(20151102)
    for i in range(1, n + 1):
        words = [r.choice(WORDS) for _ in range(r.randint(8, 16) if small else r.randint(220, 320))]
        if i % 100 == 0:
            words[r.randrange(len(words))] = "NEEDLE"
        yield {
            "id": i,
            "thread_id": 1 + i % 997,
            "user_id": 1000 + r.randrange(5000),
            "post_time": 1391212800 + i * 61,
            "votes": r.randint(-3, 20),
            "deleted": int(r.random() < 0.02),
            "score": round(r.random() * 10, 2),
            "text": " ".join(words),
        }


def later(recs, n):
    for rec in recs:
        if rec["id"] % 1000 == 7:
            continue
        if rec["id"] % 1000 == 500:
            rec = dict(rec, votes=rec["votes"] + 1, text=rec["text"] + " (edited)")
        yield rec
    for k, rec in enumerate(records_of(n // 1000)):
        yield dict(rec, id=n + 1 + k, post_time=1391212800 + (n + 1 + k) * 61)


def sql_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main():
    args = sys.argv[1:]
    small = "--small" in args
    is_later = "--later" in args
    args = [a for a in args if a not in ("--small", "--later")]
    fmt, n, out = args[0], int(args[1]), args[2]
    global records, records_of
    full = records
    records_of = lambda k: full(k, small)
    records = (lambda k: later(records_of(k), k)) if is_later else records_of
    with open(out, "w", encoding="utf-8", newline="") as f:
        if fmt == "jsonl":
            for rec in records(n):
                f.write(json.dumps(rec) + "\n")
        elif fmt == "json":
            f.write("[\n")
            for i, rec in enumerate(records(n)):
                f.write((",\n" if i else "") + json.dumps(rec))
            f.write("\n]\n")
        elif fmt == "csv":
            cols = ["id", "thread_id", "user_id", "post_time", "votes", "deleted", "score", "text"]
            f.write(",".join(cols) + "\n")
            for rec in records(n):
                f.write(",".join('"%s"' % rec[c] if c == "text" else str(rec[c]) for c in cols) + "\n")
        elif fmt == "sql":
            f.write("-- MySQL dump 10.13  Distrib 5.5.40, for debian-linux-gnu (x86_64)\n"
                    "CREATE TABLE `forum_posts` (\n  `id` int(11) NOT NULL,\n"
                    "  `thread_id` int(11) NOT NULL,\n  `user_id` int(11) NOT NULL,\n"
                    "  `post_time` int(11) NOT NULL,\n  `votes` int(11) NOT NULL,\n"
                    "  `deleted` int(11) NOT NULL,\n  `score` decimal(5,2) NOT NULL,\n"
                    "  `post_text` mediumtext NOT NULL,\n  PRIMARY KEY (`id`)\n"
                    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
                    "LOCK TABLES `forum_posts` WRITE;\n")
            batch = []
            for rec in records(n):
                batch.append("(%d,%d,%d,%d,%d,%d,%.2f,%s)" % (
                    rec["id"], rec["thread_id"], rec["user_id"], rec["post_time"], rec["votes"],
                    rec["deleted"], rec["score"], sql_str(rec["text"])))
                if len(batch) == 1000:
                    f.write("INSERT INTO `forum_posts` VALUES " + ",".join(batch) + ";\n")
                    batch = []
            if batch:
                f.write("INSERT INTO `forum_posts` VALUES " + ",".join(batch) + ";\n")
            f.write("UNLOCK TABLES;\n-- Dump completed on 2016-01-12 10:41:07\n")
        else:
            sys.exit("unknown format: " + fmt)


if __name__ == "__main__":
    main()
