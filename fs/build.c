/*
 * build.c - the pipeline of build.h, and the generic profile's mapping.
 *
 * For every member of the source, in source order:
 *   1. its bytes stream into the index (hashed on the way) and it appears
 *      under raw/ by its safe path;
 *   2. if the profile gives it a format, the stored copy is read back and
 *      each record becomes a file under records/<path>/[<group>/]<name>.
 * Then README.txt and PROBLEMS.txt are written, the as-of time is settled
 * (it is the default mtime, so it must be known before ids are given),
 * and the tree is assembled.
 *
 * Nothing here depends on member order: names come from paths, ids from
 * sorted names, clashes from stable tiebreaks (tree.h).
 */
#include "sarfs/build.h"

#include "config.h"
#include "sarfs/buf.h"
#include "sarfs/csv.h"
#include "sarfs/hash.h"
#include "sarfs/index.h"
#include "sarfs/json.h"
#include "sarfs/mapping.h"
#include "sarfs/response.h"
#include "sarfs/names.h"
#include "sarfs/profile.h"
#include "sarfs/sqldump.h"
#include "sarfs/stream.h"
#include "sarfs/timefmt.h"
#include "sarfs/tree.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(SARFS_IN_BUFSIZE == SARFS_CHUNK,
	       "the blob reader hands out one chunk per read");

void sarfs_build_options_default(struct sarfs_build_options *o)
{
	memset(o, 0, sizeof(*o));
	sarfs_source_limits_default(&o->limits);
}

struct progress {
	int on;
	struct timespec last;
};

struct build {
	const struct sarfs_build_options *o;
	struct sarfs_diag *d;
	struct sarfs_profile *prof;	/* owned */
	struct sarfs_source *src;	/* owned */
	struct sarfs_index_writer *w;	/* owned until committed */
	struct sarfs_tree *tree;	/* owned */
	struct sarfs_mapping *map;	/* owned */
	struct sarfs_response *resp;	/* owned, or NULL */
	int fatal;			/* a negative errno that stops the build */

	struct sarfs_build_stats st;
	int64_t newest;			/* newest UTC time in the data, or INT64_MIN */
	uint64_t generic;		/* records shown under records/ */
	int asof_known;			/* 0: no time in the data, none given */
	struct progress prog;

	/* scratch, reused for every member and record */
	struct sarfs_buf path;		/* safe path of the member */
	struct sarfs_buf out;		/* a tree path */
	struct sarfs_buf text;		/* rendered record */
	struct sarfs_buf origin;
	struct sarfs_buf tie;		/* a record's clash tiebreak */
	struct sarfs_buf member_tie;	/* the member's: raw path, then SHA-256 */
	char *shown;			/* printable member path, for messages */
	struct sarfs_buf parts;		/* a multi-part export: "HEX  NAME\n" a part */
	uint32_t part_no;		/* the current part, from 1; 0: a single source */
};

/* ---- progress --------------------------------------------------------- */

static void progress(struct build *b, int final)
{
	struct timespec now;

	if (!b->prog.on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && (now.tv_sec - b->prog.last.tv_sec) * 1000000000L +
			      (now.tv_nsec - b->prog.last.tv_nsec) < 100000000L)
		return;
	b->prog.last = now;
	if (final)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr, "\rsarfs: indexing: %llu files, %llu records, %.1f MB\033[K",
			(unsigned long long)b->st.files, (unsigned long long)b->st.records,
			(double)b->st.bytes / 1e6);
	fflush(stderr);
}

/* ---- records ---------------------------------------------------------- */

static int add_text_file(struct build *b, const char *path, size_t len, const char *text,
			 size_t n, int64_t mtime, const char *origin, int64_t src,
			 const void *tie, size_t tielen)
{
	struct sarfs_tree_file f;
	int64_t blob;
	int rc;

	rc = sarfs_index_put(b->w, text, n, &blob, NULL);
	if (rc)
		return rc;
	memset(&f, 0, sizeof(f));
	f.blob = blob;
	f.size = n;
	f.mtime = mtime;
	f.origin = origin;
	f.src = src;
	f.tiebreak = tie;
	f.tiebreak_len = tielen;
	rc = sarfs_tree_add_file(b->tree, path, len, &f);
	if (rc == -ENAMETOOLONG) {
		sarfs_diag_add(b->d, SARFS_ERROR, b->shown, 0, 0,
			       "nested deeper than %d levels; not shown", SARFS_TREE_MAX_DEPTH);
		rc = 0;
	}
	return rc;
}

/* The record's own time, from the first time field that holds an instant. */
static int64_t record_time(const struct build *b, const json_t *v)
{
	size_t i;

	if (!json_is_object(v))
		return SARFS_MTIME_ASOF;
	for (i = 0; b->prof->time_keys[i]; i++) {
		json_t *x = json_object_get(v, b->prof->time_keys[i]);
		struct sarfs_time t = { SARFS_TIME_NONE, 0, 0 };

		if (json_is_integer(x))
			t = sarfs_time_from_number(json_integer_value(x), SARFS_UNIT_AUTO);
		else if (json_is_string(x))
			t = sarfs_time_parse(json_string_value(x), json_string_length(x),
					     SARFS_UNIT_AUTO);
		if (t.kind == SARFS_TIME_UTC)
			return t.sec;
	}
	return SARFS_MTIME_ASOF;
}

/* Appends the record's file name: its own id, or its position. */
static int record_name(const struct build *b, const struct sarfs_record *r,
		       struct sarfs_buf *out)
{
	size_t i;

	for (i = 0; json_is_object(r->value) && b->prof->name_keys[i]; i++) {
		json_t *x = json_object_get(r->value, b->prof->name_keys[i]);

		if (json_is_string(x) && json_string_length(x) > 0)
			return sarfs_name_sanitize_ext(out, json_string_value(x),
						       json_string_length(x), ".json");
		if (json_is_integer(x))
			return sarfs_buf_printf(out, "%" JSON_INTEGER_FORMAT ".json",
						json_integer_value(x));
	}
	if (r->index >= 0)
		return sarfs_buf_printf(out, "%06ld.json", r->index + 1);
	return sarfs_buf_adds(out, "record.json");
}

static int emit_record(struct build *b, enum sarfs_format fmt, const struct sarfs_record *r,
		       int64_t src)
{
	unsigned char tie[8];
	int64_t mtime;
	int rc = 0, rr, i;

	sarfs_buf_reset(&b->out);
	rc |= sarfs_buf_adds(&b->out, b->prof->records_dir);
	rc |= sarfs_buf_addc(&b->out, '/');
	rc |= sarfs_buf_add(&b->out, b->path.data, b->path.len);
	rc |= sarfs_buf_addc(&b->out, '/');
	if (r->group) {
		rc |= sarfs_name_sanitize(&b->out, r->group, strlen(r->group));
		rc |= sarfs_buf_addc(&b->out, '/');
	}
	rc |= record_name(b, r, &b->out);
	sarfs_buf_reset(&b->text);
	/* a generous budget for pretty-printing, proportional to the record */
	rr = sarfs_json_render_max(r->value, &b->text, 16 * r->bytes + 65536);
	if (rr == -EFBIG) {
		sarfs_diag_add(b->d, SARFS_ERROR, b->shown, r->line, r->col,
			       "record renders to more than %zu bytes (from %zu); not split out "
			       "(it is in raw/)", 16 * r->bytes + 65536, r->bytes);
		return 0;
	}
	rc |= rr;
	sarfs_buf_reset(&b->origin);
	rc |= sarfs_buf_adds(&b->origin, b->shown);
	if (fmt == SARFS_FORMAT_JSON && r->locator[0])
		rc |= sarfs_buf_printf(&b->origin, ", JSON pointer %s, line %ld", r->locator,
				       r->line);
	else if (fmt == SARFS_FORMAT_JSON)
		rc |= sarfs_buf_printf(&b->origin, ", top level, line %ld", r->line);
	else
		rc |= sarfs_buf_printf(&b->origin, ", %s", r->locator);
	if (rc)
		return -ENOMEM;
	/* clashes order by the file (two members may share a path: their
	 * raw names and contents tell them apart), then by position */
	sarfs_buf_reset(&b->tie);
	rc |= sarfs_buf_add(&b->tie, b->member_tie.data, b->member_tie.len);
	for (i = 0; i < 8; i++)
		tie[i] = (unsigned char)((uint64_t)(r->index + 1) >> (56 - 8 * i));
	rc |= sarfs_buf_add(&b->tie, tie, sizeof(tie));
	b->generic++;
	mtime = record_time(b, r->value);
	if (mtime != SARFS_MTIME_ASOF && mtime > b->newest)
		b->newest = mtime;
	b->st.records++;
	progress(b, 0);
	if (rc)
		return -ENOMEM;
	return add_text_file(b, b->out.data, b->out.len, b->text.data, b->text.len, mtime,
			     b->origin.data, src, b->tie.data, b->tie.len);
}

/* ---- splitting files into records, on the other core ------------------- *
 *
 * The stored copy of a structured file is read back by the main thread,
 * which owns the index's SQLite connection, and handed in chunks to a
 * worker thread that runs the format reader, renders each record, names
 * it, dates it and hashes it. The main thread stores what comes back.
 * Parsing and rendering (jansson, printing) and storing (SQLite, the
 * kernel) then overlap on the two cores. Both queues are bounded, in
 * count and in bytes, so memory does not grow with the file. The worker
 * has its own message list, merged when it is done.
 */

#define SPLIT_IN_MAX 8
#define SPLIT_OUT_MAX 512
#define SPLIT_OUT_BYTES (32u << 20)

struct split_out {
	int value;			/* 1: a record for the profile's tables */
	struct sarfs_buf path, text, origin, tie;	/* 0: a file to store */
	uint8_t sha[SARFS_SHA256_LEN];
	int64_t mtime;
	struct sarfs_record rec;	/* 1: rec.value owned; its strings below */
	char *group, *locator;
};

struct split {
	struct build *b;		/* read only while the worker runs */
	enum sarfs_format fmt;
	int claimed;
	const struct sarfs_claim *claim;	/* borrowed */
	int64_t src;
	struct sarfs_diag d;		/* the worker's messages */
	struct sarfs_view_found *found;	/* the worker's field values for a view, or NULL */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;		/* one condition for every wait: broadcast */
	struct {
		char *p;
		size_t n;
	} in[SPLIT_IN_MAX];
	unsigned in_head, in_n;
	int in_eof;
	struct split_out *out[SPLIT_OUT_MAX];
	unsigned out_head, out_n;
	size_t out_bytes;
	int done, abort, rc;
	int main_waits, worker_waits;	/* a thread is in pthread_cond_wait() */
	/* outputs stored and emptied, for the worker to fill again: objects
	 * made in one thread and freed in the other had the two contend for
	 * malloc's arena locks */
	struct split_out *pool[SPLIT_OUT_MAX];
	unsigned pool_n;
	char *cur;			/* the worker's current chunk */
	size_t cur_n, cur_off;
};

/* Empties a buffer for reuse; a big one is let go, so that what the pool
 * keeps stays small whatever the records' sizes. */
static void buf_recycle(struct sarfs_buf *b)
{
	if (b->cap > 64 * 1024)
		sarfs_buf_destroy(b);
	else
		sarfs_buf_reset(b);
}

/* Empties o for reuse, keeping its buffers' room. */
static void split_out_clear(struct split_out *o)
{
	buf_recycle(&o->path);
	buf_recycle(&o->text);
	buf_recycle(&o->origin);
	buf_recycle(&o->tie);
	json_decref(o->rec.value);
	free(o->group);
	free(o->locator);
	o->value = 0;
	o->mtime = 0;
	memset(&o->rec, 0, sizeof(o->rec));
	o->group = o->locator = NULL;
}

static void split_out_free(struct split_out *o)
{
	if (!o)
		return;
	sarfs_buf_destroy(&o->path);
	sarfs_buf_destroy(&o->text);
	sarfs_buf_destroy(&o->origin);
	sarfs_buf_destroy(&o->tie);
	json_decref(o->rec.value);
	free(o->group);
	free(o->locator);
	free(o);
}

/* Waits on the condition, counted in *waits so that the other side wakes
 * this one only when it waits (called with the mutex held). The other side
 * is woken first if it waits too: what it waits for may be this one's
 * waiting (the worker blocked on a full queue makes a batch ready). */
static void split_wait(struct split *s, int *waits, int other_waits)
{
	if (other_waits)
		pthread_cond_broadcast(&s->cv);
	(*waits)++;
	pthread_cond_wait(&s->cv, &s->mu);
	(*waits)--;
}

/* Whether the main thread should take the worker's outputs now: a batch
 * is full enough, or the worker waits for room, or it is done. Records
 * taken a few hundred at a time cost one wake-up, not one each (a futex
 * call per record cost more than storing it). */
static int split_ready(const struct split *s)
{
	return s->out_n && (s->out_n >= SPLIT_OUT_MAX / 2 || s->out_bytes >= SPLIT_OUT_BYTES / 2 ||
			    s->worker_waits || s->done || s->abort);
}

/* The worker's sarfs_read_fn: chunks from the main thread. */
static ssize_t split_read(void *ctx, void *buf, size_t n)
{
	struct split *s = ctx;
	size_t k;

	if (s->cur_off == s->cur_n) {
		free(s->cur);
		s->cur = NULL;
		s->cur_n = s->cur_off = 0;
		pthread_mutex_lock(&s->mu);
		while (!s->in_n && !s->in_eof && !s->abort)
			split_wait(s, &s->worker_waits, s->main_waits);
		if (s->abort) {
			pthread_mutex_unlock(&s->mu);
			return -ECANCELED;
		}
		if (s->in_n) {
			s->cur = s->in[s->in_head].p;
			s->cur_n = s->in[s->in_head].n;
			s->in_head = (s->in_head + 1) % SPLIT_IN_MAX;
			s->in_n--;
			if (s->main_waits)
				pthread_cond_broadcast(&s->cv);
		}
		pthread_mutex_unlock(&s->mu);
		if (!s->cur)
			return 0;
	}
	k = s->cur_n - s->cur_off < n ? s->cur_n - s->cur_off : n;
	memcpy(buf, s->cur + s->cur_off, k);
	s->cur_off += k;
	return (ssize_t)k;
}

/* An empty output for the worker: a stored one again, or a new one. */
static struct split_out *split_new(struct split *s)
{
	struct split_out *o = NULL;

	pthread_mutex_lock(&s->mu);
	if (s->pool_n)
		o = s->pool[--s->pool_n];
	pthread_mutex_unlock(&s->mu);
	return o ? o : calloc(1, sizeof(*o));
}

static int split_push(struct split *s, struct split_out *o)
{
	size_t bytes = o->text.len + o->path.len + 256;

	pthread_mutex_lock(&s->mu);
	while ((s->out_n == SPLIT_OUT_MAX || (s->out_n && s->out_bytes + bytes > SPLIT_OUT_BYTES)) &&
	       !s->abort)
		split_wait(s, &s->worker_waits, s->main_waits);
	if (s->abort) {
		pthread_mutex_unlock(&s->mu);
		split_out_free(o);
		return -ECANCELED;
	}
	s->out[(s->out_head + s->out_n) % SPLIT_OUT_MAX] = o;
	s->out_n++;
	s->out_bytes += bytes;
	if (s->main_waits && split_ready(s))
		pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* A generic record as a file: its path, text, origin, tiebreak, time and
 * digest. Returns 0, 1 if it is left out (reported), or -ENOMEM. */
static int split_render(struct split *s, const struct sarfs_record *r, struct split_out *o)
{
	const struct build *b = s->b;
	unsigned char pos[8];
	int rc = 0, rr, i;

	rc |= sarfs_buf_adds(&o->path, b->prof->records_dir);
	rc |= sarfs_buf_addc(&o->path, '/');
	rc |= sarfs_buf_add(&o->path, b->path.data, b->path.len);
	rc |= sarfs_buf_addc(&o->path, '/');
	if (r->group) {
		rc |= sarfs_name_sanitize(&o->path, r->group, strlen(r->group));
		rc |= sarfs_buf_addc(&o->path, '/');
	}
	rc |= record_name(b, r, &o->path);
	/* a generous budget for pretty-printing, proportional to the record */
	if (r->text)
		rr = sarfs_buf_add(&o->text, r->text, r->text_len);
	else
		rr = sarfs_json_render_max(r->value, &o->text, 16 * r->bytes + 65536);
	if (rr == -EFBIG) {
		sarfs_diag_add(&s->d, SARFS_ERROR, b->shown, r->line, r->col,
			       "record renders to more than %zu bytes (from %zu); not split out "
			       "(it is in raw/)", 16 * r->bytes + 65536, r->bytes);
		return 1;
	}
	rc |= rr;
	rc |= sarfs_buf_adds(&o->origin, b->shown);
	if (s->fmt == SARFS_FORMAT_JSON && r->locator[0])
		rc |= sarfs_buf_printf(&o->origin, ", JSON pointer %s, line %ld", r->locator, r->line);
	else if (s->fmt == SARFS_FORMAT_JSON)
		rc |= sarfs_buf_printf(&o->origin, ", top level, line %ld", r->line);
	else
		rc |= sarfs_buf_printf(&o->origin, ", %s", r->locator);
	/* clashes order by the file (two members may share a path: their raw
	 * names and contents tell them apart), then by position */
	rc |= sarfs_buf_add(&o->tie, b->member_tie.data, b->member_tie.len);
	for (i = 0; i < 8; i++)
		pos[i] = (unsigned char)((uint64_t)(r->index + 1) >> (56 - 8 * i));
	rc |= sarfs_buf_add(&o->tie, pos, sizeof(pos));
	if (rc)
		return -ENOMEM;
	o->mtime = record_time(b, r->value);
	return sarfs_sha256(o->text.data, o->text.len, o->sha);
}

/* A record for the profile's tables goes to the main thread as it is. */
static int split_value(const struct sarfs_record *r, struct split_out *o)
{
	o->value = 1;
	o->rec = *r;
	o->rec.value = json_incref(r->value);
	o->group = r->group ? strdup(r->group) : NULL;
	o->locator = strdup(r->locator ? r->locator : "");
	o->rec.group = o->group;
	o->rec.locator = o->locator;
	return (r->group && !o->group) || !o->locator ? -ENOMEM : 0;
}

/* The free text before a CSV's header ("Report generated on ...") is data
 * too: it is shown as preamble.txt beside the rows. */
static int split_preamble(struct split *s, const char *text)
{
	const struct build *b = s->b;
	struct split_out *o = calloc(1, sizeof(*o));
	int rc = 0;

	if (!o)
		return -ENOMEM;
	rc |= sarfs_buf_printf(&o->path, "%s/", b->prof->records_dir);
	rc |= sarfs_buf_add(&o->path, b->path.data, b->path.len);
	rc |= sarfs_buf_adds(&o->path, "/preamble.txt");
	rc |= sarfs_buf_printf(&o->origin, "%s, the text before the header row", b->shown);
	rc |= sarfs_buf_adds(&o->text, text);
	rc |= sarfs_buf_add(&o->tie, b->member_tie.data, b->member_tie.len);
	o->mtime = SARFS_MTIME_ASOF;
	if (!rc)
		rc = sarfs_sha256(o->text.data ? o->text.data : "", o->text.len, o->sha);
	if (rc) {
		split_out_free(o);
		return -ENOMEM;
	}
	return split_push(s, o);
}

static void *split_main(void *arg)
{
	struct split *s = arg;
	const struct build *b = s->b;
	struct sarfs_json_reader *jr = NULL;
	struct sarfs_csv_reader *cr = NULL;
	struct sarfs_sqldump_reader *sr = NULL;
	struct sarfs_csv_options co;
	struct sarfs_record rec;
	struct sarfs_in in;
	const char **keys = NULL;
	size_t nk = 0, i;
	int rc;

	rc = sarfs_in_init(&in, split_read, s);
	if (rc)
		goto out;
	/* the fields that name and date a record: all a generic record needs
	 * besides its rendered text */
	for (i = 0; b->prof->name_keys[i]; i++)
		nk++;
	for (i = 0; b->prof->time_keys[i]; i++)
		nk++;
	keys = calloc(nk + 1, sizeof(*keys));
	if (!keys) {
		rc = -ENOMEM;
		sarfs_in_destroy(&in);
		goto out;
	}
	nk = 0;
	for (i = 0; b->prof->name_keys[i]; i++)
		keys[nk++] = b->prof->name_keys[i];
	for (i = 0; b->prof->time_keys[i]; i++)
		keys[nk++] = b->prof->time_keys[i];
	switch (s->fmt) {
	case SARFS_FORMAT_JSON:
	case SARFS_FORMAT_JSONL:
		rc = sarfs_json_open(&in, b->shown,
				     s->fmt == SARFS_FORMAT_JSON ? SARFS_JSON_DOCUMENT : SARFS_JSON_LINES,
				     b->o->max_record, &jr);
		/* a view's field rules need every field: no prerendering then
		 * (the two paths give the same bytes) */
		if (!rc && !s->claimed && !s->found)
			sarfs_json_prerender(jr, keys);
		break;
	case SARFS_FORMAT_CSV:
	case SARFS_FORMAT_TSV:
		sarfs_csv_options_default(&co);
		if (s->fmt == SARFS_FORMAT_TSV)
			co.delimiter = '\t';
		rc = sarfs_csv_open(&in, b->shown, &co, b->o->max_record, &cr);
		break;
	default:
		rc = sarfs_sqldump_open(&in, b->shown, b->o->max_record, &sr);
		break;
	}
	while (!rc) {
		struct split_out *o;

		if (jr)
			rc = sarfs_json_next(jr, &rec, &s->d);
		else if (cr)
			rc = sarfs_csv_next(cr, &rec, &s->d);
		else
			rc = sarfs_sqldump_next(sr, &rec, &s->d);
		if (rc <= 0)
			break;
		if (s->found && (rc = sarfs_view_collect(b->o->view, rec.value, s->found)) != 0)
			break;
		o = split_new(s);
		if (!o) {
			rc = -ENOMEM;
			break;
		}
		rc = s->claimed ? split_value(&rec, o) : split_render(s, &rec, o);
		if (rc) {
			split_out_free(o);
			rc = rc == 1 ? 0 : rc;
			continue;
		}
		rc = split_push(s, o);
	}
	if (rc == 0 && cr && sarfs_csv_preamble(cr)[0])
		rc = split_preamble(s, sarfs_csv_preamble(cr));
	sarfs_json_close(jr);
	sarfs_csv_close(cr);
	sarfs_sqldump_close(sr);
	sarfs_in_destroy(&in);
out:
	free(keys);
	free(s->cur);
	s->cur = NULL;
	pthread_mutex_lock(&s->mu);
	s->rc = rc;
	s->done = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* The main thread's side: what to do with one output of the worker. */
static int split_take(struct build *b, struct split *s, struct split_out *o,
		      const struct sarfs_claim *claim, int64_t src)
{
	struct sarfs_tree_file f;
	int rc, generic = 0;

	if (o->value) {
		rc = sarfs_mapping_load(b->map, claim, &o->rec, b->shown, src, &generic, b->d);
		if (rc || !generic) {
			b->st.records += !rc;
			return rc;
		}
		/* a table the profile does not know: shown generically too,
		 * rendered here (rare: the worker knows nothing of tables) */
		return emit_record(b, s->fmt, &o->rec, src);
	}
	memset(&f, 0, sizeof(f));
	rc = sarfs_index_put_hashed(b->w, o->text.data ? o->text.data : "", o->text.len, o->sha,
				    &f.blob, NULL);
	if (rc)
		return rc;
	f.size = o->text.len;
	f.mtime = o->mtime;
	f.origin = o->origin.data;
	f.src = src;
	f.tiebreak = o->tie.data;
	f.tiebreak_len = o->tie.len;
	if (o->mtime != SARFS_MTIME_ASOF && o->mtime > b->newest)
		b->newest = o->mtime;
	if (o->path.len < 14 || strcmp(o->path.data + o->path.len - 13, "/preamble.txt") != 0) {
		b->generic++;
		b->st.records++;
	}
	rc = sarfs_tree_add_file(b->tree, o->path.data, o->path.len, &f);
	if (rc == -ENAMETOOLONG) {
		sarfs_diag_add(b->d, SARFS_ERROR, b->shown, 0, 0,
			       "nested deeper than %d levels; not shown", SARFS_TREE_MAX_DEPTH);
		rc = 0;
	}
	return rc;
}

/* Stores what the worker has made so far. Called with s->mu held; returns
 * with it held. */
static int split_drain(struct split *s)
{
	struct split_out *batch[SPLIT_OUT_MAX];
	unsigned n = s->out_n, k;
	int rc = 0;

	if (!n)
		return 0;
	/* the whole batch at once, one wake-up (a futex call per record cost
	 * more than the storing) */
	for (k = 0; k < n; k++)
		batch[k] = s->out[(s->out_head + k) % SPLIT_OUT_MAX];
	s->out_head = (s->out_head + n) % SPLIT_OUT_MAX;
	s->out_n = 0;
	s->out_bytes = 0;
	if (s->worker_waits)
		pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	for (k = 0; k < n; k++) {
		if (!rc)
			rc = split_take(s->b, s, batch[k], s->claim, s->src);
		split_out_clear(batch[k]);
	}
	progress(s->b, 0);
	pthread_mutex_lock(&s->mu);
	for (k = 0; k < n; k++) {
		if (s->pool_n < SPLIT_OUT_MAX)
			s->pool[s->pool_n++] = batch[k];
		else
			split_out_free(batch[k]);
	}
	return rc;
}

static int split_start(struct build *b, struct split *s, enum sarfs_format fmt,
		       const struct sarfs_claim *claim, int64_t src)
{
	memset(s, 0, sizeof(*s));
	s->b = b;
	s->fmt = fmt;
	s->claim = claim;
	s->claimed = claim && claim->captures;
	s->src = src;
	if (b->o->view && sarfs_view_has_fields(b->o->view) &&
	    sarfs_view_found_new(b->o->view, &s->found) != 0)
		return -ENOMEM;
	sarfs_diag_init(&s->d);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	b->st.structured++;
	if (pthread_create(&s->th, NULL, split_main, s) != 0) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		sarfs_diag_destroy(&s->d);
		sarfs_view_found_free(s->found);
		return -EAGAIN;
	}
	return 0;
}

/* Hands the worker n more bytes of the file (copied), storing its output
 * while it waits for room: the main thread never waits on the worker
 * without draining it, so neither can block the other for good. */
static int split_give(struct split *s, const void *p, size_t n)
{
	char *chunk = malloc(n);
	int rc = 0;

	if (!chunk)
		return -ENOMEM;
	memcpy(chunk, p, n);
	pthread_mutex_lock(&s->mu);
	while (s->in_n == SPLIT_IN_MAX && !rc) {
		if (split_ready(s))
			rc = split_drain(s);
		else if (s->done)
			break;	/* it stopped reading: the rest is not needed */
		else
			split_wait(s, &s->main_waits, s->worker_waits);
	}
	if (!rc && s->in_n < SPLIT_IN_MAX && !s->done) {
		s->in[(s->in_head + s->in_n) % SPLIT_IN_MAX].p = chunk;
		s->in[(s->in_head + s->in_n) % SPLIT_IN_MAX].n = n;
		s->in_n++;
		chunk = NULL;
		if (s->worker_waits)
			pthread_cond_broadcast(&s->cv);
	}
	if (!rc && split_ready(s))
		rc = split_drain(s);
	pthread_mutex_unlock(&s->mu);
	free(chunk);
	return rc;
}

/* The end of the file: lets the worker finish, stores the rest, joins it.
 * rc is the caller's error so far; the result is the first error. With
 * cut, the file could not be read to its end: the worker is stopped and its
 * messages dropped (the read error says what happened; records already
 * stored are real bytes of the export and stay). */
static int split_end(struct split *s, int rc, int cut)
{
	size_t i;

	pthread_mutex_lock(&s->mu);
	s->in_eof = 1;
	if (rc || cut)
		s->abort = 1;
	pthread_cond_broadcast(&s->cv);
	while (!rc && !(s->done && !s->out_n)) {
		if (split_ready(s))
			rc = split_drain(s);
		else
			split_wait(s, &s->main_waits, s->worker_waits);
	}
	if (rc)
		s->abort = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	if (!rc && s->rc && s->rc != -ECANCELED)
		rc = s->rc;
	for (i = 0; i < s->out_n; i++)
		split_out_free(s->out[(s->out_head + i) % SPLIT_OUT_MAX]);
	for (i = 0; i < s->in_n; i++)
		free(s->in[(s->in_head + i) % SPLIT_IN_MAX].p);
	for (i = 0; i < s->pool_n; i++)
		split_out_free(s->pool[i]);
	/* the values a view's field rules found join the view's (even from a
	 * file read in part: they are real values of the export) */
	if (s->found) {
		int ra = sarfs_view_absorb(s->b->o->view, s->found);

		if (!rc)
			rc = ra;
		sarfs_view_found_free(s->found);
		s->found = NULL;
	}
	/* the worker's messages join the build's */
	sarfs_diag_merge(cut ? NULL : s->b->d, &s->d);
	sarfs_diag_destroy(&s->d);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	return rc;
}

/* ---- raw bytes -------------------------------------------------------- */

/* Streams the current member into the index. Returns 0 (also when the
 * member could only be read in part: that is reported) or a fatal errno. */
static int store_member(struct build *b, struct split *s, int64_t *blob, uint64_t *size,
			uint8_t sha[SARFS_SHA256_LEN], int *partial)
{
	char *buf = malloc(SARFS_CHUNK);
	ssize_t k;
	int rc;

	*partial = 0;
	if (!buf)
		return -ENOMEM;
	rc = sarfs_index_stream_begin(b->w);
	while (!rc && (k = sarfs_source_read(b->src, buf, SARFS_CHUNK, b->d)) != 0) {
		if (k < 0) {
			*partial = 1;
			break;
		}
		rc = sarfs_index_stream_write(b->w, buf, (size_t)k);
		/* the same bytes go to the worker, which splits the file while
		 * it is being stored */
		if (!rc && s)
			rc = split_give(s, buf, (size_t)k);
		b->st.bytes += (uint64_t)k;
		progress(b, 0);
	}
	free(buf);
	if (!rc)
		return sarfs_index_stream_end(b->w, blob, size, sha);
	sarfs_index_stream_end(b->w, blob, size, sha);
	return rc;
}

/* ---- members ---------------------------------------------------------- */

static int raw_path(struct build *b)
{
	sarfs_buf_reset(&b->out);
	if (sarfs_buf_adds(&b->out, b->prof->raw_dir) || sarfs_buf_addc(&b->out, '/') ||
	    sarfs_buf_add(&b->out, b->path.data, b->path.len))
		return -ENOMEM;
	return 0;
}

static int do_file(struct build *b, const struct sarfs_member *m)
{
	static const uint8_t unknown[SARFS_SHA256_LEN];
	uint8_t sha[SARFS_SHA256_LEN];
	struct sarfs_tree_file f;
	struct sarfs_claim claim;
	struct split split, *s = NULL;
	enum sarfs_format fmt;
	int64_t blob = 0, src = 0;
	uint64_t size = 0;
	int rc, partial = 0, claimed;

	b->st.files++;
	memset(&claim, 0, sizeof(claim));
	fmt = sarfs_profile_skips_records(b->prof, m->path, m->path_len) ?
	      SARFS_FORMAT_NONE : sarfs_profile_format_of(b->prof, m->path, m->path_len);
	/* the row first, so that records read while the file is stored can
	 * name it; its size and digest are set when it is all read */
	rc = sarfs_index_add_source_file(b->w, m->path, m->path_len, 0, unknown, &src);
	if (rc)
		return rc;
	/* records are ordered among clashes by the file's raw name first;
	 * in a multi-part export, by its part's number before that (two
	 * parts holding the same name: the first part's keeps it) */
	sarfs_buf_reset(&b->member_tie);
	if (b->part_no) {
		unsigned char pn[4] = { (unsigned char)(b->part_no >> 24),
					(unsigned char)(b->part_no >> 16),
					(unsigned char)(b->part_no >> 8), (unsigned char)b->part_no };

		if (sarfs_buf_add(&b->member_tie, pn, sizeof(pn)))
			return -ENOMEM;
	}
	if (sarfs_buf_add(&b->member_tie, m->path, m->path_len))
		return -ENOMEM;
	if (fmt != SARFS_FORMAT_NONE) {
		claimed = sarfs_mapping_claim(b->map, b->path.data, b->path.len, &claim);
		if (claimed < 0)
			return claimed;
		rc = split_start(b, &split, fmt, claimed ? &claim : NULL, src);
		if (rc) {
			sarfs_claim_destroy(&claim);
			return rc;
		}
		s = &split;
	}
	rc = store_member(b, s, &blob, &size, sha, &partial);
	if (s) {
		rc = split_end(s, rc, partial);
		b->st.structured -= partial;	/* counted as read as records: it was not */
	}
	sarfs_claim_destroy(&claim);
	if (rc == -EIO && !partial)
		rc = 0;
	if (!rc)
		rc = sarfs_index_fix_source_file(b->w, src, size, sha);
	if (rc)
		return rc;
	sarfs_buf_reset(&b->origin);
	if (sarfs_buf_adds(&b->origin, b->shown) ||
	    (partial && sarfs_buf_adds(&b->origin, " (incomplete: the export could not be read to its end)")))
		return -ENOMEM;
	if (raw_path(b))
		return -ENOMEM;
	/* duplicate member names clash; the raw name and content order them */
	if (sarfs_buf_add(&b->member_tie, sha, SARFS_SHA256_LEN))
		return -ENOMEM;
	memset(&f, 0, sizeof(f));
	f.blob = blob;
	f.size = size;
	f.mtime = SARFS_MTIME_ASOF;
	f.origin = b->origin.data;
	f.src = src;
	f.tiebreak = b->member_tie.data;
	f.tiebreak_len = b->member_tie.len;
	rc = sarfs_tree_add_file(b->tree, b->out.data, b->out.len, &f);
	if (rc == -ENAMETOOLONG) {
		sarfs_diag_add(b->d, SARFS_ERROR, b->shown, 0, 0,
			       "nested deeper than %d levels; not shown", SARFS_TREE_MAX_DEPTH);
		return 0;
	}
	return rc;
}

static int do_hardlink(struct build *b, const struct sarfs_member *m)
{
	sqlite3 *db = sarfs_index_writer_db(b->w);
	sqlite3_stmt *st = NULL;
	struct sarfs_tree_file f;
	int rc;

	/* a tar hard link names an earlier member: serve the same bytes */
	rc = sarfs_sqlite_errno(sqlite3_prepare_v2(db,
		"SELECT s.id, s.size, b.id FROM source_file s JOIN blob b ON b.sha256 = s.sha256"
		" WHERE s.path = ? ORDER BY s.id LIMIT 1", -1, &st, NULL));
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, m->link, (int)strlen(m->link), SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		char *t = sarfs_name_printable(m->link, strlen(m->link));

		sarfs_diag_add(b->d, SARFS_ERROR, b->shown, 0, 0,
			       "hard link to '%s', which is not an earlier file of the archive; not shown",
			       t ? t : "?");
		free(t);
		sqlite3_finalize(st);
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.src = sqlite3_column_int64(st, 0);
	f.size = (uint64_t)sqlite3_column_int64(st, 1);
	f.blob = sqlite3_column_int64(st, 2);
	f.mtime = SARFS_MTIME_ASOF;
	sqlite3_finalize(st);
	sarfs_buf_reset(&b->origin);
	if (sarfs_buf_printf(&b->origin, "%s (a hard link in the archive)", b->shown) ||
	    raw_path(b))
		return -ENOMEM;
	f.origin = b->origin.data;
	f.tiebreak = m->path;
	f.tiebreak_len = m->path_len;
	b->st.files++;
	rc = sarfs_tree_add_file(b->tree, b->out.data, b->out.len, &f);
	return rc == -ENAMETOOLONG ? 0 : rc;
}

/* The member's path as shown in messages and user.sarfs.source: printable,
 * and at most about 1 KiB (a pax path can be 64 KiB; an extended attribute
 * cannot), with a digest of the whole so that it stays identifying. */
static char *shown_path(const char *path, size_t len)
{
	uint8_t dg[SARFS_SHA256_LEN];
	char hex[SARFS_SHA256_HEX], *p = sarfs_name_printable(path, len), *q;
	size_t cut = 1000;

	if (!p || strlen(p) <= 1024)
		return p;
	while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
		cut--;
	if (sarfs_sha256(path, len, dg) != 0) {
		free(p);
		return NULL;
	}
	sarfs_hex(dg, 8, hex);
	if (asprintf(&q, "%.*s...(path of %zu bytes, SHA-256 %s...)", (int)cut, p, len, hex) < 0)
		q = NULL;
	free(p);
	return q;
}

static int do_member(struct build *b, const struct sarfs_member *m)
{
	unsigned flags = 0;
	int rc;

	free(b->shown);
	b->shown = shown_path(m->path, m->path_len);
	sarfs_buf_reset(&b->path);
	if (!b->shown || sarfs_path_sanitize(&b->path, m->path, m->path_len, &flags))
		return -ENOMEM;
	if (b->path.len == 0 && m->type != SARFS_MEMBER_DIR &&
	    sarfs_name_sanitize(&b->path, "", 0))
		return -ENOMEM;
	if ((flags & (SARFS_PATH_DOTDOT | SARFS_PATH_ABSOLUTE)) && b->path.len)
		sarfs_diag_add(b->d, SARFS_WARNING, b->shown, 0, 0,
			       "member name points outside the export; shown as %s/%s",
			       b->prof->raw_dir, b->path.data);
	if (m->from_cp437)
		sarfs_diag_add(b->d, SARFS_NOTE, b->shown, 0, 0,
			       "zip member name read as CP437 (it is not UTF-8)");
	switch (m->type) {
	case SARFS_MEMBER_FILE:
		return do_file(b, m);
	case SARFS_MEMBER_DIR:
		if (raw_path(b))
			return -ENOMEM;
		rc = sarfs_tree_add_dir(b->tree, b->out.data,
					b->path.len ? b->out.len : strlen(b->prof->raw_dir));
		return rc == -ENAMETOOLONG ? 0 : rc;
	case SARFS_MEMBER_HARDLINK:
		return do_hardlink(b, m);
	case SARFS_MEMBER_SYMLINK: {
		char *t = m->link ? sarfs_name_printable(m->link, strlen(m->link)) : NULL;

		sarfs_diag_add(b->d, SARFS_WARNING, b->shown, 0, 0,
			       "symbolic link to '%s'; not followed, not shown", t ? t : "?");
		free(t);
		return 0;
	}
	default:
		sarfs_diag_add(b->d, SARFS_WARNING, b->shown, 0, 0,
			       "not a regular file (device, FIFO or socket); not shown");
		return 0;
	}
}

/* ---- the source's own hash -------------------------------------------- */

struct hash_job {
	struct sarfs_source *src;
	uint8_t sha[SARFS_SHA256_LEN];
	int rc;
};

static void *hash_thread(void *arg)
{
	struct hash_job *j = arg;

	j->rc = sarfs_source_sha256(j->src, j->sha);
	return NULL;
}

/* For a folder: SHA-256 of what
 *   find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 sha256sum
 * prints in it (README.txt gives this recipe), GNU escapes included. */
static int folder_digest(struct build *b, uint8_t out[SARFS_SHA256_LEN])
{
	sqlite3_stmt *st = NULL;
	struct sarfs_sha256 h;
	struct sarfs_buf line = SARFS_BUF_INIT;
	char hex[SARFS_SHA256_HEX];
	int rc, s;

	rc = sarfs_sha256_init(&h);
	if (rc)
		return rc;
	rc = sarfs_sqlite_errno(sqlite3_prepare_v2(sarfs_index_writer_db(b->w),
		"SELECT path, sha256 FROM source_file ORDER BY path", -1, &st, NULL));
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *p = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0), i, esc = 0;

		for (i = 0; i < n; i++)
			esc |= p[i] == '\\' || p[i] == '\n' || p[i] == '\r';
		sarfs_hex(sqlite3_column_blob(st, 1), SARFS_SHA256_LEN, hex);
		sarfs_buf_reset(&line);
		rc = sarfs_buf_printf(&line, "%s%s  ", esc ? "\\" : "", hex);
		for (i = 0; i < n && !rc; i++) {
			if (esc && p[i] == '\\')
				rc = sarfs_buf_add(&line, "\\\\", 2);
			else if (esc && p[i] == '\n')
				rc = sarfs_buf_add(&line, "\\n", 2);
			else if (esc && p[i] == '\r')
				rc = sarfs_buf_add(&line, "\\r", 2);
			else
				rc = sarfs_buf_addc(&line, p[i]);
		}
		rc = rc ? rc : sarfs_buf_addc(&line, '\n');
		if (!rc)
			sarfs_sha256_update(&h, line.data, line.len);
	}
	sqlite3_finalize(st);
	sarfs_buf_destroy(&line);
	if (rc) {
		sarfs_sha256_destroy(&h);
		return rc;
	}
	sarfs_sha256_final(&h, out);
	return 0;
}

/* ---- README.txt and PROBLEMS.txt ------------------------------------------ */

/* The response file's name without its folder: README.txt must not carry
 * where on this machine the user keeps it. */
static const char *response_label(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int write_readme(struct build *b, const char *label, enum sarfs_source_kind kind,
			const char *kind_name, int64_t asof, const char *asof_basis)
{
	struct sarfs_buf t = SARFS_BUF_INIT;
	char when[32], counts[160];
	uint64_t ne = sarfs_diag_count(b->d, SARFS_ERROR);
	uint64_t nw = sarfs_diag_count(b->d, SARFS_WARNING) - ne;
	uint64_t nn = sarfs_diag_count(b->d, SARFS_NOTE) - ne - nw;
	int rc = 0;

	if (b->asof_known)
		sarfs_time_format_utc(asof, when);
	else
		snprintf(when, sizeof(when), "unknown");
	snprintf(counts, sizeof(counts), "%llu error%s, %llu warning%s, %llu note%s%s",
		 (unsigned long long)ne, ne == 1 ? "" : "s", (unsigned long long)nw,
		 nw == 1 ? "" : "s", (unsigned long long)nn, nn == 1 ? "" : "s",
		 ne + nw + nn ? " (listed in PROBLEMS.txt)" : "");
	rc |= sarfs_buf_printf(&t,
		"sarfs: a read-only view of a personal-data export\n"
		"\n"
		"Source:     %s (%s)\n"
		"SHA-256:    %s\n"
		"Profile:    %s (%s): %s\n"
		"As of:      %s (%s)\n"
		"Contents:   %llu files in the export, under %s/\n"
		"            %llu records read from %llu structured files%s%s%s\n"
		"Problems:   %s\n"
		"Built by:   sarfs %s, index format %d\n",
		label, kind_name, b->st.source_sha256,
		b->prof->name, b->prof->shown, b->prof->title,
		when, asof_basis,
		(unsigned long long)b->st.files, b->prof->raw_dir,
		(unsigned long long)b->st.records, (unsigned long long)b->st.structured,
		b->generic ? "; shown one by one under " : "",
		b->generic ? b->prof->records_dir : "", b->generic ? "/" : "",
		counts, SARFS_VERSION, SARFS_INDEX_FORMAT);
	if (sarfs_mapping_active(b->map)) {
		const char *subj = sarfs_mapping_subject(b->map);
		unsigned gaps = sarfs_mapping_gaps(b->map);

		rc |= sarfs_buf_printf(&t, "Subject:    %s\n", subj[0] ? subj : "not found (see PROBLEMS.txt)");
		rc |= sarfs_buf_printf(&t, "Gaps:       %u expected item%s the export lacks%s\n", gaps,
				       gaps == 1 ? "" : "s", gaps ? " (listed in MISSING.txt)" : "");
	}
	if (b->resp)
		rc |= sarfs_buf_printf(&t, "Response:   %s (your record of the controller's answers; "
				       "see REQUESTS.txt)\n", response_label(b->resp->file));
	if (b->parts.len) {
		/* each part's own SHA-256, as sha256sum prints it */
		const char *p = b->parts.data;

		rc |= sarfs_buf_adds(&t, "Parts:      ");
		while (*p) {
			const char *nl = strchr(p, '\n');

			rc |= sarfs_buf_add(&t, p, (size_t)(nl - p) + 1);
			p = nl + 1;
			if (*p)
				rc |= sarfs_buf_adds(&t, "            ");
		}
	}
	rc |= sarfs_buf_adds(&t, "\n");
	if (b->prof->readme) {
		rc |= sarfs_buf_adds(&t, b->prof->readme);
		rc |= sarfs_buf_adds(&t, "\n\n");
	}
	rc |= sarfs_buf_printf(&t,
		"How to read this tree\n"
		"\n"
		"  %s/  holds every file of the export, byte for byte, under its own name.\n"
		"    A name that is not valid UTF-8 or not safe to show (a '/', a control\n"
		"    character, \".\" or \"..\") is shown with %%XX escapes of its bytes.\n"
		"\n"
		"  %s/  holds each JSON, JSON Lines, CSV, TSV and SQL dump file of the\n"
		"    export as a folder, with one file per record: pretty JSON, keys in a\n"
		"    fixed order, text as plain UTF-8 so that grep finds it. A record is\n"
		"    named by its own id where it has one, else by its position (000001).\n"
		"\n"
		"  A file's modification time is the record's own time where it has one,\n"
		"  else the as-of time above. Times are UTC.\n"
		"\n"
		"  Every file says where it came from, in extended attributes:\n"
		"      getfattr -d FILE\n"
		"    user.sarfs.source          the export's file, and the place in it\n"
		"    user.sarfs.sha256          SHA-256 of this file's bytes\n"
		"    user.sarfs.source_sha256   SHA-256 of the export's file it came from\n"
		"\n",
		b->prof->raw_dir, b->prof->records_dir);
	if (b->parts.len)
		rc |= sarfs_buf_printf(&t,
			"  To check the SHA-256 above against the parts received, in the folder\n"
			"  that holds them, name them in the order of the Parts line:\n"
			"      sha256sum PART1 PART2 ... | sha256sum\n");
	else if (kind == SARFS_SOURCE_FOLDER)
		rc |= sarfs_buf_printf(&t,
			"  To check the SHA-256 above against the folder itself:\n"
			"      cd FOLDER && find . -type f -printf '%%P\\0' | LC_ALL=C sort -z |\n"
			"          xargs -0 sha256sum | sha256sum\n");
	else
		rc |= sarfs_buf_printf(&t,
			"  To check the SHA-256 above against the file received:\n"
			"      sha256sum FILE\n");
	if (rc) {
		sarfs_buf_destroy(&t);
		return -ENOMEM;
	}
	rc = add_text_file(b, "README.txt", 10, t.data, t.len, SARFS_MTIME_ASOF,
			   "generated by sarfs", 0, NULL, 0);
	sarfs_buf_destroy(&t);
	return rc;
}

static int write_problems(struct build *b)
{
	struct sarfs_buf t = SARFS_BUF_INIT;
	size_t i, dropped;
	int rc = 0;

	if (b->d->n == 0)
		return 0;
	rc |= sarfs_buf_adds(&t,
		"Problems met while reading this export. Each line names the export's\n"
		"file and, where known, the line and column. Nothing listed here stops\n"
		"the rest of the export from being shown.\n\n");
	for (i = 0; i < b->d->n && !rc; i++) {
		char *s = sarfs_diag_format(&b->d->msg[i]);

		rc = s ? sarfs_buf_printf(&t, "%s\n", s) : -ENOMEM;
		free(s);
	}
	dropped = b->d->dropped[0] + b->d->dropped[1] + b->d->dropped[2];
	if (dropped)
		rc |= sarfs_buf_printf(&t, "... and %zu more\n", dropped);
	if (!rc)
		rc = add_text_file(b, "PROBLEMS.txt", 12, t.data, t.len, SARFS_MTIME_ASOF,
				   "generated by sarfs", 0, NULL, 0);
	sarfs_buf_destroy(&t);
	return rc;
}

/* ---- the profile's files ------------------------------------------------ */

static int em_begin(void *ctx)
{
	struct build *b = ctx;

	return sarfs_index_stream_begin(b->w);
}

static int em_write(void *ctx, const void *p, size_t n)
{
	struct build *b = ctx;

	return sarfs_index_stream_write(b->w, p, n);
}

static int em_end(void *ctx, const char *path, size_t len, int64_t mtime, const char *origin,
		  int64_t src, const char *key, uint32_t order)
{
	struct build *b = ctx;
	struct sarfs_tree_file f;
	unsigned char tie[4] = { (unsigned char)(order >> 24), (unsigned char)(order >> 16),
				 (unsigned char)(order >> 8), (unsigned char)order };
	int rc;

	memset(&f, 0, sizeof(f));
	rc = sarfs_index_stream_end(b->w, &f.blob, &f.size, NULL);
	if (rc)
		return rc;
	f.mtime = mtime;
	f.origin = origin;
	f.src = src;
	f.key = key;
	f.tiebreak = tie;
	f.tiebreak_len = sizeof(tie);
	if (mtime != SARFS_MTIME_ASOF && mtime > b->newest)
		b->newest = mtime;
	rc = sarfs_tree_add_file(b->tree, path, len, &f);
	if (rc == -ENAMETOOLONG) {
		sarfs_diag_add(b->d, SARFS_ERROR, "", 0, 0,
			       "profile %s: %.*s is nested deeper than %d levels; not shown",
			       b->prof->name, (int)len, path, SARFS_TREE_MAX_DEPTH);
		rc = 0;
	}
	return rc;
}

/* A part's name split: "takeout-X-001.zip" is stem "takeout-X-", number
 * 1 (three to six digits), extension ".zip" (the rest, maybe empty).
 * Returns the number, or -1 if the name has none; the last "-NNN" before
 * a '.' or the end counts. */
static long part_number(const char *base, size_t *stem, const char **ext)
{
	long v = -1;
	size_t i, k;

	for (i = 0; base[i]; i++) {
		if (base[i] != '-' || i == 0)
			continue;
		for (k = i + 1; base[k] >= '0' && base[k] <= '9'; k++)
			;
		if (k - i - 1 >= 3 && k - i - 1 <= 6 && (base[k] == '.' || !base[k])) {
			*stem = i + 1;
			*ext = base + k;
			v = strtol(base + i + 1, NULL, 10);
		}
	}
	return v;
}

static int cmp_part(const void *x, const void *y)
{
	char *a = sarfs_path_base(*(char *const *)x), *b = sarfs_path_base(*(char *const *)y);
	const char *e;
	size_t s;
	long na = a ? part_number(a, &s, &e) : 0, nb = b ? part_number(b, &s, &e) : 0;

	free(a);
	free(b);
	return (na > nb) - (na < nb);
}

int sarfs_build_parts_order(char **paths, size_t n)
{
	unsigned char *seen = calloc(n + 1, 1);
	char *first = NULL;
	const char *ext0 = NULL;
	size_t i, stem0 = 0;
	int ok = n >= 2 && seen;

	for (i = 0; ok && i < n; i++) {
		char *base = sarfs_path_base(paths[i]);
		const char *ext = NULL;
		size_t stem = 0;
		long v = base ? part_number(base, &stem, &ext) : -1;

		if (v < 1 || (size_t)v > n || seen[v]) {
			ok = 0;
		} else if (!first) {
			/* the others must have the same name around the number */
			first = base;
			base = NULL;
			stem0 = stem;
			ext0 = ext;
		} else if (stem != stem0 || memcmp(base, first, stem) != 0 || strcmp(ext, ext0) != 0) {
			ok = 0;
		}
		if (ok)
			seen[v] = 1;
		free(base);
	}
	free(first);
	free(seen);
	if (ok)
		qsort(paths, n, sizeof(*paths), cmp_part);
	return ok;
}

char *sarfs_build_detect_profile(const char *source, const struct sarfs_build_options *o,
				 struct sarfs_diag *d)
{
	const char *const *names = sarfs_profile_builtin_names();
	struct sarfs_profile *profs[16] = { NULL };
	struct sarfs_source *src = NULL;
	struct sarfs_member m;
	struct sarfs_buf path = SARFS_BUF_INIT;
	size_t n = 0, i;
	int found = -1, r;
	char *out;

	if (o->profile)
		return strdup(o->profile);
	for (i = 0; names[i] && n < 16; i++)
		if (strcmp(names[i], "generic") != 0 && sarfs_profile_load(names[i], &profs[n], d) == 0 &&
		    profs[n]->detect[0])
			n++;
		else if (profs[n]) {
			sarfs_profile_free(profs[n]);
			profs[n] = NULL;
		}
	/* names only: no member's data is read */
	if (n && sarfs_source_open(source, &o->limits, &src, NULL) == 0) {
		while (found < 0 && (r = sarfs_source_next(src, &m, NULL)) > 0) {
			sarfs_buf_reset(&path);
			if (sarfs_path_sanitize(&path, m.path, m.path_len, NULL))
				break;
			for (i = 0; i < n && found < 0; i++)
				if (path.len && sarfs_profile_detects(profs[i], path.data, path.len))
					found = (int)i;
		}
	}
	out = strdup(found >= 0 ? profs[found]->name : "generic");
	sarfs_source_close(src);
	sarfs_buf_destroy(&path);
	for (i = 0; i < n; i++)
		sarfs_profile_free(profs[i]);
	return out;
}

char *sarfs_build_response_path(const char *source, const struct sarfs_build_options *o)
{
	if (o->response)
		return strdup(o->response);
	if (o->no_response)
		return NULL;
	return sarfs_response_find(source);
}

/* ---- the whole ---------------------------------------------------------- */

static int store_gaps(struct build *b)
{
	sqlite3_stmt *st = NULL;
	struct sarfs_gap g;
	char num[32];
	unsigned i;
	int rc;

	rc = sarfs_sqlite_errno(sqlite3_prepare_v2(sarfs_index_writer_db(b->w),
		"INSERT INTO gap(id, path, title, law, said, status) VALUES (?, ?, ?, ?, ?, ?)",
		-1, &st, NULL));
	for (i = 0; !rc && sarfs_mapping_gap(b->map, i, &g) == 0; i++) {
		sqlite3_bind_text(st, 1, g.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, g.path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, g.title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, g.law, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, g.said, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, g.status, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	snprintf(num, sizeof(num), "%u", sarfs_mapping_gaps(b->map));
	if (!rc)
		rc = sarfs_index_set_meta(b->w, "gaps", num);
	if (!rc)
		rc = sarfs_index_set_meta(b->w, "subject", sarfs_mapping_subject(b->map));
	return rc;
}

/* The export is never written: not even an index in a folder of it. */
int sarfs_build_refuse_inside(const char *source, const char *out, struct sarfs_diag *d)
{
	char src[PATH_MAX], dir[PATH_MAX], *slash, *copy = strdup(out);
	size_t n;
	int inside;

	if (!copy)
		return -ENOMEM;
	slash = strrchr(copy, '/');
	if (slash)
		*(slash == copy ? slash + 1 : slash) = '\0';
	inside = realpath(source, src) && realpath(slash ? copy : ".", dir) &&
		 (n = strlen(src), strncmp(dir, src, n) == 0 && (dir[n] == '/' || dir[n] == '\0'));
	free(copy);
	if (!inside)
		return 0;
	sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
		       "'%s' is inside the export '%s', which sarfs never writes to; "
		       "write the index elsewhere", out, source);
	return -EINVAL;
}

static int settle_asof(struct build *b, const char *source, int64_t *asof,
		       const char **basis)
{
	if (b->o->asof) {
		struct sarfs_time t = sarfs_time_parse(b->o->asof, strlen(b->o->asof),
						       SARFS_UNIT_AUTO);

		if (t.kind == SARFS_TIME_NONE) {
			sarfs_diag_add(b->d, SARFS_ERROR, "", 0, 0,
				       "-o asof=%s is not a time (write e.g. 2016-02-01T00:00:00Z)",
				       b->o->asof);
			return -EINVAL;
		}
		*asof = t.sec;
		*basis = "given with -o asof";
		b->asof_known = 1;
		return 0;
	}
	if (b->newest != INT64_MIN) {
		*asof = b->newest;
		*basis = "the newest time in the data; the export was made then or later";
		b->asof_known = 1;
		return 0;
	}
	/* Not the export's own mtime: the same bytes must give the same tree
	 * wherever and whenever they were copied. */
	(void)source;
	*asof = 0;
	*basis = "the data holds no time with a zone; files are dated 1970-01-01, give a "
		 "date with -o asof";
	return 0;
}

static pthread_once_t seed_once = PTHREAD_ONCE_INIT;

static void seed_jansson(void)
{
	json_object_seed(0);
}

int sarfs_build(const char *source, const char *out, const struct sarfs_build_options *o,
		struct sarfs_build_stats *stats, struct sarfs_diag *d)
{
	struct sarfs_build_options dflt;
	struct build b;
	struct sarfs_member m;
	struct hash_job hj = { NULL, { 0 }, 0 };
	pthread_t ht;
	int hashing = 0, rc, r;
	enum sarfs_source_kind kind;
	char *tmp = NULL, *label = NULL, when[32], kind_name[64], fmt[16];
	size_t pi, nparts;
	const char *basis = "";
	int64_t asof = 0;

	if (!o) {
		sarfs_build_options_default(&dflt);
		o = &dflt;
	}
	/* jansson seeds its hash function on first use: do it before any
	 * worker thread can race for it */
	pthread_once(&seed_once, seed_jansson);
	memset(&b, 0, sizeof(b));
	b.o = o;
	b.d = d;
	b.newest = INT64_MIN;
	b.prog.on = o->progress;
	{
		char *name = sarfs_build_detect_profile(source, o, d);
		char *rpath = sarfs_build_response_path(source, o);

		rc = name ? sarfs_profile_load(name, &b.prof, d) : -ENOMEM;
		free(name);
		if (!rc && rpath)
			rc = sarfs_response_load(rpath, &b.resp, d);
		free(rpath);
		if (rc)
			goto out;
	}
	nparts = 1 + (o->more_parts ? o->nmore_parts : 0);
	rc = sarfs_build_refuse_inside(source, out, d);
	for (pi = 1; !rc && pi < nparts; pi++)
		rc = sarfs_build_refuse_inside(o->more_parts[pi - 1], out, d);
	if (!rc)
		rc = sarfs_source_open(source, &o->limits, &b.src, d);
	if (rc)
		goto out;
	kind = sarfs_source_kind(b.src);
	/* unique per process and thread; the writer refuses an existing file */
	if (asprintf(&tmp, "%s.tmp-%ld-%lx", out, (long)getpid(), (unsigned long)pthread_self()) < 0) {
		tmp = NULL;
		rc = -ENOMEM;
		goto out;
	}
	rc = sarfs_index_writer_open(tmp, &b.w, d);
	if (rc)
		goto out;
	rc = sarfs_tree_new(b.w, &b.tree);
	if (!rc)
		rc = sarfs_mapping_new(b.prof, sarfs_index_writer_db(b.w), o->subject, b.resp, &b.map,
				       d);
	if (rc)
		goto out;
	rc = sarfs_tree_add_dir(b.tree, b.prof->raw_dir, strlen(b.prof->raw_dir));
	for (pi = 0; !rc && pi < nparts; pi++) {
		const char *part = pi ? o->more_parts[pi - 1] : source;

		if (pi) {
			sarfs_source_close(b.src);
			b.src = NULL;
			rc = sarfs_source_open(part, &o->limits, &b.src, d);
			if (rc)
				break;
		}
		if (nparts > 1 && sarfs_source_kind(b.src) == SARFS_SOURCE_FOLDER) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
				       "'%s' is a folder: the parts of an export are archives", part);
			rc = -EINVAL;
			break;
		}
		hj.src = b.src;
		hj.rc = 0;
		b.part_no = nparts > 1 ? (uint32_t)pi + 1 : 0;
		if (kind != SARFS_SOURCE_FOLDER && o->known_sha256 && nparts == 1) {
			/* the cache hashed the file just before: no third read */
			for (r = 0; r < SARFS_SHA256_LEN; r++)
				sscanf(o->known_sha256 + 2 * r, "%2hhx", &hj.sha[r]);
		} else if (sarfs_source_kind(b.src) != SARFS_SOURCE_FOLDER) {
			/* the archive's own hash, on the other core, while we index */
			if (pthread_create(&ht, NULL, hash_thread, &hj) == 0)
				hashing = 1;
			else
				hash_thread(&hj);
		}
		while (!rc && (r = sarfs_source_next(b.src, &m, d)) != 0) {
			if (r < 0)
				break;	/* the rest of the archive is unreadable: reported */
			rc = do_member(&b, &m);
		}
		if (hashing) {
			pthread_join(ht, NULL);
			hashing = 0;
		}
		if (!rc && nparts > 1) {
			char hex[SARFS_SHA256_HEX], *base = sarfs_path_base(part);

			rc = hj.rc;
			if (rc)
				sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot hash '%s': %s", part,
					       strerror(-rc));
			sarfs_hex(hj.sha, SARFS_SHA256_LEN, hex);
			if (!rc && (!base || sarfs_buf_printf(&b.parts, "%s  %s\n", hex, base)))
				rc = -ENOMEM;
			free(base);
		}
	}
	if (rc)
		goto out;
	{
		struct sarfs_emitter em = { &b, em_begin, em_write, em_end };

		rc = sarfs_mapping_run(b.map, &em, d);
		if (rc)
			goto out;
		b.st.gaps = sarfs_mapping_gaps(b.map);
	}
	if (nparts > 1)
		rc = sarfs_sha256(b.parts.data, b.parts.len, hj.sha);
	else if (kind == SARFS_SOURCE_FOLDER)
		rc = folder_digest(&b, hj.sha);
	else
		rc = hj.rc;
	if (rc) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot hash '%s': %s", source,
			       strerror(-rc));
		goto out;
	}
	sarfs_hex(hj.sha, SARFS_SHA256_LEN, b.st.source_sha256);
	rc = settle_asof(&b, source, &asof, &basis);
	if (rc)
		goto out;
	label = sarfs_path_base(source);
	if (!label) {
		rc = -ENOMEM;
		goto out;
	}
	sarfs_diag_sort(d);
	b.st.problems = sarfs_diag_count(d, SARFS_WARNING);
	if (nparts > 1)
		snprintf(kind_name, sizeof(kind_name), "%s, %zu parts", sarfs_source_kind_name(kind),
			 nparts);
	else
		snprintf(kind_name, sizeof(kind_name), "%s", sarfs_source_kind_name(kind));
	rc = write_readme(&b, o->label ? o->label : label, kind, kind_name, asof, basis);
	if (!rc)
		rc = write_problems(&b);
	if (!rc)
		rc = sarfs_tree_finish(b.tree, asof);
	sarfs_time_format_utc(asof, when);
	/* the format the header's user_version gives (it said 1 in format 2) */
	snprintf(fmt, sizeof(fmt), "%d", SARFS_INDEX_FORMAT);
	if (!rc)
		rc = sarfs_index_set_meta(b.w, "format", fmt) ||
		     sarfs_index_set_meta(b.w, "sarfs_version", SARFS_VERSION) ||
		     sarfs_index_set_meta(b.w, "source", o->label ? o->label : label) ||
		     sarfs_index_set_meta(b.w, "source_sha256", b.st.source_sha256) ||
		     sarfs_index_set_meta(b.w, "source_kind", kind_name) ||
		     sarfs_index_set_meta(b.w, "profile", b.prof->name) ||
		     sarfs_index_set_meta(b.w, "asof", when) ||
		     sarfs_index_set_meta(b.w, "asof_basis", basis) ? -EIO : 0;
	if (!rc)
		rc = sarfs_index_add_problems(b.w, d);
	if (!rc)
		rc = store_gaps(&b);
	if (rc)
		goto out;
	sarfs_tree_free(b.tree);
	b.tree = NULL;
	/* the authorizer and functions live on the connection: drop them first */
	sarfs_mapping_free(b.map);
	b.map = NULL;
	rc = sarfs_index_writer_commit(b.w, d);
	b.w = NULL;
	if (!rc && rename(tmp, out) != 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot move the index into place at '%s': %s",
			       out, strerror(errno));
		unlink(tmp);
	}
out:
	progress(&b, 1);
	if (hashing)
		pthread_join(ht, NULL);
	if (rc == -ENOSPC)
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "no space left while writing the index '%s'; nothing was kept", out);
	sarfs_mapping_free(b.map);
	sarfs_response_free(b.resp);
	sarfs_tree_free(b.tree);
	sarfs_index_writer_abort(b.w);
	sarfs_source_close(b.src);
	sarfs_profile_free(b.prof);
	sarfs_buf_destroy(&b.path);
	sarfs_buf_destroy(&b.out);
	sarfs_buf_destroy(&b.text);
	sarfs_buf_destroy(&b.origin);
	sarfs_buf_destroy(&b.tie);
	sarfs_buf_destroy(&b.member_tie);
	sarfs_buf_destroy(&b.parts);
	free(b.shown);
	free(label);
	free(tmp);
	if (!rc && stats)
		*stats = b.st;
	return rc;
}
