/*
 * fuzz_jsonl.c - JSON Lines: each line a record (json_reader.c says what
 * is compared).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_json(data, size, SARFS_JSON_LINES);
	return 0;
}
