/* The floor for `nianbao check`: read each file and pull every YAML event out of
 * libyaml, doing nothing else. Prints files, events and seconds. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <yaml.h>

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long events = 0;
	int failed = 0;
	double start = now();
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			failed++;
			continue;
		}
		yaml_parser_t parser;
		yaml_parser_initialize(&parser);
		yaml_parser_set_input_file(&parser, f);
		for (;;) {
			yaml_event_t ev;
			if (!yaml_parser_parse(&parser, &ev)) {
				failed++;
				break;
			}
			int done = ev.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&ev);
			events++;
			if (done)
				break;
		}
		yaml_parser_delete(&parser);
		fclose(f);
	}
	printf("files=%d events=%ld seconds=%.6f failed=%d\n", argc - 1, events, now() - start, failed);
	return failed ? 1 : 0;
}
