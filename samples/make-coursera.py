#!/usr/bin/env python3
"""Write the synthetic Coursera "Spark" export of the founding case.

    samples/make-coursera.py [--variant 2015] [--out DIR]

The founding case, invented from end to end: "Dr. Tomas Brandt", a lecturer,
taught massiveteach-001 ("Massive Teaching: new skills required", 2014-02-03
to 2014-04-14) and took datasci-002 and compilers-003 as a learner. In 2015
he asked the platform for his data; in January 2016 it sent per course three
mysqldump files (hash mapping, anonymized forum, anonymized general) and a
clickstream export, plus two identity photos, his typing samples, one
contract and a cover note. The dump holds deletion and moderation as bare
0/1 flags, his current role only, his last access only: the gaps are the
point of the case, so this script must not fill them.

The output goes to samples/coursera-<variant>/, which is removed and
rewritten whole (or to --out, a folder that must be new or empty). The
script is deterministic: fixed data, times given as UTC text and converted
with calendar.timegm, ids hashed from fixed strings, no clock and no
unseeded randomness, so a re-run gives the same bytes and `git status`
stays clean. Only the standard library is used.

Layout of this file: table schemas (SCHEMAS), the data of each variant as
Python structures (VARIANTS -> a function returning an Export), and one
writer per file type (mysqldump text, clickstream JSON lines, typing-sample
CSV, JPEG, plain text). To add a variant, write a function that builds an
Export (it may start from export_2015() and change it) and register it in
VARIANTS. samples/README.md lists the ground truth tests rely on.

Never put real people's data here: names are invented, e-mail addresses are
@example.org, IP addresses come from the documentation ranges
192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24.
"""
import argparse
import calendar
import copy
import csv
import hashlib
import io
import json
import os
import random
import shutil
import struct
import sys
import time
from decimal import Decimal

# ---------------------------------------------------------------------------
# Helpers for the data

REQUIRED = object()          # a column without a default must be given


def T(text):
    """UTC 'YYYY-MM-DD HH:MM:SS' -> Unix seconds."""
    return calendar.timegm(time.strptime(text, '%Y-%m-%d %H:%M:%S'))


def TMS(text):
    """UTC 'YYYY-MM-DD HH:MM:SS.mmm' -> Unix milliseconds."""
    whole, ms = text.split('.')
    return T(whole) * 1000 + int(ms)


def hid(course, kind, uid):
    """A stable 40-hex-digit hash id, as the platform's hashed user ids."""
    return hashlib.sha1(('sarfs-sample/%s/%s/%s' % (course, kind, uid))
                        .encode('ascii')).hexdigest()


UNKNOWN = -1                 # the platform's "time unknown" (also 0)

UA_CHROME = ('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 '
             '(KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36')
UA_CHROME_LATE = ('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 '
                  '(KHTML, like Gecko) Chrome/38.0.2125.111 Safari/537.36')
UA_FIREFOX = 'Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0'
UA_SAFARI = ('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.75.14 '
             '(KHTML, like Gecko) Version/7.0.3 Safari/537.75.14')
UA_IPAD = ('Mozilla/5.0 (iPad; CPU OS 7_1 like Mac OS X) AppleWebKit/537.51.2 '
           '(KHTML, like Gecko) Version/7.0 Mobile/11D167 Safari/9537.53')

# His addresses (documentation ranges): home, university, phone.
IP_HOME = '192.0.2.17'
IP_UNI = '198.51.100.23'
IP_MOBILE = '203.0.113.50'

# ---------------------------------------------------------------------------
# Table schemas: (column, MySQL declaration, default for the data helpers)


class Table:
    def __init__(self, name, columns, keys, charset, auto_increment=None):
        self.name = name
        self.columns = columns           # [(name, decl, default)]
        self.keys = keys                 # ['PRIMARY KEY (`id`)', ...]
        self.charset = charset
        self.auto_increment = auto_increment   # column name or None

    def row(self, values):
        """A full row in column order from a dict; defaults fill the rest."""
        names = [c[0] for c in self.columns]
        extra = set(values) - set(names)
        if extra:
            raise ValueError('%s: unknown columns %s' % (self.name, sorted(extra)))
        out = []
        for name, _decl, default in self.columns:
            if name in values:
                out.append(values[name])
            elif default is REQUIRED:
                raise ValueError('%s: column %s missing' % (self.name, name))
            else:
                out.append(default)
        return out


def _t(name, columns, keys, charset, auto_increment=None):
    return name, Table(name, columns, keys, charset, auto_increment)


SCHEMAS = dict([
    _t('hash_mapping', [
        ('user_id', 'int(11) NOT NULL', REQUIRED),
        ('eventing_user_id', 'varchar(40) NOT NULL', REQUIRED),
        ('session_user_id', 'varchar(40) NOT NULL', REQUIRED),
        ('public_user_id', 'varchar(40) NOT NULL', REQUIRED),
    ], ['PRIMARY KEY (`user_id`)',
        'UNIQUE KEY `session_user_id` (`session_user_id`)'], 'utf8'),

    _t('forum_forums', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('parent_id', "int(11) NOT NULL DEFAULT '0'", 0),
        ('name', 'varchar(255) NOT NULL', REQUIRED),
        ('description', 'text NOT NULL', ''),
        ('type', "enum('qna','forum') NOT NULL DEFAULT 'forum'", 'forum'),
        ('deleted', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('can_post', "tinyint(1) NOT NULL DEFAULT '1'", 1),
        ('show_threads', "tinyint(1) NOT NULL DEFAULT '1'", 1),
        ('resolved_tag', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('display_order', "int(11) NOT NULL DEFAULT '0'", 0),
        ('open_time', "int(11) NOT NULL DEFAULT '-1'", UNKNOWN),
        ('forum_moderators_only', "tinyint(1) NOT NULL DEFAULT '0'", 0),
    ], ['PRIMARY KEY (`id`)', 'KEY `parent_id` (`parent_id`)'], 'utf8mb4', 'id'),

    _t('forum_threads', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('forum_id', 'int(11) NOT NULL', REQUIRED),
        ('user_id', 'int(11) NOT NULL', REQUIRED),
        ('posted_time', 'int(11) NOT NULL', REQUIRED),
        ('last_updated_time', 'int(11) NOT NULL', REQUIRED),   # derived
        ('last_updated_user', 'int(11) NOT NULL', REQUIRED),   # derived
        ('deleted', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('is_spam', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('stickied', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('approved', "tinyint(1) NOT NULL DEFAULT '1'", 1),
        ('unresolved', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('instructor_replied', "tinyint(1) NOT NULL DEFAULT '0'", 0),  # derived
        ('num_posts', "int(11) NOT NULL DEFAULT '0'", 0),              # derived
        ('num_views', "int(11) NOT NULL DEFAULT '0'", 0),
        ('votes', "int(11) NOT NULL DEFAULT '0'", 0),                  # derived
        ('locked', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('anonymous', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('title', 'varchar(255) NOT NULL', REQUIRED),
        ('triage_sync_status', "tinyint(4) NOT NULL DEFAULT '0'", 0),
        ('triage_status', 'varchar(32) DEFAULT NULL', None),
        ('private', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('problem_id', 'int(11) DEFAULT NULL', None),
    ], ['PRIMARY KEY (`id`)', 'KEY `forum_id` (`forum_id`)',
        'KEY `user_id` (`user_id`)'], 'utf8mb4', 'id'),

    _t('forum_posts', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('thread_id', 'int(11) NOT NULL', REQUIRED),
        ('user_id', 'int(11) NOT NULL', REQUIRED),
        ('post_time', 'int(11) NOT NULL', REQUIRED),
        ('edit_time', "int(11) NOT NULL DEFAULT '-1'", UNKNOWN),
        ('deleted', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('is_spam', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('original', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('stickied', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('approved', "tinyint(1) NOT NULL DEFAULT '1'", 1),
        ('anonymous', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('votes', "int(11) NOT NULL DEFAULT '0'", 0),                  # derived
        ('post_text', 'mediumtext NOT NULL', REQUIRED),
        ('user_agent', 'varchar(512) DEFAULT NULL', None),
        ('text_type', "enum('markdown','html') NOT NULL DEFAULT 'markdown'", 'markdown'),
    ], ['PRIMARY KEY (`id`)', 'KEY `thread_id` (`thread_id`)',
        'KEY `user_id` (`user_id`)'], 'utf8mb4', 'id'),

    _t('forum_comments', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('thread_id', 'int(11) NOT NULL', REQUIRED),
        ('post_id', 'int(11) NOT NULL', REQUIRED),
        ('user_id', 'int(11) NOT NULL', REQUIRED),
        ('post_time', 'int(11) NOT NULL', REQUIRED),
        ('deleted', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('is_spam', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('votes', "int(11) NOT NULL DEFAULT '0'", 0),                  # derived
        ('anonymous', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('comment_text', 'mediumtext NOT NULL', REQUIRED),
        ('user_agent', 'varchar(512) DEFAULT NULL', None),
        ('text_type', "enum('markdown','html') NOT NULL DEFAULT 'markdown'", 'markdown'),
    ], ['PRIMARY KEY (`id`)', 'KEY `thread_id` (`thread_id`)',
        'KEY `post_id` (`post_id`)', 'KEY `user_id` (`user_id`)'], 'utf8mb4', 'id'),

    _t('forum_reporting', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('user_id', 'int(11) NOT NULL', REQUIRED),
        ('report_type', "enum('inappropriate','technical') NOT NULL", REQUIRED),
        ('item_type', "enum('post','comment') NOT NULL", REQUIRED),
        ('item_id', 'int(11) NOT NULL', REQUIRED),
        ('description', 'text', None),
        ('timestamp', "int(11) NOT NULL DEFAULT '-1'", UNKNOWN),
    ], ['PRIMARY KEY (`id`)', 'KEY `item` (`item_type`,`item_id`)'], 'utf8mb4', 'id'),

    _t('forum_reputation_record', [
        ('user_id', 'int(11) NOT NULL', REQUIRED),
        ('pc_id', 'int(11) NOT NULL', REQUIRED),
        ('type', "enum('post','comment') NOT NULL", REQUIRED),
        ('direction', 'tinyint(4) NOT NULL', REQUIRED),
        ('timestamp', "int(11) NOT NULL DEFAULT '-1'", UNKNOWN),
    ], ['PRIMARY KEY (`user_id`,`pc_id`,`type`)', 'KEY `pc` (`type`,`pc_id`)'],
        'utf8mb4'),

    _t('users', [
        ('session_user_id', 'varchar(40) NOT NULL', REQUIRED),
        ('locale', 'varchar(16) DEFAULT NULL', None),
        ('timezone', 'varchar(64) DEFAULT NULL', None),
        ('access_group_id', 'int(11) NOT NULL', REQUIRED),
        ('registration_time', "int(11) NOT NULL DEFAULT '-1'", UNKNOWN),
        ('last_access_time', "int(11) NOT NULL DEFAULT '-1'", UNKNOWN),
        ('email_announcement', "tinyint(1) NOT NULL DEFAULT '1'", 1),
        ('email_forum', "tinyint(1) NOT NULL DEFAULT '1'", 1),
        ('in_signature_track', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('wishes_proctored_exam', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('email_review', "tinyint(1) NOT NULL DEFAULT '1'", 1),
        ('deleted', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('signature_track_register_time', "int(11) NOT NULL DEFAULT '0'", 0),
    ], ['PRIMARY KEY (`session_user_id`)',
        'KEY `access_group_id` (`access_group_id`)'], 'latin1'),

    _t('access_groups', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('name', 'varchar(64) NOT NULL', REQUIRED),
        ('forum_moderate', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('forum_banned', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('admin_access', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('forum_title', 'varchar(64) DEFAULT NULL', None),
    ], ['PRIMARY KEY (`id`)'], 'utf8', 'id'),

    _t('course_grades', [
        ('session_user_id', 'varchar(40) NOT NULL', REQUIRED),
        ('normal_grade', "decimal(5,2) NOT NULL DEFAULT '0.00'", Decimal('0.00')),
        ('distinction_grade', "decimal(5,2) NOT NULL DEFAULT '0.00'", Decimal('0.00')),
        ('achievement_level', "enum('none','normal','distinction') NOT NULL DEFAULT 'none'",
         'none'),
        ('authenticated_overall', "tinyint(1) NOT NULL DEFAULT '0'", 0),
        ('ace_grade', "decimal(5,2) NOT NULL DEFAULT '0.00'", Decimal('0.00')),
        ('passed_ace', "tinyint(1) NOT NULL DEFAULT '0'", 0),
    ], ['PRIMARY KEY (`session_user_id`)'], 'utf8'),

    _t('lecture_submission_metadata', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('item_id', 'int(11) NOT NULL', REQUIRED),
        ('session_user_id', 'varchar(40) NOT NULL', REQUIRED),
        ('submission_time', 'int(11) NOT NULL', REQUIRED),
        ('submission_number', "int(11) NOT NULL DEFAULT '1'", 1),
        ('raw_score', 'double DEFAULT NULL', None),
        ('action', "enum('view','download') NOT NULL DEFAULT 'view'", 'view'),
    ], ['PRIMARY KEY (`id`)', 'KEY `item_id` (`item_id`)',
        'KEY `session_user_id` (`session_user_id`)'], 'utf8', 'id'),

    _t('quiz_submission_metadata', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('item_id', 'int(11) NOT NULL', REQUIRED),
        ('session_user_id', 'varchar(40) NOT NULL', REQUIRED),
        ('submission_time', 'int(11) NOT NULL', REQUIRED),
        ('submission_number', "int(11) NOT NULL DEFAULT '1'", 1),
        ('raw_score', 'double DEFAULT NULL', None),
        ('authenticated_submission_id', 'int(11) DEFAULT NULL', None),
    ], ['PRIMARY KEY (`id`)', 'KEY `item_id` (`item_id`)',
        'KEY `session_user_id` (`session_user_id`)'], 'utf8', 'id'),

    _t('activity_log', [
        ('id', 'int(11) NOT NULL AUTO_INCREMENT', REQUIRED),
        ('user_id', 'int(11) NOT NULL', REQUIRED),
        ('module', 'varchar(32) NOT NULL', REQUIRED),
        ('action', 'varchar(32) NOT NULL', REQUIRED),
        ('item_id', 'int(11) DEFAULT NULL', None),
        ('metadata', 'longtext', None),
        ('timestamp', "int(11) NOT NULL DEFAULT '-1'", UNKNOWN),
    ], ['PRIMARY KEY (`id`)', 'KEY `user_id` (`user_id`)'], 'utf8', 'id'),

    _t('wiki_revisions', [
        ('page_id', 'int(11) NOT NULL', REQUIRED),
        ('session_user_id', 'varchar(40) NOT NULL', REQUIRED),
        ('timestamp', 'int(11) NOT NULL', REQUIRED),
        ('comments', 'varchar(255) DEFAULT NULL', None),
    ], ['KEY `page_id` (`page_id`)'], 'latin1'),
])

FORUM_TABLES = ['forum_forums', 'forum_threads', 'forum_posts', 'forum_comments',
                'forum_reporting', 'forum_reputation_record']
GENERAL_TABLES = ['users', 'access_groups', 'course_grades',
                  'lecture_submission_metadata', 'quiz_submission_metadata',
                  'activity_log', 'wiki_revisions']

# The same access groups in every course of the platform.
ACCESS_GROUPS = [
    dict(id=1, name='Student'),
    dict(id=2, name='Instructor', forum_moderate=1, admin_access=1,
         forum_title='Instructor'),
    dict(id=3, name='Teaching Staff', forum_moderate=1, admin_access=1,
         forum_title='Staff'),
    dict(id=4, name='Community TA', forum_moderate=1, forum_title='Community TA'),
    dict(id=5, name='Blocked', forum_banned=1),
    dict(id=6, name='Student (Forum Banned)', forum_banned=1),
]
STUDENT, INSTRUCTOR = 1, 2

# ---------------------------------------------------------------------------
# The founding case, 2015 variant


class Course:
    """One course folder: the dumps' tables as lists of dicts, plus the
    clickstream as a list of events. `me` is his forum user id."""

    def __init__(self, name, title, me):
        self.name = name
        self.title = title
        self.me = me
        self.hash_mapping = []
        self.tables = {t: [] for t in FORUM_TABLES + GENERAL_TABLES}
        self.auto_increment = {}          # table -> AUTO_INCREMENT override
        self.clickstream = []
        self.staff = set()                # forum ids counted as instructors

    def ids(self, uid):
        return dict(user_id=uid,
                    eventing_user_id=hid(self.name, 'eventing', uid),
                    session_user_id=hid(self.name, 'session', uid),
                    public_user_id=hid(self.name, 'public', uid))

    def sess(self, uid):
        return hid(self.name, 'session', uid)

    def add(self, table, *rows):
        self.tables[table].extend(rows)


def derive_forum(c):
    """Fill the forum columns that follow from other rows: votes from the
    reputation records; a thread's num_posts, last update, votes (its first
    post's) and instructor_replied from its posts and comments."""
    votes = {}
    for r in c.tables['forum_reputation_record']:
        key = (r['type'], r['pc_id'])
        votes[key] = votes.get(key, 0) + r['direction']
    for p in c.tables['forum_posts']:
        p['votes'] = votes.get(('post', p['id']), 0)
    for m in c.tables['forum_comments']:
        m['votes'] = votes.get(('comment', m['id']), 0)
    for t in c.tables['forum_threads']:
        posts = [p for p in c.tables['forum_posts'] if p['thread_id'] == t['id']]
        items = posts + [m for m in c.tables['forum_comments']
                         if m['thread_id'] == t['id']]
        last = max(items, key=lambda i: (i['post_time'], i['id']))
        t['num_posts'] = len(posts)
        t['last_updated_time'] = last['post_time']
        t['last_updated_user'] = last['user_id']
        t['votes'] = sum(p['votes'] for p in posts if p.get('original'))
        t['instructor_replied'] = int(any(
            i['user_id'] in c.staff for i in items if not i.get('original')))


def post(id, thread, user, when, text, **kw):
    return dict(id=id, thread_id=thread, user_id=user, post_time=T(when),
                post_text=text, **kw)


def comment(id, thread, post_id, user, when, text, **kw):
    return dict(id=id, thread_id=thread, post_id=post_id, user_id=user,
                post_time=T(when), comment_text=text, **kw)


def vote(user, pc_id, kind, direction, when):
    return dict(user_id=user, pc_id=pc_id, type=kind, direction=direction,
                timestamp=when if isinstance(when, int) else T(when))


def log(id, user, module, action, item_id, meta, when):
    return dict(id=id, user_id=user, module=module, action=action, item_id=item_id,
                metadata=None if meta is None else json.dumps(meta, sort_keys=True,
                                                              separators=(',', ':')),
                timestamp=when if isinstance(when, int) else T(when))


def click(when, key, path, ip, ua, value=None):
    """A clickstream event; when is 'YYYY-MM-DD HH:MM:SS.mmm' (UTC)."""
    return dict(when=when, key=key, path=path, ip=ip, ua=ua, value=value)


def video(when, lecture, kind, t_now, t_prev, ip, ua, init, paused=False):
    return click(when, 'user.video.lecture.action',
                 'lecture/view?lecture_id=%d' % lecture, ip, ua,
                 dict(currentTime=t_now, playbackRate=1, paused=paused, error=None,
                      networkState=1, readyState=4, lectureID=lecture,
                      eventTimestamp=TMS(when), initTime=TMS(init), type=kind,
                      prevTime=t_prev))


# Forum user ids (per course; the forum id is hash_mapping.user_id).
MT_ME, MT_COPY = 1742, 40117
MT_AMARA, MT_JONAS, MT_PRIYA, MT_LENA, MT_SPAM = 2210, 3385, 5121, 6030, 7748
DS_ME, DS_KOFI, DS_MAREN, DS_ILSE = 58213, 60114, 60887, 61550
CC_ME, CC_RAFA, CC_SVEN = 23906, 31002, 29877


def massiveteach():
    c = Course('massiveteach-001', 'Massive Teaching: new skills required', MT_ME)
    c.staff = {MT_ME, MT_COPY}
    c.hash_mapping = [c.ids(MT_ME), c.ids(MT_COPY)]
    me, cp = MT_ME, MT_COPY

    c.add('forum_forums',
          dict(id=1, name='General Discussion', display_order=1,
               description='Introductions and anything about the course.'),
          dict(id=2, name='Lectures', display_order=2,
               description='Questions and discussion about the video lectures.'),
          dict(id=3, name='Assignments & Peer Assessment', type='qna', display_order=3,
               resolved_tag=1, open_time=T('2014-02-10 00:00:00'),
               description='The weekly assignments, rubrics and peer grading.'),
          dict(id=4, name='Technical Issues', type='qna', display_order=4, resolved_tag=1,
               description='Problems with the site, videos or submissions.'),
          dict(id=5, name='Course Staff', display_order=5, forum_moderators_only=1,
               can_post=0, description='Staff only.'),
          dict(id=6, name='Study Groups', parent_id=1, display_order=1, deleted=1,
               description='Find learners near you.'))

    c.add('forum_threads',
          dict(id=1, forum_id=1, user_id=me, posted_time=T('2014-02-03 08:30:00'),
               stickied=1, num_views=4127,
               title='Welcome to Massive Teaching \u2013 introduce yourself'),
          dict(id=2, forum_id=3, user_id=me, posted_time=T('2014-02-10 09:00:00'),
               num_views=1893, title='Week 2 assignment: designing a peer-graded task'),
          dict(id=3, forum_id=3, user_id=MT_JONAS, posted_time=T('2014-02-24 18:33:02'),
               locked=1, unresolved=1, num_views=2260,
               title='Peer grading is unfair - my essay got 2/10'),
          dict(id=4, forum_id=1, user_id=MT_PRIYA, posted_time=T('2014-03-10 12:20:14'),
               unresolved=1, num_views=3012, title='Is this course an experiment on us?'),
          dict(id=5, forum_id=1, user_id=cp, posted_time=T('2014-04-07 10:00:00'),
               num_views=1540,
               title='Final week: deadlines and Statements of Accomplishment'))
    for t in c.tables['forum_threads']:
        t['last_updated_time'] = t['last_updated_user'] = 0     # derived below

    c.add('forum_posts',
          post(1, 1, me, '2014-02-03 08:30:00',
               "Welcome to Massive Teaching: new skills required!\n\n"
               "I'm Tomas Brandt, and I'll be your instructor for the next ten weeks. "
               "This course is about what changes when a class has 40,000 students "
               "instead of 40: feedback, assessment, discussion, and the teacher's own "
               "role.\n\nPlease introduce yourself in this thread:\n\n"
               "* where you teach (or learn), and what;\n"
               "* the largest class you've ever taught or attended;\n"
               "* one thing you'd like to take away from this course.\n\n"
               "The syllabus is on the course wiki. See you in the forums!\n\nTomas",
               original=1, stickied=1, user_agent=UA_CHROME),
          post(2, 1, MT_AMARA, '2014-02-03 14:02:11',
               'Hi all, I teach chemistry at a secondary school. My biggest class so far '
               'was 300 people in a lecture hall during an exchange year. Looking forward '
               'to this!', user_agent=UA_FIREFOX),
          post(3, 1, MT_PRIYA, '2014-02-04 19:45:30',
               'Hello from a software developer who wants to become a better trainer. '
               'The largest class I ever attended is probably this one.',
               user_agent=UA_SAFARI),
          post(4, 1, MT_SPAM, '2014-02-05 03:12:48',
               'Need help with your peer assignments??? Professional essay writers, '
               '100% original, cheap prices!!! Visit www.example.org/essays-cheap',
               is_spam=1, user_agent=UA_FIREFOX),
          post(5, 2, me, '2014-02-10 09:00:00',
               '<p>The Week 2 assignment asks you to <strong>design a peer-graded task'
               '</strong> for a course you teach or know well.</p>\n<ul>\n'
               '<li>Describe the task and its learning goals (300 to 500 words).</li>\n'
               '<li>Write a rubric with 3 to 5 criteria &amp; their weights.</li>\n'
               '<li>Explain how you would calibrate the graders.</li>\n</ul>\n'
               '<p>Read the <a href="/massiveteach-001/wiki/view?page=rubrics">rubric '
               'guide</a> before you start. Deadline: Sunday 16 February, 23:59 UTC.</p>',
               original=1, edit_time=T('2014-02-11 16:20:45'), text_type='html',
               user_agent=UA_CHROME),
          post(6, 2, MT_JONAS, '2014-02-10 21:17:09',
               'Do we grade four peers or five? The instructions page says four and the '
               'assignment page says five.', user_agent=UA_FIREFOX),
          post(7, 2, me, '2014-02-12 08:05:40',
               'Five. You grade five submissions and each of yours is graded by five '
               'peers; the median counts. If you grade fewer than five, your own score '
               'gets a 20% penalty, as the rules page says. I have fixed the '
               'instructions page.', user_agent=UA_CHROME),
          post(8, 3, MT_JONAS, '2014-02-24 18:33:02',
               'Peer grading is unfair. One reviewer gave my essay 2/10 with the comment '
               '"bad". How is that feedback? I spent ten hours on this essay.',
               original=1, user_agent=UA_FIREFOX),
          post(9, 3, MT_LENA, '2014-02-24 22:10:57',
               'Same here. Peer grading is a lottery: whether you pass depends on who you '
               'get, not on what you wrote.', user_agent=UA_IPAD),
          post(10, 3, me, '2014-02-25 09:14:26',
               'I understand the frustration, but please re-read the rubric before asking '
               'for a regrade. A 2 from one reviewer out of five does not decide your '
               'score: the median does, and the median of your five scores is 6. Nobody '
               'in this course is graded by a single person.',
               deleted=1, user_agent=UA_CHROME),
          post(11, 3, me, '2014-02-25 17:48:03',
               'We have read every message in this thread. Peer grading at this scale is '
               'imperfect; that is part of what this course is about, and we will discuss '
               'it openly in Week 6. Regrade requests go through the form on the '
               'Assignments page, not through the forum, so that they reach the staff.',
               user_agent=UA_CHROME),
          post(12, 4, MT_PRIYA, '2014-03-10 12:20:14',
               'Is this course an experiment on us? A friend in the same course sees a '
               'different deadline page and got different reminder e-mails. Are we being '
               'A/B tested without being told?', original=1, user_agent=UA_SAFARI),
          post(13, 4, me, '2014-03-10 20:02:37',
               'Fair question. The platform runs experiments on course pages, for example '
               'different reminder e-mails or page layouts. I was not told which ones run '
               'in this course, and I have asked. I will post here what I learn.',
               approved=0, user_agent=UA_CHROME),
          post(14, 4, me, '2014-03-11 07:31:55',
               'Follow-up: I still have no list of the experiments. If you want to know '
               'what is recorded about you, you can ask the platform directly; in Europe '
               'you have a right of access to your personal data.',
               approved=0, user_agent=UA_CHROME),
          post(15, 4, me, '2014-03-11 21:40:08',
               "My last two replies are still waiting for approval, so briefly: ask the "
               "platform which experiments you are part of. It's your data.",
               deleted=1, user_agent=UA_CHROME),
          post(16, 4, MT_AMARA, '2014-03-12 09:03:41',
               'Is there an answer from the staff? The thread says there are replies but '
               'I cannot see them.', user_agent=UA_FIREFOX),
          post(17, 5, cp, '2014-04-07 10:00:00',
               'Reminder: the final peer assessment closes on Sunday 13 April at 23:59 '
               'UTC. Statements of Accomplishment will be sent within two weeks after the '
               'course ends.\n\nThe course team', original=1, user_agent=UA_SAFARI),
          post(18, 5, me, '2014-04-08 19:26:12',
               'Thank you all for ten intense weeks \U0001F64F Whatever happens to this '
               'course, keep the discussions going: the best material in it was written '
               'by you. Good luck with the final assessment!', user_agent=UA_CHROME),
          post(19, 5, MT_LENA, '2014-04-09 08:12:50',
               'Thank you, Dr. Brandt. The best course I took this year, peer grading '
               'drama included.', user_agent=UA_IPAD))

    c.add('forum_comments',
          comment(1, 1, 2, me, '2014-02-04 07:58:02',
                  'Welcome! A class of 300 is a good starting point for the Week 3 '
                  'discussion on lecture halls.', user_agent=UA_CHROME),
          comment(2, 2, 6, me, '2014-02-11 08:44:51',
                  'Good catch, thank you. See my reply below.', user_agent=UA_CHROME),
          comment(3, 2, 5, MT_AMARA, '2014-02-11 10:05:33',
                  'Can we use a course we have only taken, not taught?',
                  user_agent=UA_FIREFOX),
          comment(4, 3, 9, me, '2014-02-25 23:02:16',
                  'A lottery would give everyone the same odds. That is not what the '
                  'numbers show.', deleted=1, user_agent=UA_CHROME),
          comment(5, 3, 11, MT_LENA, '2014-02-26 08:30:40',
                  "So the answer is 'use the form'. The form doesn't work on my tablet.",
                  user_agent=UA_IPAD),
          comment(6, 4, 16, me, '2014-03-12 11:15:27',
                  'The slides of my talk on peer assessment research are here: '
                  'http://www.example.org/brandt/peer-assessment-slides.pdf',
                  is_spam=1, user_agent=UA_CHROME))

    c.add('forum_reporting',
          dict(id=1, user_id=me, report_type='inappropriate', item_type='post', item_id=4,
               description='Advertising for an essay-writing service, not course related.',
               timestamp=T('2014-02-05 07:40:19')),
          dict(id=2, user_id=MT_JONAS, report_type='inappropriate', item_type='post',
               item_id=10, description='Dismissive reply to a grading complaint.',
               timestamp=T('2014-02-25 11:02:50')),
          dict(id=3, user_id=MT_LENA, report_type='inappropriate', item_type='comment',
               item_id=4, description='Sarcastic reply to my post.',
               timestamp=T('2014-02-26 07:55:13')),
          dict(id=4, user_id=MT_PRIYA, report_type='inappropriate', item_type='post',
               item_id=13, description='Speculation about the platform, not about the '
               'course.', timestamp=T('2014-03-10 22:47:05')),
          dict(id=5, user_id=MT_PRIYA, report_type='inappropriate', item_type='post',
               item_id=15, description="Doesn't belong in the course forum.",
               timestamp=T('2014-03-12 08:16:30')))

    c.add('forum_reputation_record',
          vote(MT_AMARA, 1, 'post', 1, '2014-02-03 14:03:40'),
          vote(MT_AMARA, 1, 'comment', 1, '2014-02-04 09:10:02'),
          vote(me, 6, 'post', 1, '2014-02-11 08:45:30'),
          vote(MT_PRIYA, 5, 'post', 1, '2014-02-12 18:20:00'),
          vote(MT_JONAS, 11, 'post', -1, '2014-02-25 18:05:11'),
          vote(MT_LENA, 11, 'post', -1, UNKNOWN),
          vote(MT_AMARA, 18, 'post', 1, '2014-04-08 21:00:07'))
    derive_forum(c)

    # General: users holds the current role and the last access only.
    c.add('users',
          dict(session_user_id=c.sess(me), locale='en_US', timezone='Europe/Berlin',
               access_group_id=STUDENT, registration_time=T('2013-09-02 14:21:09'),
               last_access_time=T('2014-04-11 16:02:37'), email_review=0),
          dict(session_user_id=c.sess(cp), locale='en_US', timezone='America/Los_Angeles',
               access_group_id=INSTRUCTOR, registration_time=T('2014-03-20 08:00:14'),
               last_access_time=T('2014-04-14 23:10:05'), email_announcement=0,
               email_forum=0, email_review=0),
          dict(session_user_id=c.sess(MT_AMARA), locale='en_GB', timezone='Europe/London',
               access_group_id=STUDENT, registration_time=T('2014-01-12 19:33:50'),
               last_access_time=T('2014-04-13 20:41:02')),
          dict(session_user_id=c.sess(MT_JONAS), locale=None, timezone=None,
               access_group_id=STUDENT, registration_time=T('2014-01-30 07:05:41'),
               last_access_time=T('2014-03-02 10:15:27'), email_forum=0),
          dict(session_user_id=c.sess(MT_LENA), locale='de_DE', timezone='Europe/Vienna',
               access_group_id=STUDENT, registration_time=T('2014-02-02 11:48:00'),
               last_access_time=T('2014-04-14 06:55:19')))
    c.add('access_groups', *ACCESS_GROUPS)
    # Grades of learners only: an instructor has none in his own course.
    c.add('course_grades',
          dict(session_user_id=c.sess(MT_AMARA), normal_grade=Decimal('78.00'),
               achievement_level='normal'),
          dict(session_user_id=c.sess(MT_JONAS), normal_grade=Decimal('54.50')),
          dict(session_user_id=c.sess(MT_LENA), normal_grade=Decimal('91.25'),
               distinction_grade=Decimal('88.00'), achievement_level='distinction'))
    # lecture_ and quiz_submission_metadata: none of his (empty tables).

    c.add('activity_log',
          log(2204, me, 'course', 'admin_view', None, {'page': 'course_admin'},
              '2014-02-03 08:02:11'),
          log(2231, me, 'forum', 'post', 1, {'thread_id': 1, 'post_id': 1},
              '2014-02-03 08:30:00'),
          log(3519, me, 'forum', 'post', 1, {'thread_id': 1, 'comment_id': 1},
              '2014-02-04 07:58:02'),
          log(6630, me, 'forum', 'post', 5, {'thread_id': 2, 'post_id': 5},
              '2014-02-10 09:00:00'),
          log(7015, me, 'forum', 'post', 2, {'thread_id': 2, 'comment_id': 2},
              '2014-02-11 08:44:51'),
          log(7016, me, 'forum', 'vote', 6, {'type': 'post', 'direction': 1},
              '2014-02-11 08:45:30'),
          log(7388, me, 'forum', 'edit', 5, {'thread_id': 2, 'post_id': 5},
              '2014-02-11 16:20:45'),
          log(7702, me, 'forum', 'post', 7, {'thread_id': 2, 'post_id': 7},
              '2014-02-12 08:05:40'),
          log(8140, me, 'course', 'admin_view', None, {'page': 'peer_assessment_admin'}, 0),
          log(10977, me, 'forum', 'post', 10, {'thread_id': 3, 'post_id': 10},
              '2014-02-25 09:14:26'),
          log(11042, me, 'forum', 'post', 11, {'thread_id': 3, 'post_id': 11},
              '2014-02-25 17:48:03'),
          log(11190, me, 'forum', 'post', 4, {'thread_id': 3, 'comment_id': 4},
              '2014-02-25 23:02:16'),
          log(14455, me, 'forum', 'post', 13, {'thread_id': 4, 'post_id': 13},
              '2014-03-10 20:02:37'),
          log(14610, me, 'forum', 'post', 14, {'thread_id': 4, 'post_id': 14},
              '2014-03-11 07:31:55'),
          log(14893, me, 'forum', 'post', 15, {'thread_id': 4, 'post_id': 15}, UNKNOWN),
          log(15021, me, 'forum', 'post', 6, {'thread_id': 4, 'comment_id': 6},
              '2014-03-12 11:15:27'),
          log(16204, me, 'course', 'admin_view', None, {'page': 'course_admin'},
              '2014-03-19 17:03:22'),
          log(19870, me, 'forum', 'post', 18, {'thread_id': 5, 'post_id': 18}, UNKNOWN))
    c.auto_increment['activity_log'] = 21344

    syllabus = 3
    c.add('wiki_revisions',
          dict(page_id=syllabus, session_user_id=c.sess(me),
               timestamp=T('2014-02-17 14:05:09'),
               comments='Week 4 moved after the reading week'),
          dict(page_id=syllabus, session_user_id=c.sess(me),
               timestamp=T('2014-03-03 09:30:44'),
               comments=b'r\xe9vision du programme'),        # Latin-1, one byte
          dict(page_id=syllabus, session_user_id=c.sess(cp),
               timestamp=T('2014-03-24 11:12:00'), comments='Updated deadlines'))

    U, H, M = IP_UNI, IP_HOME, IP_MOBILE
    c.clickstream = [
        click('2014-02-03 08:02:05.412', 'pageview', 'admin/', U, UA_CHROME),
        click('2014-02-03 08:28:40.090', 'pageview', 'forum/index', U, UA_CHROME),
        click('2014-02-03 08:30:01.733', 'pageview', 'forum/thread?thread_id=1', U,
              UA_CHROME),
        click('2014-02-04 07:57:10.268', 'pageview', 'forum/thread?thread_id=1', U,
              UA_CHROME),
        click('2014-02-10 08:55:31.540', 'pageview', 'lecture/index', U, UA_CHROME),
        video('2014-02-10 08:56:02.118', 12, 'play', 0.0, 0.0, U, UA_CHROME,
              '2014-02-10 08:55:58.950'),
        video('2014-02-10 08:58:40.006', 12, 'pause', 157.8, 157.6, U, UA_CHROME,
              '2014-02-10 08:55:58.950', paused=True),
        click('2014-02-10 09:00:05.377', 'pageview', 'forum/thread?thread_id=2', U,
              UA_CHROME),
        click('2014-02-25 09:10:12.845', 'pageview', 'forum/thread?thread_id=3', U,
              UA_CHROME),
        click('2014-02-25 17:45:00.221', 'pageview', 'forum/thread?thread_id=3', H,
              UA_CHROME),
        click('2014-03-10 19:58:21.604', 'pageview', 'forum/thread?thread_id=4', H,
              UA_CHROME),
        click('2014-03-11 21:38:44.019', 'pageview', 'forum/thread?thread_id=4', H,
              UA_CHROME),
        click('2014-03-19 17:03:00.987', 'pageview', 'admin/', U, UA_CHROME),
        click('2014-03-21 09:12:44.300', 'pageview', 'class/index', M, UA_IPAD),
        click('2014-04-08 19:20:03.155', 'pageview', 'forum/thread?thread_id=5', H,
              UA_CHROME),
        click('2014-04-08 19:26:15.832', 'pageview', 'forum/thread?thread_id=5', H,
              UA_CHROME),
        click('2014-04-11 16:02:37.410', 'pageview', 'class/index', H, UA_CHROME),
    ]
    return c


def datasci():
    c = Course('datasci-002', 'Introduction to Data Science', DS_ME)
    c.hash_mapping = [c.ids(DS_ME)]
    me = DS_ME
    c.add('forum_forums',
          dict(id=1, name='General Discussion', display_order=1,
               description='Anything about the course.'),
          dict(id=2, name='Assignments', type='qna', display_order=2, resolved_tag=1,
               description='Programming assignments.'),
          dict(id=3, name='Technical Issues', type='qna', display_order=3,
               resolved_tag=1, description='Problems with the site or the VM.'))
    c.add('forum_threads',
          dict(id=1, forum_id=2, user_id=DS_KOFI, posted_time=T('2014-05-14 17:40:22'),
               num_views=388, title='Assignment 1: tweet sentiment scores all zero?'),
          dict(id=2, forum_id=1, user_id=me, posted_time=T('2014-05-20 19:05:48'),
               num_views=241,
               title='Study group for teachers: using these assignments in class'))
    c.add('forum_posts',
          post(1, 1, DS_KOFI, '2014-05-14 17:40:22',
               'My script prints 0 for every tweet. The AFINN file loads fine. '
               'What am I missing?', original=1, user_agent=UA_FIREFOX),
          post(2, 1, me, '2014-05-14 20:11:05',
               'Check that you lowercase the words before the lookup: the sentiment '
               'file is all lower case, tweets are not.', user_agent=UA_CHROME),
          post(3, 1, DS_ILSE, '2014-05-15 06:32:17',
               'That fixed it for me too, thanks!', user_agent=UA_SAFARI),
          post(4, 2, me, '2014-05-20 19:05:48',
               'I teach a methods course for future teachers and would like to reuse the '
               'Twitter assignment with a local data set. Anyone else doing this? Happy '
               'to share notes.', original=1, user_agent=UA_CHROME),
          post(5, 2, DS_MAREN, '2014-05-21 08:14:30',
               'Yes! I am trying it with school statistics. Let us compare notes.',
               user_agent=UA_FIREFOX),
          post(6, 2, me, '2014-05-21 12:47:59',
               'Great. I will put my notes on a shared page next week.',
               user_agent=UA_CHROME))
    c.add('forum_reputation_record',
          vote(DS_ILSE, 2, 'post', 1, '2014-05-15 06:32:40'),
          vote(DS_KOFI, 2, 'post', 1, UNKNOWN))
    for t in c.tables['forum_threads']:
        t['last_updated_time'] = t['last_updated_user'] = 0
    derive_forum(c)

    c.add('users',
          dict(session_user_id=c.sess(me), locale='en_US', timezone='Europe/Berlin',
               access_group_id=STUDENT, registration_time=T('2014-04-22 10:11:12'),
               last_access_time=T('2014-07-03 21:14:08'), in_signature_track=1,
               signature_track_register_time=T('2014-05-06 10:02:37')),
          dict(session_user_id=c.sess(DS_MAREN), locale='de_DE', timezone='Europe/Berlin',
               access_group_id=STUDENT, registration_time=T('2014-04-30 16:40:05'),
               last_access_time=T('2014-06-28 09:01:44')))
    c.add('access_groups', *ACCESS_GROUPS)
    c.add('course_grades',
          dict(session_user_id=c.sess(me), normal_grade=Decimal('87.50'),
               distinction_grade=Decimal('91.00'), achievement_level='distinction',
               authenticated_overall=1))
    s = c.sess(me)
    c.add('lecture_submission_metadata',
          dict(id=10482, item_id=3, session_user_id=s, submission_time=T('2014-05-06 09:40:10')),
          dict(id=10519, item_id=4, session_user_id=s, submission_time=T('2014-05-06 10:21:55')),
          dict(id=10520, item_id=4, session_user_id=s, submission_time=T('2014-05-06 10:22:30'),
               action='download'),
          dict(id=13377, item_id=9, session_user_id=s, submission_time=T('2014-05-13 20:05:12')),
          dict(id=13378, item_id=9, session_user_id=s, submission_time=T('2014-05-14 19:50:40'),
               submission_number=2),
          dict(id=19210, item_id=15, session_user_id=s, submission_time=T('2014-06-02 21:30:03')),
          dict(id=24411, item_id=22, session_user_id=s, submission_time=T('2014-06-23 20:44:19'),
               action='download'))
    c.auto_increment['lecture_submission_metadata'] = 31873
    c.add('quiz_submission_metadata',
          dict(id=4120, item_id=101, session_user_id=s, submission_time=T('2014-05-19 21:41:50'),
               raw_score=Decimal('8'), authenticated_submission_id=90211),
          dict(id=4533, item_id=101, session_user_id=s, submission_time=T('2014-05-20 07:12:33'),
               submission_number=2, raw_score=Decimal('10')),
          dict(id=6871, item_id=102, session_user_id=s, submission_time=T('2014-06-09 20:16:40'),
               raw_score=Decimal('9.5'), authenticated_submission_id=90874),
          dict(id=9012, item_id=103, session_user_id=s, submission_time=T('2014-06-30 22:09:12'),
               raw_score=Decimal('7.25'), authenticated_submission_id=91502))
    c.auto_increment['quiz_submission_metadata'] = 11204
    c.add('activity_log',
          log(30551, me, 'forum', 'post', 2, {'thread_id': 1, 'post_id': 2},
              '2014-05-14 20:11:05'),
          log(33106, me, 'forum', 'post', 4, {'thread_id': 2, 'post_id': 4},
              '2014-05-20 19:05:48'),
          log(33390, me, 'forum', 'post', 6, {'thread_id': 2, 'post_id': 6}, 0))
    c.auto_increment['activity_log'] = 52118

    H, U = IP_HOME, IP_UNI
    c.clickstream = [
        click('2014-05-06 09:39:51.220', 'pageview', 'lecture/index', U, UA_CHROME),
        video('2014-05-06 09:40:12.004', 3, 'play', 0.0, 0.0, U, UA_CHROME,
              '2014-05-06 09:40:09.871'),
        video('2014-05-06 09:52:40.517', 3, 'ended', 746.2, 746.0, U, UA_CHROME,
              '2014-05-06 09:40:09.871', paused=True),
        click('2014-05-06 10:02:01.333', 'pageview', 'signature/enroll', U, UA_CHROME),
        click('2014-05-06 10:21:50.109', 'pageview', 'lecture/index', U, UA_CHROME),
        video('2014-05-06 10:21:57.660', 4, 'play', 0.0, 0.0, U, UA_CHROME,
              '2014-05-06 10:21:55.402'),
        video('2014-05-06 10:22:29.015', 4, 'pause', 31.4, 31.2, U, UA_CHROME,
              '2014-05-06 10:21:55.402', paused=True),
        click('2014-05-14 20:08:30.770', 'pageview', 'forum/thread?thread_id=1', H,
              UA_CHROME),
        click('2014-05-19 21:38:02.481', 'pageview', 'quiz/start?quiz_id=101', H,
              UA_CHROME),
        click('2014-05-20 19:04:11.905', 'pageview', 'forum/index', H, UA_CHROME),
        click('2014-06-09 20:14:21.350', 'pageview', 'quiz/start?quiz_id=102', H,
              UA_CHROME),
        video('2014-06-23 20:44:22.118', 22, 'seeked', 301.0, 12.5, H, UA_CHROME,
              '2014-06-23 20:44:20.000'),
        click('2014-07-03 21:14:08.640', 'pageview', 'class/index', H, UA_CHROME),
    ]
    return c


def compilers():
    c = Course('compilers-003', 'Compilers', CC_ME)
    c.hash_mapping = [c.ids(CC_ME)]
    me = CC_ME
    c.add('forum_forums',
          dict(id=1, name='General Discussion', display_order=1, description=''),
          dict(id=2, name='Programming Assignments', type='qna', display_order=2,
               resolved_tag=1, description='PA1 to PA5.'),
          dict(id=3, name='Lectures', display_order=3, description='Lecture questions.'))
    c.add('forum_threads',
          dict(id=1, forum_id=2, user_id=CC_RAFA, posted_time=T('2014-10-06 15:22:10'),
               num_views=512, title='PA2: lexer for nested comments'),
          dict(id=2, forum_id=3, user_id=me, posted_time=T('2014-10-20 18:47:31'),
               num_views=274, title='Lecture 5.2: is the grammar on slide 14 ambiguous?'))
    c.add('forum_posts',
          post(1, 1, CC_RAFA, '2014-10-06 15:22:10',
               'My lexer handles (* comments *) but fails on nested ones. Any hints?',
               original=1, user_agent=UA_FIREFOX),
          post(2, 1, me, '2014-10-06 21:05:44',
               'Use a start condition and a counter for the nesting depth. A regex like '
               '\\(\\*.*\\*\\) cannot match nested comments: it stops at the first *).',
               user_agent=UA_CHROME_LATE),
          post(3, 2, me, '2014-10-20 18:47:31',
               'On slide 14, E -> E + E | E * E | id: I read it as ambiguous for id + id '
               '* id (two parse trees). Is that the point of the slide, or am I missing a '
               'precedence rule?', original=1, user_agent=UA_CHROME_LATE),
          post(4, 2, CC_SVEN, '2014-10-21 07:30:02',
               'Yes, it is ambiguous; slide 16 adds the precedence rules.',
               user_agent=UA_SAFARI))
    for t in c.tables['forum_threads']:
        t['last_updated_time'] = t['last_updated_user'] = 0
    derive_forum(c)

    c.add('users',
          dict(session_user_id=c.sess(me), locale='en_US', timezone='Europe/Berlin',
               access_group_id=STUDENT, registration_time=T('2014-08-28 19:02:45'),
               last_access_time=T('2014-11-24 20:30:12'), email_forum=0),
          dict(session_user_id=c.sess(CC_RAFA), locale='es_ES', timezone='Europe/Madrid',
               access_group_id=STUDENT, registration_time=T('2014-09-01 12:00:09'),
               last_access_time=T('2014-12-07 18:22:40')))
    c.add('access_groups', *ACCESS_GROUPS)
    c.add('course_grades',
          dict(session_user_id=c.sess(me), normal_grade=Decimal('62.00'),
               achievement_level='normal'))
    s = c.sess(me)
    c.add('lecture_submission_metadata',
          dict(id=2051, item_id=1, session_user_id=s, submission_time=T('2014-09-16 19:12:05')),
          dict(id=2188, item_id=2, session_user_id=s, submission_time=T('2014-09-16 19:40:33')),
          dict(id=5730, item_id=9, session_user_id=s, submission_time=T('2014-10-06 20:31:18')),
          dict(id=5731, item_id=9, session_user_id=s, submission_time=T('2014-10-06 20:33:50'),
               action='download'),
          dict(id=8804, item_id=17, session_user_id=s, submission_time=T('2014-10-20 18:20:02')),
          dict(id=12093, item_id=31, session_user_id=s, submission_time=UNKNOWN))
    c.auto_increment['lecture_submission_metadata'] = 20419
    c.add('quiz_submission_metadata',
          dict(id=812, item_id=201, session_user_id=s, submission_time=T('2014-09-22 20:50:11'),
               raw_score=Decimal('4')),
          dict(id=990, item_id=201, session_user_id=s, submission_time=T('2014-09-23 07:15:48'),
               submission_number=2, raw_score=Decimal('5')),
          dict(id=2440, item_id=202, session_user_id=s, submission_time=T('2014-10-13 21:02:30'),
               raw_score=Decimal('3.5')))
    c.auto_increment['quiz_submission_metadata'] = 4016
    c.add('activity_log',
          log(12877, me, 'forum', 'post', 2, {'thread_id': 1, 'post_id': 2},
              '2014-10-06 21:05:44'),
          log(15530, me, 'forum', 'post', 3, {'thread_id': 2, 'post_id': 3},
              '2014-10-20 18:47:31'))
    c.auto_increment['activity_log'] = 25009

    H, U = IP_HOME, IP_UNI
    c.clickstream = [
        click('2014-09-16 19:11:50.004', 'pageview', 'lecture/index', H, UA_CHROME_LATE),
        video('2014-09-16 19:12:08.331', 1, 'play', 0.0, 0.0, H, UA_CHROME_LATE,
              '2014-09-16 19:12:05.120'),
        video('2014-09-16 19:25:40.902', 1, 'ratechange', 812.7, 812.5, H,
              UA_CHROME_LATE, '2014-09-16 19:12:05.120'),
        video('2014-09-16 19:31:03.440', 1, 'ended', 1130.0, 1129.8, H, UA_CHROME_LATE,
              '2014-09-16 19:12:05.120', paused=True),
        click('2014-09-22 20:48:15.781', 'pageview', 'quiz/start?quiz_id=201', H,
              UA_CHROME_LATE),
        click('2014-10-06 20:30:59.120', 'pageview', 'lecture/index', H, UA_CHROME_LATE),
        click('2014-10-06 21:01:20.466', 'pageview', 'forum/thread?thread_id=1', H,
              UA_CHROME_LATE),
        click('2014-10-13 20:58:09.007', 'pageview', 'quiz/start?quiz_id=202', U,
              UA_CHROME_LATE),
        click('2014-10-20 18:19:44.563', 'pageview', 'lecture/index', U, UA_CHROME_LATE),
        video('2014-10-20 18:20:05.017', 17, 'play', 0.0, 0.0, U, UA_CHROME_LATE,
              '2014-10-20 18:20:02.660'),
        click('2014-10-20 18:45:12.298', 'pageview', 'forum/index', U, UA_CHROME_LATE),
        click('2014-11-24 20:30:12.905', 'pageview', 'class/index', H, UA_CHROME_LATE),
    ]
    return c


TYPING_PHRASE = 'i am tomas brandt'

# (date as shown, first keystroke time, IP or None, seed of the keystroke log)
TYPING_2015 = [
    ('06/05/14 10:02', '2014-05-06 10:02:37', IP_UNI, 1),
    ('19/05/14 21:40', '2014-05-19 21:40:12', IP_HOME, 2),
    ('09/06/14 20:15', '2014-06-09 20:15:03', None, 3),
    ('30/06/14 22:07', '2014-06-30 22:07:55', IP_HOME, 4),
    ('14/01/15 12:30', '2015-01-14 12:30:41', None, 5),
]

CONTRACT = """\
COURSE DEVELOPMENT AND HOSTING AGREEMENT

This Course Development and Hosting Agreement (the "Agreement") is made
between Coursera, Inc. ("Coursera") and Dr. Tomas Brandt, Lecturer
("Instructor"), each a "Party".

1. The Course

   1.1 Instructor will develop an online course titled "Massive Teaching:
       new skills required" (the "Course"), to be offered on the Coursera
       platform as massiveteach-001, starting on or around 3 February 2014
       and lasting ten (10) weeks.

   1.2 The Course consists of video lectures, readings, quizzes, peer-graded
       assignments and discussion forums.

2. Instructor's obligations

   2.1 Instructor will provide the Course content, take part in the
       discussion forums while the Course runs, and answer questions from
       Coursera staff about the Course in good time.

   2.2 Instructor warrants that the Course content does not infringe the
       rights of any third party.

3. Coursera's obligations

   3.1 Coursera will host the Course, provide the platform, enrol learners,
       operate the peer assessment and grading tools and issue Statements of
       Accomplishment.

   3.2 Coursera may moderate the discussion forums in accordance with its
       Terms of Use and Honor Code.

4. Licence

   Instructor grants Coursera a non-exclusive, worldwide, royalty-free
   licence to host, reproduce, display and distribute the Course content on
   the Coursera platform for the term of this Agreement and one (1) year
   thereafter.

5. Data

   Coursera may collect and use data about the use of the Course by learners
   and course staff to operate, evaluate and improve the platform, in
   accordance with its Privacy Policy.

6. Term and termination

   6.1 This Agreement starts on the date of the last signature below and
       runs until the end of the first offering of the Course.

   6.2 Either Party may terminate this Agreement by written notice of thirty
       (30) days. Sections 4 and 5 survive termination.

7. General

   This Agreement is the entire agreement between the Parties about the
   Course. Changes must be in writing and signed by both Parties.


SIGNED:

For Coursera, Inc.                      Instructor

Signature: ______________________       Signature: /s/ Tomas Brandt

Name:      ______________________       Name:      Dr. Tomas Brandt

Title:     ______________________       Title:     Lecturer

Date: ____                              Date:      12 November 2013
"""

COVER_NOTE = """\
Coursera, Inc.
Privacy Team
privacy@example.org

15 January 2016

Dear Dr. Brandt,

Re: your request for access to your personal data

Thank you for your request. Enclosed is the personal data we hold about
you, from the following courses:

  massiveteach-001   Massive Teaching: new skills required
  datasci-002        Introduction to Data Science
  compilers-003      Compilers

For each course you will find:

  <course>_hash_mapping.sql        the identifiers linking your records
  <course>_anonymized_forum.sql    the course discussion forums
  <course>_anonymized_general.sql  your enrolment, grades and activity
  <course>_clickstream_export.jsonl  your page and video events

The files ending in .sql are MySQL database exports. Your records are the
ones carrying the identifiers listed in the hash mapping file.

We also enclose the identity photos and typing samples you provided for
Signature Track (folder identity/), and your course agreement (folder
contracts/).

Other information is not personal information, or it would be
unreasonable to retrieve it, and is not included.

Kind regards,

The Coursera Privacy Team
"""


class Export:
    """A whole export: courses, and extra top-level files."""

    def __init__(self, courses, typing, photos, contracts, readme, dump_time):
        self.courses = courses
        self.typing = typing          # rows for identity/typing_samples.csv
        self.photos = photos          # names of byte-identical ID photos
        self.contracts = contracts    # {file name: text}
        self.readme = readme
        self.dump_time = dump_time    # the mysqldump footer's time


def export_2015():
    return Export(courses=[massiveteach(), datasci(), compilers()],
                  typing=copy.deepcopy(TYPING_2015),
                  photos=['photo_1.jpg', 'photo_2.jpg'],
                  contracts={'course-agreement-massiveteach.txt': CONTRACT},
                  readme=COVER_NOTE,
                  dump_time='2016-01-12 10:41:07')


# ---------------------------------------------------------------------------
# The 2016 variant: the same account asked again, and in November 2016 got a
# second answer. What changed is the point of this variant (sarfs diff and
# the changes/ folder of a side-by-side mount are tested on it):
#
#   - two of his deleted posts (10 and 15, massiveteach-001) are gone, rows
#     and all; the reports about them (2 and 5) are still there;
#   - his post 11 reads differently, with edit_time still -1: the text was
#     altered without any record of an edit;
#   - report 3 (about his comment 4) has another time, a day later;
#   - a sign-in history appears for massiveteach-001
#     (massiveteach-001_login_history.csv), closing the login-history gap.
#
# Everything else is byte for byte what the 2015 variant holds, but for the
# dump time in the mysqldump footers and the cover note's date.

POST_11_2016 = ('We have read every message in this thread. Peer grading at this scale is '
                'imperfect, and we will discuss it in Week 6. Regrade requests go through '
                'the form on the Assignments page.')

# (login time UTC, IP address, user agent): his sign-ins, the last one the
# day he sent his second request.
LOGINS_2016 = [
    ('2014-02-03 08:12:40', '192.0.2.17', UA_CHROME),
    ('2014-02-25 08:55:02', '192.0.2.17', UA_CHROME),
    ('2014-03-10 19:41:18', '198.51.100.23', UA_CHROME),
    ('2014-04-11 15:58:51', '192.0.2.17', UA_CHROME),
    ('2016-10-03 18:22:09', '203.0.113.45', UA_CHROME),
]

COVER_NOTE_2016 = COVER_NOTE.replace('15 January 2016', '21 November 2016').replace(
    '  <course>_clickstream_export.jsonl  your page and video events\n',
    '  <course>_clickstream_export.jsonl  your page and video events\n'
    '  <course>_login_history.csv       your sign-ins, where we hold them\n')


def export_2016():
    ex = export_2015()
    mt = ex.courses[0]
    assert mt.name == 'massiveteach-001'
    mt.tables['forum_posts'] = [p for p in mt.tables['forum_posts']
                                if p['id'] not in (10, 15)]
    for p in mt.tables['forum_posts']:
        if p['id'] == 11:
            p['post_text'] = POST_11_2016
    for r in mt.tables['forum_reporting']:
        if r['id'] == 3:
            r['timestamp'] = T('2014-02-27 07:55:13')
    derive_forum(mt)
    mt.logins = [dict(session_user_id=mt.sess(MT_ME), login_time=T(when), ip_address=ip,
                      user_agent=ua) for when, ip, ua in LOGINS_2016]
    ex.readme = COVER_NOTE_2016
    ex.dump_time = '2016-11-18 16:05:33'
    return ex


VARIANTS = {'2015': export_2015, '2016': export_2016}

# ---------------------------------------------------------------------------
# Writers, one per file type


def sql_string(raw):
    """Quote bytes as mysqldump does (mysql_real_escape_string)."""
    out = bytearray(b"'")
    for b in raw:
        if b == 0:
            out += b'\\0'
        elif b == 0x0A:
            out += b'\\n'
        elif b == 0x0D:
            out += b'\\r'
        elif b == 0x1A:
            out += b'\\Z'
        elif b in b"\\'\"":
            out += b'\\' + bytes([b])
        else:
            out.append(b)
    out += b"'"
    return bytes(out)


def sql_value(v):
    if v is None:
        return b'NULL'
    if isinstance(v, bool):
        raise TypeError('use 0/1, not bool')
    if isinstance(v, int):
        return str(v).encode('ascii')
    if isinstance(v, Decimal):
        return str(v).encode('ascii')
    if isinstance(v, bytes):          # already in the column's bytes (latin1)
        return sql_string(v)
    if isinstance(v, str):
        return sql_string(v.encode('utf-8'))
    raise TypeError('cannot dump %r' % (v,))


def sql_table(table, rows, auto_increment=None):
    """One table as mysqldump 5.5 writes it: structure, then data."""
    n = table.name
    cols = ['  `%s` %s' % (c[0], c[1]) for c in table.columns]
    cols += ['  ' + k for k in table.keys]
    opts = 'ENGINE=InnoDB'
    if table.auto_increment and rows:
        ai = auto_increment or max(r[table.auto_increment] for r in rows) + 1
        opts += ' AUTO_INCREMENT=%d' % ai
    opts += ' DEFAULT CHARSET=%s' % table.charset
    out = [
        b'',
        b'--',
        b'-- Table structure for table `%s`' % n.encode(),
        b'--',
        b'',
        b'DROP TABLE IF EXISTS `%s`;' % n.encode(),
        b'/*!40101 SET @saved_cs_client     = @@character_set_client */;',
        b'/*!40101 SET character_set_client = utf8 */;',
        ('CREATE TABLE `%s` (\n%s\n) %s;' % (n, ',\n'.join(cols), opts)).encode(),
        b'/*!40101 SET character_set_client = @saved_cs_client */;',
        b'',
        b'--',
        b'-- Dumping data for table `%s`' % n.encode(),
        b'--',
        b'',
        b'LOCK TABLES `%s` WRITE;' % n.encode(),
        b'/*!40000 ALTER TABLE `%s` DISABLE KEYS */;' % n.encode(),
    ]
    if rows:
        values = b','.join(b'(' + b','.join(sql_value(v) for v in table.row(r)) + b')'
                           for r in rows)
        out.append(b'INSERT INTO `%s` VALUES %s;' % (n.encode(), values))
    out += [b'/*!40000 ALTER TABLE `%s` ENABLE KEYS */;' % n.encode(),
            b'UNLOCK TABLES;']
    return out


def write_sqldump(path, database, tables, names_charset, dump_time):
    """tables: [(Table, rows, auto_increment or None)], dumped in name order
    as mysqldump does (SHOW TABLES order)."""
    lines = [
        b'-- MySQL dump 10.13  Distrib 5.5.40, for debian-linux-gnu (x86_64)',
        b'--',
        b'-- Host: localhost    Database: ' + database.encode(),
        b'-- ------------------------------------------------------',
        b'-- Server version\t5.5.40-0ubuntu0.14.04.1',
        b'',
        b'/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
        b'/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;',
        b'/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;',
        b'/*!40101 SET NAMES ' + names_charset.encode() + b' */;',
        b'/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;',
        b"/*!40103 SET TIME_ZONE='+00:00' */;",
        b'/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;',
        b'/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, '
        b'FOREIGN_KEY_CHECKS=0 */;',
        b"/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
        b'/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;',
    ]
    for table, rows, ai in sorted(tables, key=lambda t: t[0].name):
        lines += sql_table(table, rows, ai)
    lines += [
        b'/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;',
        b'',
        b'/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;',
        b'/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;',
        b'/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;',
        b'/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;',
        b'/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;',
        b'/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;',
        b'/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;',
        b'',
        b'-- Dump completed on ' + dump_time.encode(),
    ]
    write_bytes(path, b'\n'.join(lines) + b'\n')


def write_clickstream(path, course, events):
    """JSON lines, one event a line, in time order; value is a JSON string."""
    ev_id = hid(course.name, 'eventing', course.me)
    out = []
    for e in sorted(events, key=lambda e: e['when']):
        day = e['when'][:10]
        session = hashlib.sha1(('%s|%s|%s' % (course.name, day, e['ip']))
                               .encode('ascii')).hexdigest()[:24]
        value = json.dumps(e['value'] if e['value'] is not None else {},
                           sort_keys=True, separators=(',', ':'))
        line = {
            'key': e['key'],
            'value': value,
            'username': ev_id,
            'timestamp': TMS(e['when']),
            'page_url': 'https://class.coursera.org/%s/%s' % (course.name, e['path']),
            'client': 'spark',
            'session': '%d-%s' % (T(day + ' 00:00:00'), session),
            'language': 'en-US,en;q=0.8,de;q=0.6',
            'user_ip': e['ip'],
            'user_agent': e['ua'],
        }
        out.append(json.dumps(line, separators=(',', ':')).encode('ascii') + b'\n')
    write_bytes(path, b''.join(out))


# JavaScript keyCodes of the typed characters (letters upper case, space 32).
def keycode(ch):
    return 32 if ch == ' ' else ord(ch.upper())


def typing_row(shown, first, ip, seed):
    """dd/mm/yy hh:mm,YYYY-MM-DD HH:MM:SS|<ms>d<key>|<ms>u<key>|...,<IP or NULL>;
    key times are milliseconds from the first key down (seeded, fixed)."""
    rnd = random.Random(20150000 + seed)
    events, t = [], 0
    for ch in TYPING_PHRASE:
        k = keycode(ch)
        dwell = rnd.randint(70, 140)
        events.append((t, 'd', k))
        events.append((t + dwell, 'u', k))
        t += rnd.randint(110, 260)
    events.sort(key=lambda e: (e[0], e[1] == 'd'))
    log = '|'.join('%d%s%d' % e for e in events)
    return '%s,%s|%s,%s' % (shown, first, log, ip if ip else 'NULL')


def write_typing_csv(path, rows):
    """Headerless, CR line ends only (as the platform sent it)."""
    write_bytes(path, b''.join(typing_row(*r).encode('ascii') + b'\r' for r in rows))


def write_logins_csv(path, rows):
    """A header, then one sign-in a row; CRLF, fields quoted where needed."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator='\r\n')
    w.writerow(['session_user_id', 'login_time', 'ip_address', 'user_agent'])
    for r in rows:
        w.writerow([r['session_user_id'], r['login_time'], r['ip_address'], r['user_agent']])
    write_bytes(path, out.getvalue().encode('utf-8'))


def jpeg_bytes():
    """A valid 8x8 mid-grey baseline JPEG: one component, one block, Huffman
    tables with a single code each (DC difference 0, AC end of block)."""
    def seg(marker, payload):
        return b'\xff' + bytes([marker]) + struct.pack('>H', len(payload) + 2) + payload
    app0 = seg(0xE0, b'JFIF\x00\x01\x01\x00' + struct.pack('>HH', 1, 1) + b'\x00\x00')
    dqt = seg(0xDB, b'\x00' + bytes([1] * 64))
    sof0 = seg(0xC0, struct.pack('>BHHB', 8, 8, 8, 1) + b'\x01\x11\x00')
    one_code = bytes([1] + [0] * 15)            # one code of length 1: '0'
    dht = seg(0xC4, b'\x00' + one_code + b'\x00' + b'\x10' + one_code + b'\x00')
    sos = seg(0xDA, b'\x01' + b'\x01\x00' + b'\x00\x3f\x00')
    scan = b'\x3f'                              # '0' DC, '0' EOB, then 1-bits
    return b'\xff\xd8' + app0 + dqt + sof0 + dht + sos + scan + b'\xff\xd9'


def write_text(path, text):
    write_bytes(path, text.encode('utf-8'))


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


# ---------------------------------------------------------------------------


def write_course(top, c, dump_time):
    d = os.path.join(top, c.name)

    def tables(names):
        return [(SCHEMAS[n], c.tables[n], c.auto_increment.get(n)) for n in names]
    write_sqldump(os.path.join(d, c.name + '_hash_mapping.sql'),
                  c.name + '_hash_mapping',
                  [(SCHEMAS['hash_mapping'], c.hash_mapping, None)], 'utf8', dump_time)
    write_sqldump(os.path.join(d, c.name + '_anonymized_forum.sql'),
                  c.name + '_anonymized_forum', tables(FORUM_TABLES), 'utf8mb4', dump_time)
    write_sqldump(os.path.join(d, c.name + '_anonymized_general.sql'),
                  c.name + '_anonymized_general', tables(GENERAL_TABLES), 'utf8',
                  dump_time)
    write_clickstream(os.path.join(d, c.name + '_clickstream_export.jsonl'), c,
                      c.clickstream)
    if getattr(c, 'logins', None):
        write_logins_csv(os.path.join(d, c.name + '_login_history.csv'), c.logins)


def write_export(top, ex):
    for c in ex.courses:
        write_course(top, c, ex.dump_time)
    jpeg = jpeg_bytes()
    for name in ex.photos:
        write_bytes(os.path.join(top, 'identity', name), jpeg)
    write_typing_csv(os.path.join(top, 'identity', 'typing_samples.csv'), ex.typing)
    for name, text in sorted(ex.contracts.items()):
        write_text(os.path.join(top, 'contracts', name), text)
    write_text(os.path.join(top, 'README.txt'), ex.readme)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--variant', choices=sorted(VARIANTS), default='2015')
    ap.add_argument('--out', help='output folder, new or empty (default: '
                    'samples/coursera-VARIANT beside this script, rewritten whole)')
    a = ap.parse_args(argv)
    out = a.out or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                'coursera-' + a.variant)
    if a.out and os.path.exists(out) and os.listdir(out):
        ap.error('%s exists and is not empty' % out)
    ex = VARIANTS[a.variant]()
    if os.path.isdir(out):
        shutil.rmtree(out)          # only our own default folder gets here
    write_export(out, ex)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
