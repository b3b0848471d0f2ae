/*
 * sarfs/response.h - the user's record of what the controller answered.
 *
 * A response file is JSON written by the person who made the request:
 *
 *   {
 *     "request": { "sent": "2015-11-02", "to": "...", "text": "..." },
 *     "answers": [
 *       { "request": 2, "asked": "Deletion and moderation of my posts ...",
 *         "date": "2016-01-15", "status": "refused",
 *         "said": "no timing kept; the dump only flags deleted posts",
 *         "items": ["moderation"] },
 *       ...
 *     ]
 *   }
 *
 * status is one of "refused", "partial", "not answered", "none exists",
 * "provided". items name the profile's expectations the answer concerns;
 * missing.txt quotes the answer where it explains that expectation.
 *
 * It is found beside the export (EXPORT.response.json, or, for
 * export.zip, export.response.json) or given with -o response=FILE.
 */
#ifndef SARFS_RESPONSE_H
#define SARFS_RESPONSE_H

#include "sarfs/diag.h"

#include <stddef.h>

struct sarfs_answer {
	long request;		/* the number of the request, 0 if none */
	char *asked;		/* owned */
	char *date;		/* owned, "" if none */
	char *status;		/* owned */
	char *said;		/* owned, "" if none */
	char **items;		/* owned, NULL-terminated */
};

struct sarfs_response {
	char *file;		/* owned: where it was read from */
	char *sent;		/* owned: when the request was sent, "" if unknown */
	char *to;		/* owned */
	struct sarfs_answer *answers;	/* owned */
	size_t nanswers;
};

/* Loads path. Returns 0, -ENOENT, or -EINVAL (the message says where). */
int sarfs_response_load(const char *path, struct sarfs_response **out, struct sarfs_diag *d);
void sarfs_response_free(struct sarfs_response *r);

/* The response file beside source, if there is one: a new string, or NULL. */
char *sarfs_response_find(const char *source);

#endif
