/*
 * fuzz_json.c - JSON documents: the splitter, jansson's repairs, the
 * renderer and the fast path (json_reader.c says what is compared).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_json(data, size, SARFS_JSON_DOCUMENT);
	return 0;
}
