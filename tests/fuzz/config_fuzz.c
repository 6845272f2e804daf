/*
 * libFuzzer target for the parsing of untrusted JSON: config.json (built
 * as is) or, with -DFUZZ_PROCESS, the process object of `exec --process`.
 * Any input must give a config or one error, with nothing leaked.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../src/config.h"

#ifdef FUZZ_PROCESS
static const char base[] =
	"{\"ociVersion\": \"1.2.0\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\","
	" \"user\": {\"uid\": 0, \"gid\": 0}}, \"root\": {\"path\": \"rootfs\"}}";
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_config *c = NULL;
	struct ld_error err = { 0 };

#ifdef FUZZ_PROCESS
	if (ld_config_parse(base, strlen(base), "config.json", "/bundle", &c, &err) < 0)
		__builtin_trap();
	if (ld_config_parse_process((const char *)data, size, "process.json", c, &err) < 0 &&
	    !err.msg[0])
		__builtin_trap();	/* a failure must say why */
#else
	if (ld_config_parse((const char *)data, size, "config.json", "/bundle", &c,
			    &err) < 0 && !err.msg[0])
		__builtin_trap();
#endif
	ld_config_free(c);
	return 0;
}
